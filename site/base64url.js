// @ts-check
/**
 * base64url (RFC 4648 §5, without padding): the page's one encoder and
 * decoder. Share links, PKCE values (RFC 7636 §4.1–4.2) and random nonces
 * use it, and privacy.js reads bare base64 DER keys with it.
 *
 * Tokens are never decoded here: the engine is the only parser of tokens,
 * so the page asks tokenlab.decode for a header or payload.
 */

/** Bytes per String.fromCharCode call: well under any engine's argument limit. */
const CHUNK = 0x8000;

/**
 * Encodes bytes as base64url without padding.
 * @param {Uint8Array} bytes
 */
export function encodeBytes(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Decodes base64url or standard base64, padded or not. White space (line
 * breaks of a wrapped blob) is ignored.
 * @param {string} text
 * @returns {Uint8Array}
 * @throws {Error} when text is not base64 or base64url
 */
export function decodeBytes(text) {
  const compact = text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact)) throw new Error("not base64url: a character outside A–Z a–z 0–9 - _ (or + / =)");
  const bin = atob(compact.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Encodes a value as base64url of its UTF-8 JSON.
 * @param {unknown} value
 */
export function encodeJSON(value) {
  return encodeBytes(new TextEncoder().encode(JSON.stringify(value)));
}

/**
 * Decodes what encodeJSON wrote.
 * @param {string} text
 * @returns {unknown}
 * @throws {Error} when text is not base64url of UTF-8 JSON
 */
export function decodeJSON(text) {
  return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(decodeBytes(text)));
}

/**
 * n random bytes (crypto.getRandomValues) as base64url: a nonce, a state or
 * a PKCE code_verifier.
 * @param {number} n
 */
export function randomString(n) {
  return encodeBytes(crypto.getRandomValues(new Uint8Array(n)));
}
