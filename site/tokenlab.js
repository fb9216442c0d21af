// @ts-check
/**
 * tokenlab's JavaScript API (shared/API.md): every method returns a Promise
 * answered by the Go/WebAssembly engine running in a Web Worker, so no call
 * blocks the page. Importing this module sets `window.tokenlab` too.
 *
 *   import { tokenlab } from "/tokenlab.js";
 *   await tokenlab.ready;
 *   const { header, payload } = await tokenlab.decode(token);
 */

/** @typedef {{ code: string, message: string }} EngineError */
/** @typedef {{ resolve: (v: any) => void, reject: (e: any) => void, method: string, args: any[] }} Pending */

const VERSION = "__TOKENLAB_VERSION__";
const WORKER_URL = new URL("./worker.js", import.meta.url);
/** The engine's limit on one call's arguments (internal/engine MaxArgsBytes). */
const MAX_ARGS_CHARS = 4 << 20;

/**
 * TokenlabError is the Error every failed call rejects with: `code` is one
 * of the stable codes of shared/API.md, `message` says what to try.
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
 * Engine owns the worker: it numbers requests, matches responses, and
 * restarts the worker when a call is cancelled (a Go computation cannot be
 * interrupted, so the worker is replaced and other calls are sent again).
 */
class Engine {
  /** @type {Worker | null} */ #worker = null;
  /** @type {Map<number, Pending>} */ #pending = new Map();
  #nextId = 1;
  /** @type {Promise<void>} */ #ready;

  constructor() {
    this.#ready = this.#start();
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
        const pending = this.#pending.get(msg.id);
        if (!pending) return;
        this.#pending.delete(msg.id);
        if (msg.error) pending.reject(new TokenlabError(msg.error.code, msg.error.message));
        else pending.resolve(msg.result);
      };
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new TokenlabError("internal", `The tokenlab engine could not start: ${event.message || "the worker script failed to load"}. Reload the page; if it persists, your browser may not support WebAssembly in workers.`));
      };
    });
  }

  /**
   * @param {string} method
   * @param {any[]} args
   * @param {AbortSignal} [signal]
   */
  call(method, args, signal) {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const size = (args ?? []).reduce((n, a) => n + (typeof a === "string" ? a.length : 0), 0);
    if (size > MAX_ARGS_CHARS) {
      // Refuse before copying: a 10 MB paste would otherwise stall the page
      // while it is serialised for the worker, only to be refused there.
      return Promise.reject(new TokenlabError("malformed", `the input is at least ${size} bytes; tokenlab accepts at most ${MAX_ARGS_CHARS} bytes per call (a token is limited to 1 MiB). Paste only the token.`));
    }
    return new Promise((resolve, reject) => {
      const id = this.#nextId++;
      this.#pending.set(id, { resolve, reject, method, args });
      signal?.addEventListener("abort", () => this.#cancel(id, signal.reason), { once: true });
      this.#ready.then(() => this.#worker?.postMessage({ id, method, args: clone(args) }), () => {});
      this.#ready.catch(reject);
    });
  }

  /** @param {number} id @param {any} reason */
  #cancel(id, reason) {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    pending.reject(reason);
    this.#worker?.terminate();
    this.#ready = this.#start();
    for (const [otherId, other] of this.#pending) {
      this.#ready.then(() => this.#worker?.postMessage({ id: otherId, method: other.method, args: clone(other.args) }), other.reject);
    }
  }
}

/**
 * Arguments go through JSON so that a key object, a plain JWK and a string
 * reach the engine the same way whatever the caller passed.
 * @param {any[]} args
 */
function clone(args) {
  return JSON.parse(JSON.stringify(args ?? []));
}

/**
 * Creates a tokenlab API object with its own engine.
 */
export function createTokenlab() {
  const engine = new Engine();
  /** @param {string} method */
  const method = (method) => (/** @type {any[]} */ ...args) => engine.call(method, args);
  return Object.freeze({
    version: VERSION,
    get ready() {
      return engine.ready;
    },
    /** @param {{alg: string, bits?: number, crv?: string, kid?: string}} opts @param {{signal?: AbortSignal}} [control] */
    generateKey: (opts, control) => engine.call("generateKey", [opts], control?.signal),
    importKey: method("importKey"),
    mint: method("mint"),
    decode: method("decode"),
    decrypt: method("decrypt"),
    verify: method("verify"),
    explain: method("explain"),
    guide: method("guide"),
    stats: method("stats"),
  });
}

/** The page's shared instance. */
export const tokenlab = createTokenlab();

if (typeof window !== "undefined") {
  /** @type {any} */ (window).tokenlab = tokenlab;
}
