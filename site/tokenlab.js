// @ts-check
/**
 * tokenlab's JavaScript API (docs/API.md): every method returns a Promise
 * answered by the Go/WebAssembly engine running in a Web Worker, so no call
 * blocks the page. Importing this module sets `window.tokenlab` too.
 *
 *   import { tokenlab } from "/tokenlab.js";
 *   await tokenlab.ready;
 *   const { header, payload } = await tokenlab.decode(token);
 *
 * Every method takes, after its own arguments, an optional control object
 * `{ signal, timeout }`: aborting the signal rejects the call at once with
 * the signal's reason; `timeout` (milliseconds, default 15 000; Infinity
 * for none) bounds how long the call may run. Either way the engine, which
 * cannot interrupt a Go computation, is replaced by a fresh one and the
 * other pending calls are sent to it again.
 *
 *   await tokenlab.decrypt(token, { key }, { timeout: 60_000 });
 *   await tokenlab.generateKey({ alg: "RS256", bits: 4096 }, { signal });
 */

/**
 * @typedef {{ signal?: AbortSignal, timeout?: number }} Control
 * @typedef {{ resolve: (v: any) => void, reject: (e: any) => void, method: string, args: string,
 *             timeout: number, timer?: ReturnType<typeof setTimeout> }} Pending
 */

/**
 * What the methods resolve with (docs/API.md has every field). Token
 * headers and payloads are whatever JSON the token holds.
 * @typedef {{
 *   alg: string, kid?: string, kty?: string, thumbprint?: string,
 *   bits?: number, crv?: string, use?: string, private?: boolean, description?: string,
 *   publicJwk?: any, privateJwk?: any, jwks?: any, x5c?: string[],
 *   publicPem?: string, privatePem?: string, secret?: string,
 * }} Key
 * @typedef {{ format: "JWS" | "JWE" | "unsecured" | "SD-JWT", header: Record<string, any>, payload: any, signature: string, parts: string[], warnings?: string[],
 *             sdAlg?: string, disclosures?: Disclosure[], processed?: Record<string, any>, undisclosed?: number, kb?: KeyBindingJWT }} Decoded
 * @typedef {{ disclosure: string, digest: string, salt: string, name?: string, value: unknown, path?: string }} Disclosure
 * @typedef {{ header: Record<string, any>, payload: Record<string, any>, signature: string, parts: string[] }} KeyBindingJWT
 * @typedef {{ token: string, disclosures: Disclosure[], kb?: KeyBindingJWT, warnings: string[] }} Presentation
 * @typedef {{ token: string, header: Record<string, any>, payload: any, disclosures?: Disclosure[] }} Minted
 * @typedef {{ header: Record<string, any>, plaintext: string, payload?: any, nested?: Decoded | null }} Decrypted
 * @typedef {{ id: string, ok: boolean, status: "pass" | "fail" | "warn" | "skip", message: string, ref?: string }} Check
 * @typedef {{ valid: boolean, complete: boolean, missing: string[], verdict: "valid" | "incomplete" | "invalid", summary: string,
 *             kind: string, requested: string, strict: boolean, resembles?: string, confidence?: number, threshold?: number,
 *             header: Record<string, any>, payload: any, checks: Check[],
 *             jkt?: string, sdAlg?: string, disclosures?: Disclosure[], processed?: Record<string, any>, undisclosed?: number, kb?: KeyBindingJWT }} Verified
 * @typedef {{ id: string, severity: string, message: string, ref?: string }} Finding
 * @typedef {{ name: string, where: string, value: unknown, meaning: string, known: boolean, ref?: string, refUrl?: string,
 *             display?: string, custom?: boolean, items?: { value: string, meaning?: string }[] }} Claim
 * @typedef {{ kind?: string, title?: string, summary?: string, issuedBy?: string, for?: string, validatedBy?: string, notFor?: string,
 *             sendTo?: string, lifetime?: string, steps?: { text: string, ref?: string }[], versus?: string,
 *             sources?: { ref: string, url: string }[] }} Purpose
 * @typedef {{ kind: string, format: "JWS" | "JWE" | "unsecured" | "opaque", headline: string, certainty: "declared" | "likely" | "unclear",
 *             resembles?: string, confidence: number, ruleKind: string, signals: string[],
 *             encryption?: { alg: string, algMeaning: string, enc: string, encMeaning: string, nested: boolean, note: string },
 *             opaque?: { prefix: string, vendor: string, name: string, kind: string, note: string, ref: string, url: string },
 *             purpose: Purpose | null, claims: Claim[], findings: Finding[] }} Explanation
 * @typedef {{ decoded: Decoded | null, explanation: Explanation }} Inspection
 * @typedef {{ key: { alg: string, rsaBits: number, crv: string, dirBits: number }, enc: string, lifetime: number, leeway: number,
 *             kind: string, preset: string,
 *             identities: { issuer: string, subject: string, clientId: string, audience: string, nonce: string, scope: string, sessionId: string } }} Defaults
 * @typedef {{ kind: string, source: string, header: Record<string, unknown>, claims: Record<string, unknown>, departures: string[], note: string }} PresetKind
 * @typedef {{ placeholders: Record<string, string>, presets: { name: string, title: string, url: string, kinds: PresetKind[], notIssued: Record<string, string> }[] }} Presets
 */

