// @ts-check
/**
 * The page's state in one place: what the inspector shows, the current key,
 * the mint and verify forms, and the minted tokens. The sections update it;
 * it saves itself to localStorage (debounced, and on pagehide).
 *
 * What is saved goes through privacy.js: the current key's private forms
 * (privateJwk, privatePem, secret) only when the user turns on
 * key.remember, and a secret or private key pasted into the verify form
 * never.
 *
 * A shared link is only viewed (view()): the page shows its state, but
 * storage keeps the user's own until they change something or keep() it.
 */

import { publicKey, redact, isPrivateKeyText } from "./privacy.js";
import { randomString } from "./base64url.js";

const STORAGE_KEY = "tokenlab:v1";

/**
 * @typedef {import("./tokenlab.js").Key} Key
 * @typedef {{
 *   theme: "system" | "light" | "dark",
 *   inspect: { token: string },
 *   key: { value: Key | null, remember: boolean },
 *   mint: { kind: string, preset: string, issuer: string, subject: string, clientId: string,
 *           apiAudience: string, scope: string, nonce: string, lifetime: number, extra: string,
 *           scopeClaim: string, clientIdClaim: string },
 *   minted: { id_token?: string, access_token?: string, logout_token?: string,
 *             sd_jwt?: string, sd_jwt_presentation?: string, dpop_access_token?: string, dpop_proof?: string },
 *   verify: { token: string, keySource: "generated" | "pasted", keyText: string, issuer: string,
 *             audience: string, nonce: string, clientId: string, kind: string, now: string, leeway: number,
 *             htm: string, htu: string, accessToken: string, requireKeyBinding: boolean },
 *   sdjwt: { kind: string, vct: string, claims: string, disclose: string[], decoys: number, bind: boolean,
 *            audience: string, nonce: string, keyBinding: boolean },
 *   dpop: { htm: string, htu: string, nonce: string },
 * }} State
 */

/** @returns {State} */
export function defaults() {
  return {
    theme: "system",
    inspect: { token: "" },
    key: { value: null, remember: false },
    // The identities and the lifetime are the engine's (tokenlab.defaults()):
    // empty, and 0, until the mint section seeds them; an empty field also
    // mints the engine's default.
    mint: {
      kind: "pair",
      preset: "",
      issuer: "",
      subject: "",
      clientId: "",
      apiAudience: "",
      scope: "",
      nonce: randomNonce(),
      lifetime: 0,
      extra: '{\n  "name": "Alice Example",\n  "email": "alice@example.com"\n}',
      // The claim names the chosen provider uses in access tokens (Entra: scp, azp).
      scopeClaim: "scope",
      clientIdClaim: "client_id",
    },
    minted: {},
    verify: { token: "", keySource: "generated", keyText: "", issuer: "", audience: "", nonce: "", clientId: "", kind: "auto", now: "", leeway: 0,
      htm: "", htu: "", accessToken: "", requireKeyBinding: false },
    // The SD-JWT issuer's form (the Mint section's SD-JWT part): claims "" and
    // disclose [] until the engine's defaults arrive; the present step's
    // audience and nonce, the verifier's.
    sdjwt: { kind: "sd_jwt", vct: "", claims: "", disclose: [], decoys: 0, bind: true, audience: "https://verifier.example.org", nonce: randomNonce(), keyBinding: true },
    // The DPoP form (the Mint section's DPoP part): the request a proof is made for.
    dpop: { htm: "GET", htu: "https://api.example.com/v1/orders", nonce: "" },
  };
}

/** A fresh random nonce, as a client would create for each sign-in. */
export function randomNonce() {
  return randomString(12);
}

/**
 * Store holds the state and notifies listeners with a "change" event whose
 * detail names the changed section ("*" for all), and a "view" event when
 * viewing a shared link starts or ends.
 */
export class Store extends EventTarget {
  /** @type {State} */ #state;
  /** @type {Storage | null} */ #storage;
  /** @type {ReturnType<typeof setTimeout> | undefined} */ #timer;
  #viewing = false;

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

  /** Whether the page shows a shared link's state that is not saved. */
  get viewing() {
    return this.#viewing;
  }

