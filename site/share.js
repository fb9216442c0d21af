// @ts-check
/**
 * Share links: the playground's state in the URL fragment.
 *
 *   https://tokenlab.example/#state=<base64url of the state as UTF-8 JSON>
 *
 * The state is what the store holds ({v: 1, inspect, key, mint, minted,
 * verify}) minus the reader's own preferences (theme, "remember the private
 * key"). It goes in the fragment, never the query string: browsers do not
 * send the fragment to any server, not even tokenlab's. It is plain base64url
 * JSON, not compressed or encrypted, so anyone can read what a link holds.
 *
 * Tokens and public keys go in. Secrets — the current key's privateJwk,
 * privatePem and secret, and a secret or private key pasted into the verify
 * form, as privacy.js judges them — are left out unless the user ticks the
 * explicit, warned "include private keys" option.
 *
 * Opening a link shows its state without saving it (Store.view): the
 * reader's saved work stays until they change something or press "Keep
 * this instead" in the bar that says so. The fragment leaves the address
 * bar at once, so a link that carried secrets does not stay there.
 *
 * The Share dialog writes a link into the address bar (replacing the
 * current history entry) only when it holds no secret: then the address
 * bar can be copied or bookmarked like the dialog's field, and nothing
 * private lands in the browser's history. A link with secrets stays in the
 * dialog.
 */

import { encodeJSON, decodeJSON } from "./base64url.js";
import { redact, hasSecrets, hasPrivateKey } from "./privacy.js";

/** @typedef {import("./state.js").Store} Store */
/** @typedef {import("./state.js").State} State */

/** The fragment parameter that carries the state. */
export const PARAM = "state";

/**
 * The shareable part of a state: without the reader's preferences and,
 * unless includePrivate, without secrets.
 * @param {State} state the whole state (Store.snapshot())
 * @param {{ includePrivate?: boolean }} [opts]
 */
export function shareable(state, { includePrivate = false } = {}) {
  /** @type {any} */
  const out = { v: 1, ...redact(state, { keepKey: includePrivate, keepVerifyKey: includePrivate }) };
  delete out.theme;
  // The reader decides what their browser remembers; the flag only tells
  // the reader's store to keep the private key the sender chose to include.
  out.key.remember = includePrivate && hasPrivateKey(out.key.value);
  return out;
}

/**
 * The share link for a state.
 * @param {State} state
 * @param {{ includePrivate?: boolean, base?: string }} [opts]
 */
export function shareURL(state, { includePrivate = false, base = location.href } = {}) {
  const url = new URL(base);
  url.search = ""; // never the query string
  url.hash = `${PARAM}=${encodeJSON(shareable(state, { includePrivate }))}`;
  return url.href;
}

/**
 * The state in a fragment, or null when it has none.
 * @param {string} hash location.hash
 * @returns {any}
 */
export function readFragment(hash) {
  const h = hash.replace(/^#/, "");
  if (!h.includes("=")) return null; // a plain anchor (#verify)
  const raw = new URLSearchParams(h).get(PARAM);
  if (!raw) return null;
  let state;
  try {
    state = decodeJSON(raw);
  } catch {
    return null;
  }
  return state && typeof state === "object" && /** @type {any} */ (state).v === 1 ? state : null;
}

/**
 * A playground link that opens one token (and its verification settings),
 * for the embeds' "Open in tokenlab". Only what the embed's own URL already
 * holds goes in; the playground shows it without replacing saved work.
 * @param {URL | string} page the playground's URL
 * @param {{ token: string, key?: string, issuer?: string, audience?: string, nonce?: string, clientId?: string, kind?: string,
 *           htm?: string, htu?: string, accessToken?: string, requireKeyBinding?: boolean }} opts
 */
export function tokenURL(page, opts) {
  const verify = { token: opts.token, keySource: "pasted", keyText: opts.key ?? "", issuer: opts.issuer ?? "", audience: opts.audience ?? "", nonce: opts.nonce ?? "", clientId: opts.clientId ?? "", kind: opts.kind ?? "auto",
    htm: opts.htm ?? "", htu: opts.htu ?? "", accessToken: opts.accessToken ?? "", requireKeyBinding: !!opts.requireKeyBinding };
  const url = new URL(page);
  url.hash = `${PARAM}=${encodeJSON({ v: 1, inspect: { token: opts.token }, verify })}`;
  return url.href;
}

/**
 * Whether two JSON values are equal, the order of object members aside.
 * @param {unknown} a
 * @param {unknown} b
 * @returns {boolean}
 */
function sameJSON(a, b) {
  if (a === b) return true;
  if (!a || !b || typeof a !== "object" || typeof b !== "object" || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameJSON(/** @type {any} */ (a)[k], /** @type {any} */ (b)[k]));
}

/** Removes the fragment from the address bar without a new history entry. */
function dropFragment() {
  history.replaceState(history.state, "", location.pathname + location.search);
}

/**
 * Shows the state of a share link, if the page was opened with one or is
 * given one later, and connects every <tl-share> element to the store. Call
 * it once, right after creating the store and before the first render.
 * Returns whether a shared state is being viewed.
 * @param {Store} store
 */
export function initShare(store) {
  const open = () => {
    const shared = readFragment(location.hash);
    if (!shared) return;
    // A link to exactly what is saved (the user's own, written by the
    // dialog, then reloaded) is nothing new to view.
    if (!sameJSON(shared, JSON.parse(JSON.stringify(shareable(store.snapshot()))))) store.view(shared);
    dropFragment();
  };
  open();
  // A link opened in a tab that already shows tokenlab changes only the fragment.
  addEventListener("hashchange", open);
  for (const el of document.querySelectorAll("tl-share")) {
    /** @type {import("./elements/tl-share.js").TlShare} */ (el).source = (opts) => shareURL(store.snapshot(), { ...opts, base: location.href });
  }
  document.addEventListener("tl-share", (e) => {
    const { includePrivate } = /** @type {CustomEvent} */ (e).detail;
    const state = shareable(store.snapshot(), { includePrivate });
    if (hasSecrets(state)) dropFragment();
    else history.replaceState(history.state, "", shareURL(store.snapshot(), { base: location.href }));
  });
  // Once the state moves on, the fragment no longer describes it: drop it,
  // so a reload shows the saved state rather than an old share.
  store.addEventListener("change", () => {
    if (readFragment(location.hash)) dropFragment();
  });
  wireSharedBar(store);
  return store.viewing;
}

/**
 * The bar that says a shared link is being viewed (#shared-view): "Keep
 * this instead" saves it over the user's work, "Back to my work" reloads
 * the saved state. It hides once the shared state is the user's own.
 * @param {Store} store
 */
function wireSharedBar(store) {
  const bar = document.getElementById("shared-view");
  if (!bar) return;
  const sync = () => { bar.hidden = !store.viewing; };
  store.addEventListener("view", sync);
  sync();
  document.getElementById("shared-keep")?.addEventListener("click", () => {
    store.keep();
    document.getElementById("token-input")?.focus({ preventScroll: true });
  });
  document.getElementById("shared-leave")?.addEventListener("click", () => location.reload());
}
