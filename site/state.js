// @ts-check
/**
 * The page's state in one place: what the inspector shows, the current key,
 * the mint and verify forms, and the minted tokens. The page controller
 * updates it; it saves itself to localStorage (debounced) and can be
 * serialised for a future "Share" link.
 *
 * Private key material (privateJwk, privatePem, secret) is saved only when
 * the user turns on key.remember; serialise() leaves it out unless asked.
 */

const STORAGE_KEY = "tokenlab:v1";

/**
 * @typedef {{
 *   alg: string, kid?: string, kty?: string, thumbprint?: string,
 *   publicJwk?: any, privateJwk?: any, jwks?: any,
 *   publicPem?: string, privatePem?: string, secret?: string,
 * }} Key
 * @typedef {{
 *   theme: "system" | "light" | "dark",
 *   inspect: { token: string },
 *   key: { value: Key | null, remember: boolean },
 *   mint: { kind: string, preset: string, issuer: string, subject: string, clientId: string,
 *           apiAudience: string, scope: string, nonce: string, lifetime: number, extra: string,
 *           scopeClaim: string, clientIdClaim: string },
 *   minted: { id_token?: string, access_token?: string, logout_token?: string },
 *   verify: { token: string, keySource: "generated" | "pasted", keyText: string, issuer: string,
 *             audience: string, nonce: string, clientId: string, kind: string, now: string, leeway: number },
 * }} State
 */

/** @returns {State} */
export function defaults() {
  return {
    theme: "system",
    inspect: { token: "" },
    key: { value: null, remember: false },
    mint: {
      kind: "pair",
      preset: "",
      issuer: "https://login.example.com",
      subject: "alice",
      clientId: "my-app",
      apiAudience: "https://api.example.com",
      scope: "openid profile email orders:read",
      nonce: randomNonce(),
      lifetime: 3600,
      extra: '{\n  "name": "Alice Example",\n  "email": "alice@example.com"\n}',
      // The claim names the chosen provider uses in access tokens (Entra: scp, azp).
      scopeClaim: "scope",
      clientIdClaim: "client_id",
    },
    minted: {},
    verify: { token: "", keySource: "generated", keyText: "", issuer: "", audience: "", nonce: "", clientId: "", kind: "auto", now: "", leeway: 0 },
  };
}

/** A fresh random nonce, as a client would create for each sign-in. */
export function randomNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const PRIVATE_FIELDS = ["privateJwk", "privatePem", "secret"];

/**
 * @param {Key | null} key
 * @returns {Key | null} the key without private material
 */
export function publicOnly(key) {
  if (!key) return null;
  const out = { ...key };
  for (const f of PRIVATE_FIELDS) delete out[/** @type {keyof Key} */ (f)];
  return out;
}

const PRIVATE_JWK_MEMBERS = new Set(["d", "k", "p", "q", "dp", "dq", "qi", "oth", "privateJwk", "privatePem", "secret"]);

/**
 * Whether pasted key text is public material only: a public PEM or
 * certificate, or JSON (a JWK, a JWKS, a tokenlab key) with no private
 * member anywhere. Anything else — a private PEM, a private or symmetric
 * JWK, or a plain string, which tokenlab takes as an HMAC secret — is secret.
 * @param {string} text
 */
export function isPublicKeyText(text) {
  const t = text.trim();
  if (!t) return true;
  if (t.startsWith("-----BEGIN")) {
    return !/PRIVATE/.test(t) && /^-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(t);
  }
  try {
    return !hasPrivateMember(JSON.parse(t));
  } catch {
    return false;
  }
}

/** @param {any} v @returns {boolean} */
function hasPrivateMember(v) {
  if (Array.isArray(v)) return v.some(hasPrivateMember);
  if (!v || typeof v !== "object") return typeof v !== "object";
  return Object.entries(v).some(([k, x]) => PRIVATE_JWK_MEMBERS.has(k) || (typeof x === "object" && x !== null && hasPrivateMember(x)));
}

/** Whether key can sign (has private material). @param {Key | null} key */
export function canSign(key) {
  return !!(key && (key.privateJwk || key.privatePem || key.secret));
}

