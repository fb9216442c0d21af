// @ts-check
/**
 * Section 1, Inspect: a pasted token, decoded and explained by the engine
 * in one inspect call — what kind it is and why, who it is for, findings,
 * every claim — with, under the token, whether its signature matches the
 * key the page knows (jwt.io users look there), and, for a JWE, decryption
 * with the current key. A string that is not a JWT but has the shape of an
 * opaque access token is explained, not treated as a mistake.
 *
 * An SD-JWT (RFC 9901) gets a Disclosures tab (<tl-sd-jwt>: the disclosures,
 * the issuer-signed payload beside the processed one, the Key Binding JWT)
 * and its disclosed claims in the Claims tab; a DPoP proof (RFC 9449) says
 * what the key in its header proves, with its thumbprint, and its
 * signature line is checked with that key.
 */
import { tokenlab } from "../tokenlab.js";
import { hasPrivateKey } from "../privacy.js";
import { findingsOf } from "../elements/tl-findings.js";
import { SD_JWT_FINDINGS } from "../elements/tl-sd-jwt.js";
import { $, field, button, showError, messageOf, scrollToSection } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../elements/tl-token-editor.js").TlTokenEditor} TlTokenEditor */
/** @typedef {import("../elements/tl-kind-summary.js").TlKindSummary} TlKindSummary */
/** @typedef {import("../elements/tl-findings.js").TlFindings} TlFindings */
/** @typedef {import("../elements/tl-purpose.js").TlPurpose} TlPurpose */
/** @typedef {import("../elements/tl-claims-table.js").TlClaimsTable} TlClaimsTable */
/** @typedef {import("../elements/tl-sd-jwt.js").TlSdJwt} TlSdJwt */
/** @typedef {import("../elements/tl-tabs.js").TlTabs} TlTabs */
/** @typedef {{ mintTokens: (kind: string) => Promise<{ id_token?: string }> }} Mint */
/** @typedef {{ verificationKey: () => unknown }} Keys */

/**
 * What the engine says about text, from one inspect call: its decoding
 * (null for an opaque token) and its explanation, or the decoder's error.
 * @param {string} token
 * @returns {Promise<{ decoded: any, explanation: any } | { error: string }>}
 */
async function read(token) {
  try {
    const { decoded, explanation } = await tokenlab.inspect(token);
    return { decoded: decoded ?? null, explanation };
  } catch (err) {
    return { error: messageOf(err) };
  }
}

/**
 * Wires the Inspect section.
 * @param {{ store: Store, mint: Mint, keys: Keys }} deps
 */
