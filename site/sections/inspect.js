// @ts-check
/**
 * Section 1, Inspect: a pasted token, decoded and explained by the engine —
 * what kind it is and why, who it is for, findings, every claim — and, for
 * a JWE, decrypted with the current key.
 */
import { tokenlab } from "../tokenlab.js";
import { hasPrivateKey } from "../privacy.js";
import { KIND_NAMES } from "../elements/base.js";
import { $, field, button, showError, messageOf, scrollToSection } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../elements/tl-token-editor.js").TlTokenEditor} TlTokenEditor */
/** @typedef {import("../elements/tl-kind-summary.js").TlKindSummary} TlKindSummary */
/** @typedef {import("../elements/tl-findings.js").TlFindings} TlFindings */
/** @typedef {import("../elements/tl-purpose.js").TlPurpose} TlPurpose */
/** @typedef {import("../elements/tl-claims-table.js").TlClaimsTable} TlClaimsTable */
/** @typedef {{ mintTokens: (kind: string) => Promise<{ id_token?: string }> }} Mint */

/** What the inspector says when the engine cannot decode the text at all. */
const UNDECODABLE = { id: "malformed", severity: "error", message: "tokenlab cannot decode this. A JWT is three base64url parts separated by dots — header.payload.signature — or five for an encrypted JWE. Check that the whole token was copied.", ref: "RFC 7519 §7.2" };

/**
 * Claims from the decoded token alone, for when explain fails.
 * @param {any} d
 * @param {unknown} reason
 */
function fallbackExplanation(d, reason) {
  /** @type {any[]} */
  const claims = [];
  for (const [where, obj] of [["header", d.header], ["payload", d.payload]]) {
    if (obj && typeof obj === "object") for (const [name, value] of Object.entries(obj)) claims.push({ name, where, value, known: false, meaning: "" });
  }
  return { kind: "unknown", confidence: 0, signals: [`could not explain: ${messageOf(reason)}`], purpose: null, claims, findings: [] };
}

/**
 * Decode warnings as findings.
 * @param {{ warnings?: string[] }} d
 */
function decodeFindings(d) {
  return (d.warnings ?? []).map((message, i) => ({ id: `decode-${i}`, severity: "warn", message }));
}

/**
 * Wires the Inspect section.
 * @param {{ store: Store, mint: Mint }} deps
 */
export function init({ store, mint }) {
  const editor = /** @type {TlTokenEditor} */ ($("token-editor"));
  const kindSummary = /** @type {TlKindSummary} */ ($("kind-summary"));
  const findings = /** @type {TlFindings} */ ($("findings"));
  const purpose = /** @type {TlPurpose} */ ($("purpose"));
  const claimsHeader = /** @type {TlClaimsTable} */ ($("claims-header"));
  const claimsPayload = /** @type {TlClaimsTable} */ ($("claims-payload"));
  let seq = 0;
  /** The token the inspector shows (trimmed), "" when it shows none. */
  let inspected = "";
  /** The inner token of the last decrypted JWE. */
  let innerToken = "";

  /** @param {boolean} empty @param {boolean} decoded */
  function showPanels(empty, decoded) {
    $("inspect-empty").hidden = !empty;
    $("inspect-result").hidden = empty;
    $("inspect-claims").hidden = !decoded;
  }

  /** Decodes and explains text and shows it. @param {string} text */
  async function inspect(text) {
    const mine = ++seq;
    const token = text.trim();
    button("inspect-to-verify").disabled = !token;
    if (!token) {
      inspected = "";
      showError("token-error");
      showPanels(true, false);
      purpose.hidden = true;
      $("inspect-status").textContent = "";
      return;
    }
    const [decoded, explained] = await Promise.allSettled([tokenlab.decode(token), tokenlab.explain(token)]);
    if (mine !== seq) return; // a newer paste won
    if (decoded.status === "rejected") {
      inspected = "";
      const message = messageOf(decoded.reason);
      showError("token-error", message);
      showPanels(false, false);
      kindSummary.format = "";
      kindSummary.explanation = null;
      purpose.purpose = null;
      purpose.hidden = true;
      findings.findings = [UNDECODABLE];
      $("inspect-status").textContent = `Cannot decode: ${message}`;
      return;
    }
    showError("token-error");
    const d = decoded.value;
    /** @type {any} */
    const e = explained.status === "fulfilled" ? explained.value : fallbackExplanation(d, explained.reason);
    inspected = token;
    showPanels(false, true);
    kindSummary.format = d.format;
    kindSummary.explanation = e;
    findings.findings = [...decodeFindings(d), ...(e.findings ?? [])];
    purpose.purpose = e.purpose ?? null;
    purpose.hidden = !e.purpose;
    $("jwe-box").hidden = d.format !== "JWE";
    $("jwe-status").textContent = "";
    $("jwe-inner").hidden = true;
    claimsHeader.claims = e.claims ?? [];
    claimsPayload.claims = e.claims ?? [];
    $("json-header").textContent = JSON.stringify(d.header, null, 2);
    $("json-payload").textContent = d.format === "JWE" ? "(encrypted: only the recipient's private key can read the payload)" : typeof d.payload === "string" ? d.payload : JSON.stringify(d.payload, null, 2);
    const warnings = (e.findings ?? []).filter((/** @type {any} */ f) => f.severity !== "info").length;
    $("inspect-status").textContent = `${KIND_NAMES[e.kind] ?? "Token"} decoded: ${(e.claims ?? []).length} claims, ${warnings} warnings.`;
  }

  /** Puts text in the editor, remembers it and inspects it. @param {string} text */
  function setToken(text) {
    editor.value = text;
    store.set("inspect", { token: text });
    return inspect(text);
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

  $("inspect-to-verify").addEventListener("click", (e) => {
    const token = inspected || editor.value.trim();
    /** @type {HTMLElement} */ (e.currentTarget).dispatchEvent(new CustomEvent("tl-use-token", { bubbles: true, detail: { token, to: "verify" } }));
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
  function show(token) {
    setToken(token);
    scrollToSection("inspect");
    field("token-input").focus({ preventScroll: true });
  }

  /** Shows the saved token (or the empty state). */
  function render() {
    editor.value = store.state.inspect.token;
    inspect(store.state.inspect.token);
  }

  return { render, show };
}