/**
 * Store holds the state and notifies listeners with a "change" event whose
 * detail names the changed sections.
 */
export class Store extends EventTarget {
  /** @type {State} */ #state;
  /** @type {Storage | null} */ #storage;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;

  /** @param {Storage | null} [storage] */
  constructor(storage = safeStorage()) {
    super();
    this.#storage = storage;
    this.#state = merge(defaults(), load(storage));
  }

  /** @returns {Readonly<State>} */
  get state() {
    return this.#state;
  }

  /**
   * Shallow-merges patch into one section (or sets a top-level value).
   * @template {keyof State} K
   * @param {K} section
   * @param {Partial<State[K]> | State[K]} patch
   */
  set(section, patch) {
    const cur = this.#state[section];
    this.#state = {
      ...this.#state,
      [section]: cur && typeof cur === "object" && patch && typeof patch === "object" && !Array.isArray(patch) ? { ...cur, ...patch } : patch,
    };
    this.dispatchEvent(new CustomEvent("change", { detail: { section } }));
    this.#schedule();
  }

  /**
   * The state as JSON text, for saving or sharing. Private key material is
   * included only when includePrivate is true.
   * @param {{ includePrivate?: boolean }} [opts]
   */
  serialise({ includePrivate = false } = {}) {
    const s = this.#state;
    const value = includePrivate ? s.key.value : publicOnly(s.key.value);
    // A key pasted into the verifier is secret unless it is plainly public.
    const keyText = includePrivate || isPublicKeyText(s.verify.keyText) ? s.verify.keyText : "";
    return JSON.stringify({ v: 1, ...s, key: { ...s.key, value }, verify: { ...s.verify, keyText } });
  }

  /** Replaces the state with serialised text (from serialise). @param {string} text */
  restore(text) {
    this.#state = merge(defaults(), parse(text));
    this.dispatchEvent(new CustomEvent("change", { detail: { section: "*" } }));
    this.#schedule();
  }

  /** Forgets everything saved in this browser and returns to the defaults. */
  clear() {
    this.#storage?.removeItem(STORAGE_KEY);
    this.#state = defaults();
    this.dispatchEvent(new CustomEvent("change", { detail: { section: "*" } }));
  }

  #schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.save(), 250);
  }

  /** Saves now (also called on pagehide). */
  save() {
    clearTimeout(this.#timer);
    try {
      this.#storage?.setItem(STORAGE_KEY, this.serialise({ includePrivate: this.#state.key.remember }));
    } catch {
      // Storage full or disabled (private mode): the page still works.
    }
  }
}

/** @returns {Storage | null} */
function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** @param {Storage | null} storage */
function load(storage) {
  try {
    return parse(storage?.getItem(STORAGE_KEY) ?? "");
  } catch {
    return {};
  }
}

/** @param {string} text */
function parse(text) {
  if (!text) return {};
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && v.v === 1 ? v : {};
  } catch {
    return {};
  }
}

/**
 * Merges saved values over defaults section by section, keeping only known
 * sections and fields of the default's type.
 * @param {State} base
 * @param {any} saved
 * @returns {State}
 */
function merge(base, saved) {
  /** @type {any} */
  const out = { ...base };
  if (["system", "light", "dark"].includes(saved.theme)) out.theme = saved.theme;
  for (const section of ["inspect", "mint", "verify"]) {
    const src = saved[section];
    if (!src || typeof src !== "object") continue;
    out[section] = { ...out[section] };
    for (const [k, v] of Object.entries(src)) {
      if (k in out[section] && typeof v === typeof out[section][k]) out[section][k] = v;
    }
  }
  if (saved.minted && typeof saved.minted === "object") {
    out.minted = {};
    for (const k of ["id_token", "access_token", "logout_token"]) {
      if (typeof saved.minted[k] === "string") out.minted[k] = saved.minted[k];
    }
  }
  if (saved.key && typeof saved.key === "object") {
    const remember = saved.key.remember === true;
    const value = saved.key.value && typeof saved.key.value === "object" && typeof saved.key.value.alg === "string" ? saved.key.value : null;
    out.key = { remember, value: remember ? value : publicOnly(value) };
  }
  return out;
}
