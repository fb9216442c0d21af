// @ts-check
/**
 * What the page may keep: the one place that decides whether key text or a
 * key object holds a secret. State persistence in state.js and share links
 * in share.js both ask it, so the two cannot disagree.
 *
 * It treats as private anything the engine would read as a secret. The
 * engine takes a string as an HMAC secret unless it is a key in a common
 * encoding (docs/API.md, importKey); so, after stripping a byte-order mark,
 * surrounding quotes and white space, text is
 * - PEM (anywhere in the text, after any preamble): public only when every
 *   block is a PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE; private keys,
 *   encrypted private keys and unknown PEM types are private;
 * - bare base64 or base64url DER: public only when its DER structure is a
 *   SubjectPublicKeyInfo, a certificate or a PKCS #1 RSA public key (a
 *   SEQUENCE spanning the whole input, long enough to be a key); PKCS #8,
 *   PKCS #1 and SEC 1 private keys, and anything unsure, are private;
 * - an `ssh-rsa`, `ssh-ed25519` or `ecdsa-sha2-*` public key line: public;
 * - JSON: a JWK, a JWKS or a tokenlab key object is public when it has no
 *   private member anywhere (d, p, q, dp, dq, qi, oth, k, privateJwk,
 *   privatePem, secret) and no `oct` key; a JSON string, an array of strings
 *   (`["a-shared-secret"]`), any other JSON, or JSON that does not parse is
 *   private;
 * - anything else: an HMAC secret, private.
 */

import { decodeBytes } from "./base64url.js";

/** Members that hold private or symmetric key material (RFC 7518 §6) or a tokenlab key's private forms. */
export const PRIVATE_MEMBERS = Object.freeze(["d", "p", "q", "dp", "dq", "qi", "oth", "k", "privateJwk", "privatePem", "secret"]);

/** The private forms of a tokenlab key object (generateKey, importKey). */
const PRIVATE_KEY_FIELDS = ["privateJwk", "privatePem", "secret"];

/** PEM labels of public material (RFC 7468 §5, §13; PKCS #1). */
const PUBLIC_PEM = new Set(["PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"]);

/** The SSH public key types whose one-line form (RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4) is public. */
const SSH_LINE = /^(ssh-rsa|ssh-ed25519|ecdsa-sha2-nistp(?:256|384|521))[ \t]+([A-Za-z0-9+/]+={0,2})(?:[ \t]+[^\r\n]*)?$/;

/** The smallest public key DER worth the name: an Ed25519 SubjectPublicKeyInfo is 44 bytes (RFC 8410 §4). */
const MIN_DER_BYTES = 44;

/**
 * @typedef {"empty" | "pem" | "der" | "ssh" | "json" | "secret"} KeyForm
 * @typedef {{ form: KeyForm, private: boolean }} KeyTextClass
 */

/**
 * Classifies key text as the engine would read it, and says whether it holds
 * a secret. Empty text holds none.
 * @param {string} text
 * @returns {KeyTextClass}
 */
export function classifyKeyText(text) {
  const t = String(text ?? "").replace(/^\uFEFF/, "").trim();
  if (!t) return { form: "empty", private: false };
  if (t.startsWith("{") || t.startsWith("[")) return { form: "json", private: !isPublicJSON(t) };
  const s = unquote(t);
  if (s.includes("-----BEGIN")) return { form: "pem", private: !allPEMPublic(s) };
  const ssh = SSH_LINE.exec(s);
  if (ssh && isSSHBlob(ssh[1], ssh[2])) return { form: "ssh", private: false };
  const der = derKind(s);
  if (der) return { form: "der", private: der !== "public" };
  return { form: "secret", private: true };
}

/**
 * Whether key text holds a secret: a private key, or a string the engine
 * would take as an HMAC secret.
 * @param {string} text
 */
export function isPrivateKeyText(text) {
  return classifyKeyText(text).private;
}

/**
 * Whether a value (a parsed JWK, JWKS or key object) has a private member
 * at any depth.
 * @param {unknown} value
 * @returns {boolean}
 */
export function hasPrivateMember(value) {
  return someMember(value, (name) => PRIVATE_MEMBERS.includes(name));
}

/**
 * Whether pred holds for some member of value at any depth.
 * @param {unknown} value
 * @param {(name: string, v: unknown) => boolean} pred
 * @returns {boolean}
 */
function someMember(value, pred) {
  if (Array.isArray(value)) return value.some((v) => someMember(v, pred));
  if (!value || typeof value !== "object") return false;
  return Object.entries(value).some(([name, v]) => pred(name, v) || someMember(v, pred));
}

/**
 * A tokenlab key object without its private forms (privateJwk, privatePem,
 * secret). Should any other member still hold private material, only the
 * key's identifiers are kept.
 * @template {{ alg: string, kid?: string, kty?: string, thumbprint?: string }} K
 * @param {K | null | undefined} key
 * @returns {K | null}
 */
export function publicKey(key) {
  if (!key) return null;
  /** @type {any} */
  const out = { ...key };
  for (const f of PRIVATE_KEY_FIELDS) delete out[f];
  if (!hasPrivateMember(out)) return out;
  const { alg, kid, kty, thumbprint } = out;
  return /** @type {K} */ (JSON.parse(JSON.stringify({ alg, kid, kty, thumbprint })));
}

/**
 * Whether a key object carries private material (it can sign or decrypt).
 * @param {{ privateJwk?: unknown, privatePem?: unknown, secret?: unknown } | null | undefined} key
 */