const VERSION = "__TOKENLAB_VERSION__";
const WORKER_URL = new URL("./worker.js", import.meta.url);
/** The engine's limit on one call's arguments (internal/engine MaxArgsBytes). */
const MAX_ARGS_CHARS = 4 << 20;
/** How long a call may run unless its control object says otherwise, in milliseconds. */
export const DEFAULT_TIMEOUT = 15_000;

/**
 * The engine's methods and how many arguments of their own each takes; the
 * control object comes after them.
 */
const METHODS = /** @type {const} */ ({
  decode: 1,
  inspect: 2,
  explain: 2,
  verify: 2,
  decrypt: 2,
  mint: 1,
  present: 2,
  generateKey: 1,
  importKey: 2,
  guide: 0,
  presets: 0,
  defaults: 0,
  stats: 0,
});

/**
 * TokenlabError is the Error every failed call rejects with: `code` is one
 * of the stable codes of docs/API.md (malformed, bad_key, unsupported,
 * bad_request, timeout, internal), `message` says what to try.
 */
export class TokenlabError extends Error {
  /** @param {string} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = "TokenlabError";
    this.code = code;
  }
}

/**
 * Engine owns the worker: it numbers requests, matches responses, enforces
 * each call's time limit, and replaces the worker when a call is cancelled
 * or runs too long (a Go computation cannot be interrupted), sending the
 * other pending calls again.
 */
class Engine {
  /** @type {Worker | null} */ #worker = null;
  /** @type {Map<number, Pending>} */ #pending = new Map();
  #nextId = 1;
  /** @type {Promise<void>} */ #ready;

  constructor() {
    this.#ready = this.#start();
  }

  /** Starts a fresh worker; calls report a failed start, so it is not an unhandled rejection. */
  #restart() {
    this.#worker?.terminate();
    this.#ready = this.#start();
    this.#ready.catch(() => {});
  }

  get ready() {
    return this.#ready;
  }

  /** @returns {Promise<void>} */
  #start() {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { name: "tokenlab-engine" });
      this.#worker = worker;
      worker.onmessage = (event) => {
        const msg = event.data;
        if (msg.type === "ready") {
          resolve();
          return;
        }
        if (msg.type === "failed") {
          reject(new TokenlabError("internal", msg.message));
          return;
        }
        this.#settle(msg.id, msg.result, msg.error);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new TokenlabError("internal", `The tokenlab engine could not start: ${event.message || "the worker script failed to load"}. Reload the page; if it persists, your browser may not support WebAssembly in workers.`));
      };
    });
  }

  /**
   * Calls method with args (the method's own arguments) under control.
   * @param {string} method
   * @param {unknown[]} args
   * @param {Control} [control]
   */
  call(method, args, control = {}) {
    const { signal, timeout = DEFAULT_TIMEOUT } = control;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (!(typeof timeout === "number" && timeout > 0)) {
      return Promise.reject(new TokenlabError("bad_request", `${method}: timeout must be a positive number of milliseconds (or Infinity for no limit), not ${String(timeout)}.`));
    }
    // Refuse before copying: a 10 MB paste would otherwise stall the page
    // while it is serialised for the worker, only to be refused there.
    let strings = 0;
    for (const a of args) if (typeof a === "string") strings += a.length;
    if (strings > MAX_ARGS_CHARS) return Promise.reject(tooLarge(strings));
    let json;
    try {
      json = JSON.stringify(args);
    } catch (err) {
      return Promise.reject(new TokenlabError("bad_request", `${method}: the arguments cannot be sent to the engine as JSON (${err instanceof Error ? err.message : err}).`));
    }
    if (json.length > MAX_ARGS_CHARS) return Promise.reject(tooLarge(json.length));
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject, method, args: json, timeout });
      signal?.addEventListener("abort", () => this.#abandon(id, signal.reason), { once: true });
      this.#send(id);
    });
  }

  /** Posts a pending call once the engine is ready and starts its clock. @param {number} id */
  #send(id) {
    const ready = this.#ready;
    ready.then(() => {
      const p = this.#pending.get(id);
      if (!p || ready !== this.#ready) return; // settled meanwhile, or the engine was replaced again
      this.#worker?.postMessage({ id, method: p.method, args: p.args });
      if (Number.isFinite(p.timeout)) p.timer = setTimeout(() => this.#abandon(id, timedOut(p)), p.timeout);
    }, (err) => {
      const p = this.#pending.get(id);
      if (!p) return;
      this.#pending.delete(id);
      p.reject(err);
    });
  }

  /**
   * Settles a call with the engine's answer: the result as JSON text, or
   * an error as {code, message} JSON text. Each is parsed here, once.
   * @param {number} id @param {string | undefined} result @param {string | undefined} error
   */
  #settle(id, result, error) {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    try {
      if (error === undefined) {
        p.resolve(JSON.parse(/** @type {string} */ (result)));
        return;
      }
      const e = JSON.parse(error);
      p.reject(new TokenlabError(String(e.code), String(e.message)));
    } catch (err) {
      p.reject(new TokenlabError("internal", `tokenlab could not read the engine's answer to ${p.method} (${err instanceof Error ? err.message : err}). Please report this.`));
    }
  }

  /**
   * Rejects one call and replaces the engine, which may still be working
   * on it; the other pending calls are sent to the new engine.
   * @param {number} id @param {unknown} reason
   */
  #abandon(id, reason) {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.reject(reason);
    this.#restart();
    for (const [otherId, other] of this.#pending) {
      clearTimeout(other.timer);
      this.#send(otherId);
    }
  }
}

