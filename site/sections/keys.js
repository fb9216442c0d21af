// @ts-check
/**
 * Section 2, Keys: generate a key (with progress and cancel), import one,
 * and show the current key in every format with who holds which half.
 * The other sections get their keys from here: verificationKey() for
 * verify and the simulators, signingKey() for mint.
 */
import { tokenlab } from "../tokenlab.js";
import { hasPrivateKey } from "../privacy.js";
import { $, field, button, showError, messageOf } from "../dom.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../state.js").Key} Key */
/** @typedef {import("../elements/tl-tabs.js").TlTabs} TlTabs */

/** Who holds which half of a key pair, for signing and for encryption keys. */
const KEY_ROLES = {
  signing: {
    privateTitle: "Private key — the identity provider keeps it",
    privateText: "It signs tokens. It never leaves the provider: not in your app, not in your API, not in a repository.",
    publicTitle: "Public key — your API and app need it",
    publicText: "It only verifies. The provider publishes it as a JWKS at its jwks_uri; verifiers pick the key by kid.",
  },
  encryption: {
    privateTitle: "Private key — the recipient keeps it",
    privateText: "It decrypts tokens encrypted for the recipient (your app or API). Only the recipient holds it.",
    publicTitle: "Public key — the issuer needs it",
    publicText: "The issuer encrypts tokens with it so that only the recipient can read them. Publish it freely.",
  },
};

/** What a key may be used for (its JWK use), in words. */
const USES = /** @type {Record<string, string>} */ ({ sig: "Signatures (use sig)", enc: "Encryption (use enc)" });

/**
 * The engine's description of a key ("an EC private key on P-256") as a
 * table value: "EC private key on P-256".
 * @param {string} description
 */