export function hasPrivateKey(key) {
  return !!key && PRIVATE_KEY_FIELDS.some((f) => !!(/** @type {any} */ (key))[f]);
}

/**
 * @typedef {{ key?: { value?: any, remember?: boolean }, verify?: { keyText?: string }, [section: string]: unknown }} StateLike
 */

/**
 * A copy of a page state without secrets, except those the caller keeps:
 * `keepKey` keeps the current key's private forms, `keepVerifyKey` keeps a
 * secret pasted into the verify form's key box.
 * @template {StateLike} S
 * @param {S} state
 * @param {{ keepKey?: boolean, keepVerifyKey?: boolean }} keep
 * @returns {S}
 */
export function redact(state, { keepKey = false, keepVerifyKey = false }) {
  /** @type {any} */
  const out = structuredClone(state);
  if (out.key && !keepKey) out.key.value = publicKey(out.key.value);
  if (out.verify && !keepVerifyKey && isPrivateKeyText(out.verify.keyText ?? "")) out.verify.keyText = "";
  return out;
}

/**
 * Whether a page state holds any secret: the current key's private forms
 * or a secret in the verify form's key box.
 * @param {StateLike} state
 */
export function hasSecrets(state) {
  return hasPrivateKey(state.key?.value) || isPrivateKeyText(state.verify?.keyText ?? "");
}

// ------------------------------------------------------------------ sniffing

/** Strips one pair of surrounding quotes (a JSON- or shell-quoted key). @param {string} t */
function unquote(t) {
  const q = t[0];
  if (t.length >= 2 && (q === '"' || q === "'") && t.endsWith(q)) return t.slice(1, -1).trim();
  return t;
}

/** Whether every PEM block in s (there is at least one) has a public label. @param {string} s */
function allPEMPublic(s) {
  const labels = [...s.matchAll(/-----BEGIN ([^\r\n-]+)-----/g)].map((m) => m[1].trim());
  // A BEGIN line without a readable label is a PEM the engine cannot place.
  if (labels.length !== (s.match(/-----BEGIN/g) ?? []).length) return false;
  return labels.every((label) => PUBLIC_PEM.has(label));
}

/** Whether the blob of an SSH line starts with its own key type (RFC 4253 §6.6). @param {string} type @param {string} blob */
function isSSHBlob(type, blob) {
  let bytes;
  try {
    bytes = decodeBytes(blob);
  } catch {
    return false;
  }
  if (bytes.length < 4 + type.length) return false;
  const n = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
  return n === type.length && String.fromCharCode(...bytes.subarray(4, 4 + n)) === type;
}

/**
 * What bare base64 DER holds, judged from its outer structure: "public"
 * for SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), a certificate (§4.1) or a
 * PKCS #1 RSAPublicKey (RFC 8017 §A.1.1); "other" for any other DER SEQUENCE
 * (private keys among them); undefined when s is not base64 DER at all.
 * @param {string} s
 * @returns {"public" | "other" | undefined}
 */
function derKind(s) {
  if (!/^[A-Za-z0-9+/_\-\s]+={0,2}$/.test(s)) return undefined;
  let bytes;
  try {
    bytes = decodeBytes(s);
  } catch {
    return undefined;
  }
  const outer = readTLV(bytes, 0);
  if (!outer || outer.tag !== 0x30 || outer.end !== bytes.length || bytes.length < MIN_DER_BYTES) return undefined;
  /** @type {{tag: number, start: number, end: number}[]} */
  const children = [];
  for (let at = outer.start; at < outer.end;) {
    const child = readTLV(bytes, at);
    if (!child || child.end > outer.end) return "other";
    children.push(child);
    at = child.end;
  }
  const tags = children.map((c) => c.tag).join(",");
  if (tags === "48,3" || tags === "48,48,3") return "public"; // SEQUENCE {alg, BIT STRING} or {tbs, alg, BIT STRING}
  // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, the modulus at least 512 bits.
  if (tags === "2,2" && children[0].end - children[0].start >= 64) return "public";
  return "other";
}

/**
 * Reads one DER tag-length header (X.690 §8.1, definite lengths only).
 * @param {Uint8Array} b
 * @param {number} at
 * @returns {{ tag: number, start: number, end: number } | null}
 */
function readTLV(b, at) {
  if (at + 2 > b.length) return null;
  const tag = b[at];
  let len = b[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > b.length) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[start + i];
    start += n;
  }
  const end = start + len;
  return end > b.length ? null : { tag, start, end };
}

/**
 * Whether JSON text is public key material: a JWK, a JWKS or a tokenlab key
 * object (or a non-empty array of them) with no private member and no oct
 * key, and no PEM inside but public ones.
 * @param {string} t
 */
function isPublicJSON(t) {
  let v;
  try {
    v = JSON.parse(t);
  } catch {
    return false;
  }
  const items = Array.isArray(v) ? v : [v];
  if (!items.length || !items.every(isKeyShaped)) return false;
  if (hasPrivateMember(v) || someMember(v, (name, x) => name === "kty" && x === "oct")) return false;
  return !t.includes("-----BEGIN") || allPEMPublic(t);
}

/** Whether v looks like a JWK, a JWKS or a tokenlab key object. @param {unknown} v */
function isKeyShaped(v) {
  if (!v || typeof v !== "object" || Array.isArray(v)) return false;
  const o = /** @type {Record<string, unknown>} */ (v);
  return typeof o.kty === "string" || Array.isArray(o.keys) || "publicJwk" in o || "publicPem" in o || "jwks" in o;
}
