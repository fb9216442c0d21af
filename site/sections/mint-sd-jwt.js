// @ts-check
/**
 * The Mint section's SD-JWT issuer and holder (RFC 9901). The issuer's
 * form: SD-JWT or SD-JWT VC (vct), the claims as JSON (the engine's
 * defaults, RFC 9901 §5.1's user data), a checklist of the members and
 * array elements to make selectively disclosable (<tl-disclose-picker>,
 * JSON Pointers), decoys, and a holder key generated in the page for
 * cnf.jwk. The holder's step: tick the disclosures to reveal, the
 * verifier's audience and nonce, with or without a Key Binding JWT.
 * Both results are token cards that hand the token to Inspect or Verify.
 *
 * The holder's private key lives in this module only, for the page's
 * lifetime: it is never saved with the page's state.
 */
import { tokenlab } from "../tokenlab.js";
import { h, compact } from "../elements/base.js";
import { $, field, button, showError, messageOf } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").Key} Key */
/** @typedef {import("../tokenlab.js").Disclosure} Disclosure */
/** @typedef {import("../elements/tl-disclose-picker.js").TlDisclosePicker} TlDisclosePicker */
/** @typedef {import("../elements/tl-token-card.js").TlTokenCard} TlTokenCard */
/** @typedef {{ signingKey: () => Promise<Key> }} Keys */

/**
 * Claims a verifier needs in plain text to process the credential: the
 * engine never hides them by default (docs/API.md, Minting an SD-JWT) and
 * cnf can never be hidden.
 */
const PLAIN_CLAIMS = Object.freeze(["iss", "iat", "nbf", "exp", "cnf", "vct", "status"]);

/** Claims the engine leaves in plain text by default besides PLAIN_CLAIMS. */
const PLAIN_BY_DEFAULT = ["sub"];

/** The claims the engine adds itself (the digest algorithm too), not shown in the claims field. */
const ADDED = ["iss", "iat", "exp", "_sd_alg"];

/**
 * The claims object the field holds.
 * @param {string} text
 * @returns {Record<string, unknown>}
 */
function parseClaims(text) {
  let claims;
  try {
    claims = JSON.parse(text);
  } catch (err) {
    throw new Error(`The claims must be a JSON object: ${messageOf(err)}`);
  }
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) throw new Error("The claims must be a JSON object, like {\"given_name\": \"Erika\"}.");
  return claims;
}

/**
 * The top-level claims the engine makes disclosable by default.
 * @param {Record<string, unknown>} claims
 */
function defaultDisclose(claims) {
  return Object.keys(claims).filter((k) => !PLAIN_CLAIMS.includes(k) && !PLAIN_BY_DEFAULT.includes(k)).map((k) => `/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`);
}

/**
 * Whether a JSON Pointer (RFC 6901) names a member or element of value.
 * @param {unknown} value
 * @param {string} pointer
 */
function resolves(value, pointer) {
  if (!pointer.startsWith("/")) return false;
  let at = value;
  for (const raw of pointer.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(at)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= at.length) return false;
      at = at[Number(token)];
    } else if (at && typeof at === "object" && Object.hasOwn(at, token)) {
      at = /** @type {Record<string, unknown>} */ (at)[token];
    } else {
      return false;
    }
  }
  return true;
}

/**
 * Wires the SD-JWT issuer and holder forms.
 * @param {{ store: Store, keys: Keys }} deps
 */