function asValue(description) {
  const s = description.replace(/^(a|an) /, "");
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** @param {string} s */
export function short(s) {
  return s.length > 14 ? `${s.slice(0, 12)}…` : s;
}

/**
 * Wires the Keys section.
 * @param {{ store: Store }} deps
 */
export function init({ store }) {
  const algSelect = /** @type {HTMLSelectElement} */ ($("keygen-alg"));
  const bitsSelect = /** @type {HTMLSelectElement} */ ($("keygen-bits"));
  /** @type {AbortController | null} */
  let keygenAbort = null;

  const isRSA = () => /^(RS|PS)/.test(algSelect.value);
  algSelect.addEventListener("change", () => { $("keygen-bits-field").hidden = !isRSA(); });

  $("keygen-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if (keygenAbort) return;
    const alg = algSelect.value;
    const bits = isRSA() ? Number(bitsSelect.value) : undefined;
    showError("keygen-error");
    keygenAbort = new AbortController();
    button("keygen-button").disabled = true;
    $("keygen-progress-text").textContent = bits ? `Generating a ${bits}-bit RSA key… this can take a few seconds.` : `Generating an ${alg} key…`;
    // Show progress only when the work is slow enough to notice.
    const shown = setTimeout(() => { $("keygen-progress").hidden = false; }, bits ? 0 : 150);
    try {
      setKey(await tokenlab.generateKey(bits ? { alg, bits } : { alg }, { signal: keygenAbort.signal }));
    } catch (err) {
      showError("keygen-error", keygenAbort.signal.aborted ? "Cancelled: no key was generated." : messageOf(err));
    } finally {
      clearTimeout(shown);
      keygenAbort = null;
      button("keygen-button").disabled = false;
      $("keygen-progress").hidden = true;
    }
  });

  $("keygen-cancel").addEventListener("click", () => {
    keygenAbort?.abort(new DOMException("Key generation cancelled", "AbortError"));
    button("keygen-button").focus();
  });

  $("import-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = field("import-input").value.trim();
    if (!text) {
      showError("import-error", "Paste a key first: a JWK, a JWKS, a PEM (public, private or certificate) or an HMAC secret.");
      return;
    }
    showError("import-error");
    try {
      setKey(await tokenlab.importKey(text));
      field("import-input").value = "";
    } catch (err) {
      showError("import-error", messageOf(err));
    }
  });

  field("remember-private").addEventListener("change", () => {
    store.set("key", { remember: field("remember-private").checked });
  });

  /** @param {Key} key */
  function setKey(key) {
    store.set("key", { value: key });
    render();
    $("key-output").scrollIntoView({ block: "nearest" });
  }

  function render() {
    const key = store.state.key.value;
    $("keygen-bits-field").hidden = !isRSA();
    field("remember-private").checked = store.state.key.remember;
    $("key-output").hidden = !key;
    if (!key) return;
    const symmetric = key.kty === "oct";
    $("key-explain-asym").hidden = symmetric;
    $("key-explain-sym").hidden = !symmetric;
    $("key-no-private").hidden = hasPrivateKey(key);
    const roles = key.use === "enc" ? KEY_ROLES.encryption : KEY_ROLES.signing;
    $("key-private-title").textContent = roles.privateTitle;
    $("key-private-text").textContent = roles.privateText;
    $("key-public-title").textContent = roles.publicTitle;
    $("key-public-text").textContent = roles.publicText;
    renderFacts(key);
    /** @type {[string, string, unknown][]} */
    const formats = [
      ["public-jwk", "key-public-jwk", key.publicJwk],
      ["jwks", "key-jwks", key.jwks],
      ["public-pem", "key-public-pem", key.publicPem],
      ["private-jwk", "key-private-jwk", key.privateJwk],
      ["private-pem", "key-private-pem", key.privatePem],
      ["secret", "key-secret", key.secret],
    ];
    for (const [tab, pre, value] of formats) {
      $(`ktab-${tab}`).hidden = !value;
      $(pre).textContent = !value ? "" : typeof value === "string" ? value : JSON.stringify(value, null, 2);
    }
    // A hidden tab may have been selected: render picks the first visible one.
    /** @type {TlTabs} */ ($("key-tabs")).invalidate();
  }

  /** The engine's facts about a key (generateKey and importKey describe it). @param {Key} key */
  function renderFacts(key) {
    /** The private part: here, known but not saved in this browser, or none. */
    const [can, only] = key.use === "enc" ? ["decrypt", "encrypts"] : ["sign", "verifies"];
    const privatePart = hasPrivateKey(key) ? `Here: it can ${can}` : key.private ? `Not here (not saved or not shared): it only ${only}` : `None: a public key only ${only}`;
    /** @type {[string, string | undefined, boolean][]} label, value, monospace */
    const rows = [
      ["Algorithm", key.alg, false],
      ["Type", key.description ? asValue(key.description) : key.kty, false],
      ["Use", key.use ? USES[key.use] ?? key.use : undefined, false],
      ["Private part", key.kty === "oct" ? undefined : privatePart, false],
      ["Key ID (kid)", key.kid, true],
      ["Thumbprint", key.thumbprint, true],
    ];
    $("key-facts").replaceChildren(...rows.filter(([, value]) => value).map(([label, value, mono]) => {
      const div = document.createElement("div");
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = value ?? "";
      if (mono) dd.className = "mono";
      div.append(dt, dd);
      return div;
    }));
  }

  /** The key verifiers need: the public part when there is one. */
  function verificationKey() {
    const key = store.state.key.value;
    if (!key) return null;
    if (key.publicJwk) return key.publicJwk;
    if (key.secret || key.privateJwk) return key;
    return null;
  }

  /** A key that can sign: the current one, or a fresh key of the engine's default algorithm when it cannot. */
  async function signingKey() {
    const key = store.state.key.value;
    if (key && hasPrivateKey(key)) return key;
    const fresh = await tokenlab.generateKey({});
    store.set("key", { value: fresh });
    render();
    return /** @type {Key} */ (fresh);
  }

  return { render, verificationKey, signingKey };
}