/** @param {number} size */
function tooLarge(size) {
  return new TokenlabError("malformed", `the input is at least ${size} bytes; tokenlab accepts at most ${MAX_ARGS_CHARS} bytes per call (a token is limited to 1 MiB). Paste only the token.`);
}

/** @param {Pending} p */
function timedOut(p) {
  const limit = p.timeout >= 1000 ? `${Math.round(p.timeout / 100) / 10} s` : `${p.timeout} ms`;
  return new TokenlabError("timeout", `${p.method} ran past its time limit of ${limit}, so tokenlab stopped it and restarted its engine; other calls carry on. If the input really needs longer (a PBES2 token with a huge p2c, a very large key), pass a longer limit as the last argument, e.g. { timeout: 60000 }.`);
}

/**
 * Whether value is a control object ({signal, timeout} and nothing else),
 * so a caller may pass it in place of a method's optional options.
 * @param {unknown} value
 * @returns {value is Control}
 */
function isControl(value) {
  if (!value || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k === "signal" || k === "timeout");
}

/**
 * Creates a tokenlab API object with its own engine.
 */
export function createTokenlab() {
  const engine = new Engine();
  /**
   * @param {keyof typeof METHODS} name
   * @returns {(...args: any[]) => Promise<any>}
   */
  const method = (name) => (...args) => {
    const own = METHODS[name];
    let control = args.length > own ? args[own] : undefined;
    if (control === undefined && args.length > 0 && args.length <= own && isControl(args[args.length - 1])) control = args[args.length - 1];
    const mine = args.slice(0, own);
    while (mine.length && mine[mine.length - 1] === control) mine.pop();
    return engine.call(name, mine, control ?? {});
  };
  return Object.freeze({
    version: VERSION,
    /** Resolves when the engine is running; rejects with a clear error if it cannot start. */
    get ready() {
      return engine.ready;
    },
    /** @type {(opts?: {alg?: string, bits?: number, crv?: string, kid?: string} | Control, control?: Control) => Promise<Key>} */
    generateKey: method("generateKey"),
    /** @type {(input: unknown, opts?: {alg?: string} | Control, control?: Control) => Promise<Key>} */
    importKey: method("importKey"),
    /** @type {(opts: Record<string, unknown>, control?: Control) => Promise<Minted>} */
    mint: method("mint"),
    /** @type {(sdJwt: string, opts?: {disclose?: string[], holderKey?: unknown, audience?: string, nonce?: string, now?: number} | Control, control?: Control) => Promise<Presentation>} */
    present: method("present"),
    /** @type {(token: string, control?: Control) => Promise<Decoded>} */
    decode: method("decode"),
    /** @type {(token: string, opts: Record<string, unknown>, control?: Control) => Promise<Decrypted>} */
    decrypt: method("decrypt"),
    /** @type {(token: string, opts: Record<string, unknown>, control?: Control) => Promise<Verified>} */
    verify: method("verify"),
    /** @type {(token: string, opts?: {now?: number} | Control, control?: Control) => Promise<Inspection>} */
    inspect: method("inspect"),
    /** @type {(token: string, opts?: {now?: number} | Control, control?: Control) => Promise<Explanation>} */
    explain: method("explain"),
    /** @type {(control?: Control) => Promise<Purpose[]>} */
    guide: method("guide"),
    /** @type {(control?: Control) => Promise<Presets>} */
    presets: method("presets"),
    /** @type {(control?: Control) => Promise<Defaults>} */
    defaults: method("defaults"),
    /** @type {(control?: Control) => Promise<Record<string, unknown>>} */
    stats: method("stats"),
  });
}

/** @typedef {ReturnType<typeof createTokenlab>} Tokenlab */

/** The page's shared instance. */
export const tokenlab = createTokenlab();

if (typeof window !== "undefined") {
  /** @type {any} */ (window).tokenlab = tokenlab;
}