export function init({ store, keys }) {
  const picker = /** @type {TlDisclosePicker} */ ($("sdjwt-picker"));
  picker.locked = [...PLAIN_CLAIMS];
  /** @type {Key | null} */
  let holder = null;
  /** The disclosures of the SD-JWT issued, in order. @type {Disclosure[]} */
  let issued = [];
  let loading = null;

  // The engine's default claims, asked for the first time the form opens:
  // an SD-JWT minted with a throwaway key and nothing hidden shows them.
  $("sdjwt-box").addEventListener("toggle", () => {
    if (/** @type {HTMLDetailsElement} */ ($("sdjwt-box")).open) loading ??= loadDefaults();
  });

  async function loadDefaults() {
    if (store.state.sdjwt.claims) return;
    try {
      const key = await tokenlab.generateKey({});
      const { payload } = await tokenlab.mint({ kind: "sd_jwt", key, disclose: [] });
      const claims = Object.fromEntries(Object.entries(payload).filter(([k]) => !ADDED.includes(k)));
      store.seed("sdjwt", { claims: JSON.stringify(claims, null, 2), disclose: defaultDisclose(claims) });
      renderForm();
    } catch (err) {
      showError("sdjwt-error", `The engine's default claims could not be loaded: ${messageOf(err)}`);
    }
  }

  $("sdjwt-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    if (t.closest("tl-disclose-picker")) return; // its own event says what changed
    if (t.name === "sdjwt-kind") store.set("sdjwt", { kind: t.value });
    if (t.id === "sdjwt-vct") store.set("sdjwt", { vct: t.value });
    if (t.id === "sdjwt-decoys") store.set("sdjwt", { decoys: Math.max(0, Math.min(100, Math.floor(Number(t.value) || 0))) });
    if (t.id === "sdjwt-bind") store.set("sdjwt", { bind: t.checked });
    if (t.id === "sdjwt-claims") {
      store.set("sdjwt", { claims: t.value });
      pruneDisclose();
      renderPicker();
      return;
    }
    renderForm();
  });

  picker.addEventListener("tl-disclose-change", (e) => {
    store.set("sdjwt", { disclose: /** @type {CustomEvent} */ (e).detail.selected });
  });

  $("sdjwt-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    button("sdjwt-issue").disabled = true;
    showError("sdjwt-error");
    try {
      await issue();
    } catch (err) {
      showError("sdjwt-error", messageOf(err));
    } finally {
      button("sdjwt-issue").disabled = false;
    }
  });

  /** Issues the SD-JWT the form describes and shows the holder's step. */
  async function issue() {
    const s = store.state.sdjwt;
    const claims = parseClaims(s.claims || "{}");
    const key = await keys.signingKey();
    if (s.bind && !holder) {
      holder = await tokenlab.generateKey({ alg: "ES256" });
      renderForm();
    }
    /** @type {Record<string, unknown>} */
    const opts = { kind: s.kind, key, claims, disclose: s.disclose, decoys: s.decoys };
    if (s.kind === "sd_jwt_vc" && s.vct.trim()) opts.vct = s.vct.trim();
    if (s.bind && holder) opts.holderKey = holder.privateJwk;
    const m = await tokenlab.mint(opts);
    issued = m.disclosures ?? [];
    store.set("minted", { sd_jwt: m.token, sd_jwt_presentation: "" });
    // Reveal everything issued until the holder chooses.
    renderIssued(issued.map((d) => d.path ?? "").filter(Boolean));
  }

  $("sdjwt-present-form").addEventListener("input", (e) => {
    const t = /** @type {HTMLInputElement} */ (e.target);
    if (t.id === "sdjwt-kb") store.set("sdjwt", { keyBinding: t.checked });
    if (t.id === "sdjwt-audience") store.set("sdjwt", { audience: t.value });
    if (t.id === "sdjwt-nonce") store.set("sdjwt", { nonce: t.value });
    renderKeyBinding();
  });

  $("sdjwt-present-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    button("sdjwt-present").disabled = true;
    showError("sdjwt-present-error");
    try {
      await present();
    } catch (err) {
      showError("sdjwt-present-error", messageOf(err));
    } finally {
      button("sdjwt-present").disabled = false;
    }
  });

  /** Presents the issued SD-JWT with the disclosures ticked. */
  async function present() {
    const s = store.state.sdjwt;
    const token = store.state.minted.sd_jwt;
    if (!token) throw new Error("Issue an SD-JWT first.");
    const disclose = [...$("sdjwt-present-list").querySelectorAll("input:checked")].map((b) => /** @type {HTMLInputElement} */ (b).value);
    /** @type {Record<string, unknown>} */
    const opts = { disclose };
    if (s.keyBinding) {
      if (!holder) throw new Error("The holder key is kept only while the page is open: issue the SD-JWT again, bound to a new holder key, to present it with key binding.");
      Object.assign(opts, { holderKey: holder.privateJwk, audience: s.audience.trim() || undefined, nonce: s.nonce.trim() || undefined });
    }
    const p = await tokenlab.present(token, opts);
    store.set("minted", { sd_jwt_presentation: p.token });
    renderPresented(p.warnings);
  }

  /** Forgets the ticked places the claims no longer have. */
  function pruneDisclose() {
    let claims;
    try {
      claims = parseClaims(store.state.sdjwt.claims);
    } catch {
      return; // half-typed JSON: keep the choice until it parses again
    }
    const kept = store.state.sdjwt.disclose.filter((p) => resolves(claims, p));
    if (kept.length !== store.state.sdjwt.disclose.length) store.set("sdjwt", { disclose: kept });
  }

  function renderForm() {
    const s = store.state.sdjwt;
    for (const radio of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("input[name=sdjwt-kind]"))) radio.checked = radio.value === s.kind;
    $("sdjwt-vct-field").hidden = s.kind !== "sd_jwt_vc";
    if (field("sdjwt-vct").value !== s.vct) field("sdjwt-vct").value = s.vct;
    if (field("sdjwt-claims").value !== s.claims) field("sdjwt-claims").value = s.claims;
    if (Number(field("sdjwt-decoys").value) !== s.decoys || field("sdjwt-decoys").value === "") field("sdjwt-decoys").value = String(s.decoys);
    field("sdjwt-bind").checked = s.bind;
    const note = $("sdjwt-holder");
    note.hidden = !(s.bind && holder);
    note.textContent = holder ? `Holder key: ES256, thumbprint ${holder.thumbprint}. Its public half goes into cnf.jwk; its private half stays in this page, for the Key Binding JWT.` : "";
    $("sdjwt-key-note").textContent = "Signs with the current key (an HMAC secret is refused: every verifier could forge credentials).";
    renderPicker();
    renderKeyBinding();
  }

  function renderPicker() {
    try {
      picker.claims = parseClaims(store.state.sdjwt.claims || "{}");
      showError("sdjwt-error");
    } catch (err) {
      picker.claims = null;
      if (store.state.sdjwt.claims) showError("sdjwt-error", messageOf(err));
    }
    picker.selected = store.state.sdjwt.disclose;
  }

  function renderKeyBinding() {
    const s = store.state.sdjwt;
    const kb = field("sdjwt-kb");
    kb.checked = s.keyBinding && !!holder;
    kb.disabled = !holder;
    $("sdjwt-kb-fields").hidden = !kb.checked;
    if (field("sdjwt-audience").value !== s.audience) field("sdjwt-audience").value = s.audience;
    if (field("sdjwt-nonce").value !== s.nonce) field("sdjwt-nonce").value = s.nonce;
  }

  /**
   * Shows the issued SD-JWT and the checklist of its disclosures.
   * @param {string[]} reveal the paths ticked
   */
  function renderIssued(reveal) {
    const token = store.state.minted.sd_jwt ?? "";
    $("sdjwt-issued").hidden = !token;
    /** @type {TlTokenCard} */ ($("sdjwt-issued-card")).token = token;
    const list = $("sdjwt-present-list");
    if (!issued.length) {
      list.replaceChildren(h("p", "empty", token ? "Issue the SD-JWT again in this page to choose its disclosures." : ""));
    } else {
      list.replaceChildren(...issued.map((d, i) => {
        const label = h("label", "checkbox");
        const box = document.createElement("input");
        box.type = "checkbox";
        box.value = d.path ?? "";
        box.checked = reveal.includes(box.value);
        box.disabled = !d.path;
        label.append(box, h("span", `seg-disclosure ${(i + 1) % 2 ? "seg-odd" : "seg-even"}`, String(i + 1)), h("code", "", d.path ?? d.name ?? "?"), h("span", "disclose-value", compact(d.value)));
        return label;
      }));
    }
    renderKeyBinding();
    $("sdjwt-presented").hidden = true;
  }

  /** @param {string[]} warnings */
  function renderPresented(warnings) {
    const token = store.state.minted.sd_jwt_presentation ?? "";
    $("sdjwt-presented").hidden = !token;
    /** @type {TlTokenCard} */ ($("sdjwt-presented-card")).token = token;
    /** @type {TlTokenCard} */ ($("sdjwt-presented-card")).note = store.state.sdjwt.keyBinding && holder ? "with a Key Binding JWT" : "without key binding";
    $("sdjwt-present-warnings").replaceChildren(...warnings.map((w) => h("li", "notice", w)));
  }

  function render() {
    renderForm();
    renderIssued([]);
  }

  return { render };
}