export function init({ store, mint, keys }) {
  const editor = /** @type {TlTokenEditor} */ ($("token-editor"));
  const kindSummary = /** @type {TlKindSummary} */ ($("kind-summary"));
  const findings = /** @type {TlFindings} */ ($("findings"));
  const purpose = /** @type {TlPurpose} */ ($("purpose"));
  const claimsHeader = /** @type {TlClaimsTable} */ ($("claims-header"));
  const claimsPayload = /** @type {TlClaimsTable} */ ($("claims-payload"));
  const claimsDisclosed = /** @type {TlClaimsTable} */ ($("claims-disclosed"));
  const sdView = /** @type {TlSdJwt} */ ($("sd-jwt-view"));
  const tabs = /** @type {TlTabs} */ ($("tab-claims").closest("tl-tabs"));
  const sigState = $("sig-state");
  let seq = 0;
  let sigSeq = 0;
  /** The token the inspector shows (trimmed), "" when it shows none. */
  let inspected = "";
  /** Its decoding, null for an opaque token or none. */
  /** @type {any} */
  let decodedNow = null;
  /** The inner token of the last decrypted JWE. */
  let innerToken = "";
  /** The explained kind of the inspected token ("" for none). */
  let kindNow = "";

  /**
   * Shows one state of the section and hides every part of the others, so
   * nothing of an earlier token (a JWE's decrypt box, an error) stays.
   * @param {"empty" | "error" | "opaque" | "token"} state
   */
  function show(state) {
    if (state !== "opaque") editor.opaque = false;
    $("inspect-empty").hidden = state !== "empty";
    $("inspect-result").hidden = state === "empty" || state === "error";
    $("inspect-claims").hidden = state !== "token";
    $("jwe-box").hidden = true;
    $("jwe-status").textContent = "";
    $("jwe-inner").hidden = true;
    if (state !== "token") showFormat(null, null);
    if (state !== "error") showError("token-error");
    if (state !== "token" && state !== "opaque") {
      purpose.purpose = null;
      purpose.hidden = true;
      kindSummary.explanation = null;
      findings.findings = null;
      sigState.hidden = true;
    }
  }

  /** Decodes and explains text and shows it. @param {string} text */
  async function inspect(text) {
    const mine = ++seq;
    const token = text.trim();
    button("inspect-to-verify").disabled = !token;
    if (!token) {
      inspected = "";
      decodedNow = null;
      show("empty");
      $("inspect-status").textContent = "";
      return;
    }
    const r = await read(token);
    if (mine !== seq) return; // a newer paste won
    if ("error" in r) {
      inspected = "";
      decodedNow = null;
      kindNow = "";
      show("error");
      showError("token-error", r.error);
      // The alert under the field says why; the status does not repeat it.
      $("inspect-status").textContent = "Cannot decode the token: the reason is under the field.";
      return;
    }
    const { decoded: d, explanation: e } = r;
    inspected = token;
    decodedNow = d;
    kindNow = e.kind;
    editor.opaque = !d;
    show(d ? "token" : "opaque");
    // An opaque token cannot be verified here: only its issuer reads it.
    button("inspect-to-verify").disabled = !d;
    kindSummary.explanation = e;
    // An SD-JWT's view states what selective disclosure hides itself.
    const list = findingsOf(d, e).filter((f) => d?.format !== "SD-JWT" || !SD_JWT_FINDINGS.includes(f.id));
    // "No findings" speaks of a header and claims, which an opaque token lacks.
    findings.findings = d || list.length ? list : null;
    const showGuide = !!e.purpose && e.certainty !== "unclear";
    purpose.purpose = showGuide ? e.purpose : null;
    purpose.audience = audienceOf(e);
    purpose.hidden = !showGuide;
    claimsHeader.claims = e.claims ?? [];
    claimsPayload.claims = e.claims ?? [];
    if (d) {
      $("jwe-box").hidden = d.format !== "JWE";
      $("json-header").textContent = JSON.stringify(d.header, null, 2);
      $("json-payload").textContent = d.format === "JWE" ? "(encrypted: only the recipient's private key can read the payload)" : typeof d.payload === "string" ? d.payload : JSON.stringify(d.payload, null, 2);
      showFormat(d, e);
    }
    const warnings = list.filter((f) => f.severity !== "info").length;
    $("inspect-status").textContent = d
      ? `Token decoded. ${e.headline}. ${(e.claims ?? []).length} claims, ${warnings} ${warnings === 1 ? "warning" : "warnings"}.`
      : `Not a JWT: ${e.headline}.`;
    checkSignature();
  }

  /**
   * The aud of an explained token as one string, for the guide's "Send it
   * to"; "" when it has none.
   * @param {any} e
   */
  function audienceOf(e) {
    const aud = (e.claims ?? []).find((/** @type {any} */ c) => c.where === "payload" && c.name === "aud")?.value;
    if (typeof aud === "string") return aud;
    if (Array.isArray(aud) && aud.every((a) => typeof a === "string")) return aud.join(", ");
    return "";
  }

  /**
   * The key the signature state uses: one pasted in Verify when that is
   * the chosen source, else the current key.
   * @returns {{ key: unknown, label: string } | null}
   */
  function knownKey() {
    const v = store.state.verify;
    if (v.keySource === "pasted" && v.keyText.trim()) return { key: v.keyText.trim(), label: "the key pasted in Verify" };
    const key = keys.verificationKey();
    return key ? { key, label: "the current key" } : null;
  }

  /**
   * States under the token, in one line, whether its signature matches the
   * key the page knows, from the engine's verify.
   * @param {string} state "verified" | "mismatch" | "unchecked" | "none" | "unsecured"
   * @param {string} text
   */
  function showSignature(state, text) {
    sigState.hidden = false;
    sigState.dataset.state = state;
    $("sig-state-text").textContent = text;
    $("sig-state-link").hidden = state === "none"; // nothing Verify could add
  }

  async function checkSignature() {
    const mine = ++sigSeq;
    const d = decodedNow;
    const token = inspected;
    if (!token) return;
    if (!d) {
      showSignature("none", "No signature to check here: only its issuer can validate an opaque token (token introspection, RFC 7662).");
      return;
    }
    if (d.format === "JWE") {
      showSignature("none", "Encrypted: decrypt it to check the signature of the token inside.");
      return;
    }
    if (d.format === "unsecured") {
      showSignature("unsecured", "Unsecured: alg is none, so there is no signature and nothing proves who made it (RFC 8725 §3.1).");
      return;
    }
    if (kindNow === "dpop_proof") {
      checkProof(mine, token);
      return;
    }
    const known = knownKey();
    if (!known) {
      showSignature("unchecked", "Not checked: no key yet — generate or import one in Keys, or paste the issuer's in Verify.");
      return;
    }
    const alg = typeof d.header?.alg === "string" ? d.header.alg : "";
    let state = "unchecked";
    let text = "";
    try {
      const r = await tokenlab.verify(token, { key: known.key });
      const sig = (r.checks ?? []).find((/** @type {any} */ c) => c.id === "signature");
      const algCheck = (r.checks ?? []).find((/** @type {any} */ c) => c.id === "alg");
      if (sig?.status === "pass") {
        state = "verified";
        text = `Signature verified with ${known.label}${alg ? ` (${alg})` : ""}.`;
      } else if (sig?.status === "fail" && !/^no key in/.test(sig.message)) {
        state = "mismatch";
        text = `Signature does not match ${known.label}: the token was signed with another key, or changed after signing.`;
      } else {
        const why = (sig ?? algCheck)?.message ?? "";
        text = `Not checked with ${known.label}: ${why.replace(/[.;] the signature was not checked$/i, "")}.`;
      }
    } catch (err) {
      text = `Not checked with ${known.label}: ${messageOf(err)}`;
    }
    if (mine !== sigSeq || token !== inspected) return;
    showSignature(state, text);
  }

  /**
   * A DPoP proof's signature line and thumbprint: the proof is checked with
   * the key in its own header (RFC 9449 §4.3), which needs no key from the
   * page.
   * @param {number} mine @param {string} token
   */
  async function checkProof(mine, token) {
    let state = "unchecked";
    let text = "";
    let jkt = "";
    try {
      const r = await tokenlab.verify(token, { kind: "dpop_proof" });
      jkt = r.jkt ?? "";
      const sig = (r.checks ?? []).find((/** @type {any} */ c) => c.id === "signature");
      if (sig?.status === "pass") {
        state = "verified";
        text = "Signature verified with the key in the proof's own header: whoever made it holds that key, which says nothing about who they are.";
      } else if (sig?.status === "fail") {
        state = "mismatch";
        text = `The signature does not verify with the key in the proof's own header: ${sig.message}.`;
      } else {
        const failed = (r.checks ?? []).find((/** @type {any} */ c) => c.status === "fail");
        text = `Not checked: ${(sig ?? failed)?.message ?? "the proof cannot be checked"}.`;
      }
    } catch (err) {
      text = `Not checked: ${messageOf(err)}`;
    }
    if (mine !== sigSeq || token !== inspected) return;
    $("dpop-jkt").textContent = jkt || "(no usable public key in jwk)";
    showSignature(state, text);
  }

  /**
   * Shows the parts only an SD-JWT or a DPoP proof has, or hides them.
   * @param {any} d the decoding, or null
   * @param {any} e the explanation, or null
   */
  function showFormat(d, e) {
    const sd = d?.format === "SD-JWT";
    const wasSd = !$("tab-disclosures").hidden;
    $("tab-disclosures").hidden = !sd;
    $("claims-disclosed-box").hidden = !sd;
    $("json-processed-box").hidden = !sd;
    $("json-kb-box").hidden = !sd || !d.kb;
    $("claims-payload-title").textContent = sd ? "Issuer-signed payload" : "Payload";
    $("json-payload-title").textContent = sd ? "Issuer-signed payload" : "Payload";
    sdView.decoded = sd ? d : null;
    sdView.findings = sd ? e?.findings ?? [] : [];
    claimsDisclosed.claims = sd ? e?.claims ?? [] : [];
    if (sd) {
      $("json-processed").textContent = JSON.stringify(d.processed ?? {}, null, 2);
      $("json-kb").textContent = d.kb ? `${JSON.stringify(d.kb.header, null, 2)}\n.\n${JSON.stringify(d.kb.payload, null, 2)}` : "";
    }
    // An SD-JWT opens on its disclosures; leaving one goes back to the claims.
    if (sd && !wasSd) tabs.selected = "tab-disclosures";
    else if (!sd && tabs.selected === "tab-disclosures") tabs.selected = "tab-claims";
    else tabs.invalidate();
    const proof = e?.kind === "dpop_proof" && d?.format === "JWS";
    $("dpop-box").hidden = !proof;
    if (proof) $("dpop-jkt").textContent = "…";
    button("inspect-to-verify").textContent = proof ? "Verify this proof" : "Verify this token";
  }

  /** Puts text in the editor, remembers it and inspects it. @param {string} text */
  function setToken(text) {
    editor.value = text;
    store.set("inspect", { token: text });
    return inspect(text);
  }

  /**
   * Hands the inspected token to Verify; a DPoP proof goes with its kind,
   * since only the proof's rules make sense for it.
   * @param {Event} e
   */
  function toVerify(e) {
    e.preventDefault();
    const token = inspected || editor.value.trim();
    const detail = kindNow === "dpop_proof" ? { token, to: "verify", kind: "dpop_proof" } : { token, to: "verify" };
    /** @type {HTMLElement} */ (e.currentTarget).dispatchEvent(new CustomEvent("tl-use-token", { bubbles: true, detail }));
  }

  editor.addEventListener("tl-token-change", (e) => {
    const { token } = /** @type {CustomEvent} */ (e).detail;
    store.set("inspect", { token });
    inspect(token);
  });

  $("inspect-clear").addEventListener("click", () => {
    setToken("");
    field("token-input").focus();
  });

  $("inspect-to-verify").addEventListener("click", toVerify);
  $("sig-state-link").addEventListener("click", toVerify);

  // A new key, or another key pasted in Verify, changes what the signature
  // state can say.
  store.addEventListener("change", (e) => {
    const { section } = /** @type {CustomEvent} */ (e).detail;
    if ((section === "key" || section === "verify") && inspected) checkSignature();
  });

  $("inspect-example").addEventListener("click", async () => {
    button("inspect-example").disabled = true;
    try {
      const minted = await mint.mintTokens("pair");
      if (minted.id_token) setToken(minted.id_token);
      field("token-input").focus();
    } catch (err) {
      showError("token-error", messageOf(err));
    } finally {
      button("inspect-example").disabled = false;
    }
  });

  $("jwe-decrypt").addEventListener("click", async () => {
    const key = store.state.key.value;
    const status = $("jwe-status");
    if (!hasPrivateKey(key)) {
      status.textContent = "There is no private key to decrypt with: import the recipient's private key (JWK or PEM) in Keys.";
      return;
    }
    try {
      const r = await tokenlab.decrypt(inspected, { key });
      const payload = r.payload !== undefined && r.payload !== null ? r.payload : undefined;
      if (r.nested && Array.isArray(r.nested.parts)) {
        innerToken = r.nested.parts.join(".");
        status.textContent = "Decrypted: it wraps a signed token.";
        $("jwe-inner").hidden = false;
      } else {
        status.textContent = `Decrypted payload: ${payload !== undefined ? JSON.stringify(payload) : r.plaintext}`;
      }
      $("json-payload").textContent = payload !== undefined ? JSON.stringify(payload, null, 2) : r.plaintext;
    } catch (err) {
      status.textContent = messageOf(err);
    }
  });

  $("jwe-inner").addEventListener("click", () => {
    if (innerToken) setToken(innerToken);
    field("token-input").focus();
  });

  /** Shows token in the inspector and brings the inspector into view. @param {string} token */
  function showToken(token) {
    setToken(token);
    scrollToSection("inspect");
    field("token-input").focus({ preventScroll: true });
  }

  /** Shows the saved token (or the empty state). */
  function render() {
    editor.value = store.state.inspect.token;
    inspect(store.state.inspect.token);
  }

  return { render, show: showToken };
}