  /**
   * Shallow-merges patch into one section (or sets a top-level value). A
   * patch that changes nothing is ignored; one that changes something while
   * a shared link is viewed makes that state the user's own (it is saved).
   * @template {keyof State} K
   * @param {K} section
   * @param {Partial<State[K]> | State[K]} patch
   */
  set(section, patch) {
    const cur = this.#state[section];
    const merged = cur && typeof cur === "object" && patch && typeof patch === "object" && !Array.isArray(patch);
    const next = merged ? { ...cur, ...patch } : patch;
    const same = merged ? Object.entries(patch).every(([k, v]) => Object.is(/** @type {any} */ (cur)[k], v)) : Object.is(cur, patch);
    if (same) return;
    this.#state = { ...this.#state, [section]: next };
    this.dispatchEvent(new CustomEvent("change", { detail: { section } }));
    // The theme is the reader's preference, not part of what they view.
    if (this.#viewing && section !== "theme") this.keep();
    else this.#schedule();
  }

  /**
   * Fills the fields of one section that are still unset ("", 0 or an
   * empty list) with the engine's defaults. It is not a change of the
   * user's: it neither saves nor makes a viewed shared link the user's own.
   * @template {"mint" | "verify" | "sdjwt"} K
   * @param {K} section
   * @param {Partial<State[K]>} values
   */
  seed(section, values) {
    const cur = /** @type {Record<string, unknown>} */ (this.#state[section]);
    const patch = Object.fromEntries(Object.entries(values).filter(([k, v]) => k in cur && (cur[k] === "" || cur[k] === 0 || (Array.isArray(cur[k]) && !/** @type {unknown[]} */ (cur[k]).length)) && v !== undefined));
    if (!Object.keys(patch).length) return;
    this.#state = { ...this.#state, [section]: { ...cur, ...patch } };
    this.dispatchEvent(new CustomEvent("change", { detail: { section } }));
  }

  /** The whole state, private material included, as a fresh copy. @returns {State} */
  snapshot() {
    return structuredClone(this.#state);
  }

  /**
   * Shows a shared state, from share.js, without saving it: what is stored stays
   * as it is until the user changes something or calls keep(). A private
   * key the sender included is used, not remembered; the reader's theme
   * stays.
   * @param {unknown} shared
   */
  view(shared) {
    this.#state = merge(defaults(), { .../** @type {any} */ (shared), theme: this.#state.theme });
    this.#state.key.remember = false;
    this.#viewing = true;
    this.dispatchEvent(new CustomEvent("change", { detail: { section: "*" } }));
    this.dispatchEvent(new CustomEvent("view", { detail: { viewing: true } }));
  }

  /** Makes the viewed shared state the user's own and saves it. */
  keep() {
    if (!this.#viewing) return;
    this.#viewing = false;
    this.dispatchEvent(new CustomEvent("view", { detail: { viewing: false } }));
    this.save();
  }

  /** Forgets everything saved in this browser and returns to the defaults. */
  clear() {
    this.#storage?.removeItem(STORAGE_KEY);
    this.#state = defaults();
    this.#viewing = false;
    this.dispatchEvent(new CustomEvent("change", { detail: { section: "*" } }));
  }

  #schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.save(), 250);
  }

  /**
   * Saves now (also called on pagehide): the state without secrets, the
   * current private key only when remembered. While a shared link is
   * viewed, only the reader's theme is saved over what is stored.
   */
  save() {
    clearTimeout(this.#timer);
    try {
      const record = this.#viewing
        ? { v: 1, ...parse(this.#storage?.getItem(STORAGE_KEY) ?? ""), theme: this.#state.theme }
        : { v: 1, ...redact(this.#state, { keepKey: this.#state.key.remember }) };
      this.#storage?.setItem(STORAGE_KEY, JSON.stringify(record));
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
  let saved;
  try {
    saved = parse(storage?.getItem(STORAGE_KEY) ?? "");
  } catch {
    return {};
  }
  // Older versions saved a secret from the verify box with a remembered key.
  if (typeof saved.verify?.keyText === "string" && isPrivateKeyText(saved.verify.keyText)) saved.verify.keyText = "";
  return saved;
}

/** @param {string} text @returns {Record<string, any>} */
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
 * sections and fields of the default's type, and no secret the rules of
 * privacy.js would not save.
 * @param {State} base
 * @param {any} saved
 * @returns {State}
 */
function merge(base, saved) {
  /** @type {any} */
  const out = { ...base };
  if (["system", "light", "dark"].includes(saved.theme)) out.theme = saved.theme;
  for (const section of ["inspect", "mint", "verify", "sdjwt", "dpop"]) {
    const src = saved[section];
    if (!src || typeof src !== "object") continue;
    out[section] = { ...out[section] };
    for (const [k, v] of Object.entries(src)) {
      if (k in out[section] && typeof v === typeof out[section][k] && Array.isArray(v) === Array.isArray(out[section][k])) out[section][k] = v;
    }
  }
  if (saved.minted && typeof saved.minted === "object") {
    out.minted = {};
    for (const k of ["id_token", "access_token", "logout_token", "sd_jwt", "sd_jwt_presentation", "dpop_access_token", "dpop_proof"]) {
      if (typeof saved.minted[k] === "string") out.minted[k] = saved.minted[k];
    }
  }
  if (saved.key && typeof saved.key === "object") {
    const remember = saved.key.remember === true;
    const value = saved.key.value && typeof saved.key.value === "object" && typeof saved.key.value.alg === "string" ? saved.key.value : null;
    out.key = { remember, value: remember ? value : publicKey(value) };
  }
  return out;
}
