// @ts-check
/**
 * Share links: the playground's state in the URL fragment.
 *
 *   https://tokenlab.example/#state=<base64url of the state as UTF-8 JSON>
 *
 * The state is what state.js serialises ({v: 1, inspect, key, mint, minted,
 * verify}) minus the reader's own preferences (theme, "remember the private
 * key"). It goes in the fragment, never the query string: browsers do not
 * send the fragment to any server, not even tokenlab's. It is plain base64url
 * JSON, not compressed or encrypted, so anyone can read what a link holds.
 *
 * Tokens and public keys go in. Private keys and secrets — the current
 * key's privateJwk, privatePem and secret, and a private key or secret
 * pasted into the verify form — are left out unless the user ticks the
 * explicit, warned "include private keys" option.
 *
 * Opening a link restores that state (replacing the state saved in this
 * browser), then removes the fragment from the address bar.
 */

import { TlShare } from "./elements/tl-share.js";

/** @typedef {import("./state.js").Store} Store */

/** The fragment parameter that carries the state. */
export const PARAM = "state";

const PRIVATE_KEY_FIELDS = ["privateJwk", "privatePem", "secret"];
/** JWK members that hold private or symmetric key material (RFC 7518 §6). */
const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

/**
 * Encodes a value as base64url (RFC 4648 §5, no padding) of its UTF-8 JSON.
 * @param {unknown} value
 */
export function encode(value) {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes what encode wrote; null when it is not base64url JSON.
 * @param {string} text
 * @returns {any}
 */
export function decode(text) {
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
}

/**
 * Whether key text (as pasted into the verify form or an embed's key=)
 * holds private material: a private PEM, a JWK or JWKS with private
 * members, or text that is neither JSON nor PEM (an HMAC secret, as
 * tokenlab reads it).
 * @param {string} text
 */
export function isPrivateKeyText(text) {
  const t = text.trim();
  if (!t) return false;
  if (t.startsWith("-----BEGIN")) return /PRIVATE KEY-----/.test(t);
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return hasPrivateMembers(JSON.parse(t));
    } catch {
      return true; // unreadable JSON-ish text: treat as secret
    }
  }
  return true;
}

/** @param {unknown} v @returns {boolean} */
function hasPrivateMembers(v) {
  if (Array.isArray(v)) return v.some(hasPrivateMembers);
  if (!v || typeof v !== "object") return false;
  return Object.entries(v).some(([k, x]) => PRIVATE_JWK_MEMBERS.includes(k) || (typeof x === "object" && hasPrivateMembers(x)));
}

/**
 * The shareable part of a serialised state: without the reader's
 * preferences and, unless includePrivate, without private key material.
 * @param {any} state the parsed output of Store.serialise({includePrivate: true})
 * @param {{ includePrivate?: boolean }} [opts]
 */
export function shareable(state, { includePrivate = false } = {}) {
  const out = structuredClone(state);
  delete out.theme;
  const value = out.key?.value;
  if (value && !includePrivate) {
    for (const f of PRIVATE_KEY_FIELDS) delete value[f];
  }
  // The reader decides what their browser remembers; the flag only tells
  // restore() to keep the private key that the sender chose to include.
  if (out.key) out.key.remember = includePrivate && !!value && PRIVATE_KEY_FIELDS.some((f) => value[f]);
  if (out.verify && !includePrivate && typeof out.verify.keyText === "string" && isPrivateKeyText(out.verify.keyText)) {
    out.verify.keyText = "";
  }
  return out;
}

/**
 * The share link for a serialised state.
 * @param {any} state
 * @param {{ includePrivate?: boolean, base?: string }} [opts]
 */
export function shareURL(state, { includePrivate = false, base = location.href } = {}) {
  const url = new URL(base);
  url.search = ""; // never the query string
  url.hash = `${PARAM}=${encode(shareable(state, { includePrivate }))}`;
  return url.href;
}

/**
 * The state in a fragment, or null when it has none.
 * @param {string} hash location.hash
 */
export function readFragment(hash) {
  const h = hash.replace(/^#/, "");
  if (!h.includes("=")) return null; // a plain anchor (#verify)
  const raw = new URLSearchParams(h).get(PARAM);
  if (!raw) return null;
  const state = decode(raw);
  return state && typeof state === "object" && state.v === 1 ? state : null;
}

/**
 * A playground link that opens one token (and its verification settings),
 * for the embeds' "Open in tokenlab". Only what the embed's own URL already
 * holds goes in.
 * @param {URL | string} page the playground's URL
 * @param {{ token: string, key?: string, issuer?: string, audience?: string, nonce?: string, clientId?: string, kind?: string }} opts
 */
export function tokenURL(page, opts) {
  const verify = { token: opts.token, keySource: "pasted", keyText: opts.key ?? "", issuer: opts.issuer ?? "", audience: opts.audience ?? "", nonce: opts.nonce ?? "", clientId: opts.clientId ?? "", kind: opts.kind ?? "auto" };
  const url = new URL(page);
  url.hash = `${PARAM}=${encode({ v: 1, inspect: { token: opts.token }, verify })}`;
  return url.href;
}

/**
 * Restores the state of a share link, if the page was opened with one, and
 * connects every <tl-share> element to the store. Call it once, right after
 * creating the store and before the first render.
 * @param {Store} store
 */
export function initShare(store) {
  TlShare.define("tl-share");
  const shared = readFragment(location.hash);
  if (shared) {
    store.restore(JSON.stringify({ ...shared, theme: store.state.theme }));
    // A private key the sender included is used, not remembered.
    if (store.state.key.remember) store.set("key", { remember: false });
    history.replaceState(history.state, "", location.pathname + location.search);
  }
  for (const el of document.querySelectorAll("tl-share")) {
    /** @type {any} */ (el).source = (/** @type {{includePrivate: boolean}} */ opts) =>
      shareURL(JSON.parse(store.serialise({ includePrivate: true })), { ...opts, base: location.href });
  }
  document.addEventListener("tl-share", (e) => {
    const { url } = /** @type {CustomEvent} */ (e).detail;
    // The Share button writes the state into the address bar's fragment.
    history.replaceState(history.state, "", url);
  });
  // Once the state moves on, the fragment no longer describes it: drop it,
  // so a reload shows the saved state rather than an old share.
  store.addEventListener("change", () => {
    if (readFragment(location.hash)) history.replaceState(history.state, "", location.pathname + location.search);
  });
  document.addEventListener("tl-share-close", (e) => {
    // Leave no private key in the address bar once the dialog is closed.
    if (/** @type {CustomEvent} */ (e).detail.includePrivate) history.replaceState(history.state, "", location.pathname + location.search);
  });
  return shared !== null;
}
