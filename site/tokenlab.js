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
 * other pending calls are sent to it again (on a page whose embeds share
 * one engine, every embed moves to the fresh one: SharedEngine below).
 *
 * Pages of tokenlab start the engine with the HTML (boot.js); this module
 * takes it over when it loads. Imported anywhere else, it starts an engine
 * of its own in a dedicated worker.
 *
 *   await tokenlab.decrypt(token, { key }, { timeout: 60_000 });
 *   await tokenlab.generateKey({ alg: "RS256", bits: 4096 }, { signal });
 *
 * It is over 400 lines because it is the whole transport, in one module
 * the page, the embeds and documentation authors import: the worker link,
 * the shared engine of embeds and its dedicated fallback, the watchdog
 * and restart, and the method table with its types.
 */

/**
 * @typedef {{ signal?: AbortSignal, timeout?: number }} Control
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
/** The name of a dedicated worker that starts from a module this page sends (worker.js). */
const FROM_MODULE = "tokenlab-engine-from-module";
/** The engine's limit on one call's arguments (internal/engine MaxArgsBytes). */
const MAX_ARGS_CHARS = 4 << 20;
/** How long a call may run unless its control object says otherwise, in milliseconds. */
export const DEFAULT_TIMEOUT = 15_000;
/**
 * How long a shared engine that other frames already use may take to greet
 * a frame joining it, in milliseconds: its event loop is free unless a Go
 * computation runs (its start-up included, which a busy machine can make
 * take seconds), so one that stays silent as long as a call may run is
 * stuck, and the page moves to a new generation.
 */
const HELLO_TIMEOUT = DEFAULT_TIMEOUT;
/** How many recent calls per method stats() summarises. */
const TIMINGS_KEPT = 100;

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
 * What boot.js started, if the page has it (window[Symbol.for("tokenlab.boot")]).
 * @typedef {{ mode: "dedicated", dedicated: Worker, early: Event[] }
 *         | { mode: "shared", connection: Promise<{ shared: SharedWorker, generation: number, joined: boolean }>, early: Event[] }} Boot
 * @typedef {{ id: number, result?: string, error?: string, ms?: number }} Answer
 */

/** The start-up phases a worker reports (worker.js), and the marks they become. */
const PHASE_MARKS = { worker: "worker-running", fetchStart: "fetch-start", fetchEnd: "fetch-end", compiled: "compiled", started: "go-started", ready: "ready" };

/**
 * Puts the engine's start-up phases on the page's performance timeline as
 * marks named tokenlab:<phase> (DevTools shows them; make bench reads them).
 * @param {Record<string, number> | undefined} phases milliseconds since the Unix epoch
 */
function markPhases(phases) {
  for (const [phase, name] of Object.entries(PHASE_MARKS)) {
    const at = phases?.[phase];
    if (typeof at === "number") performance.mark(`tokenlab:${name}`, { startTime: Math.max(0, at - performance.timeOrigin) });
  }
}

/** @param {unknown} detail */
function cannotStart(detail) {
  return new TokenlabError("internal", `The tokenlab engine could not start: ${detail || "the worker script failed to load"}. Reload the page; if it persists, your browser may not support WebAssembly in workers.`);
}

/**
 * Link is one connection to one engine instance — a dedicated worker, or a
 * port of the shared worker of one generation. It turns the worker's
 * messages into `ready` and answers, and drops everything once closed.
 */
class Link {
  /** @type {(answer: Answer) => void} */ onanswer = () => {};
  /** @type {() => void} */ onhello = () => {};
  /** Called with the worker's ready message. @type {(msg: { module?: WebAssembly.Module }) => void} */ onready = () => {};
  /** @type {Promise<void>} */ ready;
  /** @type {(value: void) => void} */ #resolve = () => {};
  /** @type {(reason: unknown) => void} */ #reject = () => {};
  #closed = false;
  #post;
  #close;

  /** @param {(message: unknown) => void} post @param {() => void} close */
  constructor(post, close) {
    this.ready = new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    this.ready.catch(() => {}); // calls report a failed start
    this.#post = post;
    this.#close = close;
  }

  /** @param {unknown} message */
  post(message) {
    if (!this.#closed) this.#post(message);
  }

  close() {
    if (this.#closed) return;
    this.#closed = true;
    this.#close();
  }

  /** Whether this link was left for another. */
  get closed() {
    return this.#closed;
  }

  /** Fails the start: calls waiting for it reject with reason. @param {unknown} reason */
  fail(reason) {
    this.#reject(reason);
  }

  /** Handles an event from the worker: a message, or the error of a worker that could not load. @param {Event} event */
  receive(event) {
    if (this.#closed) return;
    if (!(event instanceof MessageEvent)) {
      event.preventDefault();
      this.fail(cannotStart(/** @type {ErrorEvent} */ (event).message));
      return;
    }
    const msg = event.data;
    switch (msg?.type) {
      case "hello":
        this.onhello();
        return;
      case "ready":
        markPhases(msg.phases);
        this.onready(msg);
        this.#resolve();
        return;
      case "failed":
        this.fail(new TokenlabError("internal", msg.message));
        return;
    }
    this.onanswer(msg);
  }
}

/**
 * OwnEngine gives the page an engine of its own in a dedicated worker. The
 * worker hands back the module it compiled, so a replacement engine starts
 * from it without downloading or compiling anything.
 */
class OwnEngine {
  mode = "dedicated";
  generation = 0;
  /** Called when the engine must change for a reason other than a call of this page; never, here. @type {(link: Link) => void} */
  onswitch = () => {};
  /** @type {Extract<Boot, { mode: "dedicated" }> | undefined} */ #boot;
  /** @type {WebAssembly.Module | undefined} */ #module;

  /** @param {Extract<Boot, { mode: "dedicated" }>} [boot] */
  constructor(boot) {
    this.#boot = boot;
  }

  /** The first engine: the one boot.js started, or a new one. */
  connect() {
    const boot = this.#boot;
    this.#boot = undefined;
    /** @type {Worker} */
    let worker;
    if (boot) {
      worker = boot.dedicated;
    } else if (this.#module) {
      performance.mark("tokenlab:worker");
      worker = new Worker(WORKER_URL, { name: FROM_MODULE });
      worker.postMessage({ type: "init", module: this.#module });
    } else {
      performance.mark("tokenlab:worker");
      worker = new Worker(WORKER_URL, { name: "tokenlab-engine" });
    }
    const link = new Link((m) => worker.postMessage(m), () => worker.terminate());
    link.onready = (msg) => {
      this.#module ??= msg.module;
    };
    const receive = (/** @type {Event} */ e) => link.receive(e);
    worker.onmessage = receive;
    worker.onerror = receive;
    for (const e of boot?.early ?? []) link.receive(e);
    return link;
  }

  /** A fresh engine in place of one that is working on an abandoned call. */
  replace() {
    this.generation++;
    return this.connect();
  }
}

/**
 * SharedEngine connects every frame of the tokenlab origin on a page — the
 * embeds of a documentation page — to one engine in a SharedWorker.
 *
 * A Go computation cannot be interrupted, and a stuck one blocks the shared
 * worker's event loop, which no client can terminate (nor, in Chromium, can
 * a SharedWorker run the engine in a nested worker it could terminate). So
 * the engine has generations: the SharedWorker named tokenlab-engine-<n>.
 * When a call of this frame is abandoned (its time limit or its signal), the
 * frame moves to generation n+1 and says so on a BroadcastChannel; every
 * other frame moves too and sends its pending calls again. The stuck
 * instance is abandoned: it runs on until its computation ends, and the
 * browser terminates it when the page's frames are gone.
 *
 * Each frame holds a shared Web Lock named after its generation, so a frame
 * that starts later joins the generation in use. A frame that joins an
 * engine other frames already use (their lock is held) waits HELLO_TIMEOUT
 * at most for the worker's greeting: if none comes, the engine is stuck in
 * a call of a frame that set no time limit, and the page moves on.
 */
class SharedEngine {
  mode = "shared";
  generation = 0;
  /** @type {(link: Link) => void} */ onswitch = () => {};
  /** @type {Extract<Boot, { mode: "shared" }> | undefined} */ #boot;
  #channel = new BroadcastChannel("tokenlab-engine");
  /** Releases the lock of the generation in use. */
  #release = () => {};

  /** @param {Extract<Boot, { mode: "shared" }>} [boot] */
  constructor(boot) {
    this.#boot = boot;
    this.#channel.onmessage = (e) => this.#follow(e.data?.generation);
  }

  /**
   * The generation the frames of this page use — the highest one locked —
   * and whether another frame holds it.
   * @returns {Promise<{ generation: number, joined: boolean }>}
   */
  static async current() {
    const state = await navigator.locks.query();
    let generation = 0;
    let joined = false;
    for (const lock of state.held ?? []) {
      const m = /^tokenlab-engine-(\d+)$/.exec(lock.name ?? "");
      if (!m) continue;
      const g = Number(m[1]);
      if (g >= generation) joined = true;
      generation = Math.max(generation, g);
    }
    return { generation, joined };
  }

  /** Moves to generation when it is newer than this frame's. @param {unknown} generation */
  #follow(generation) {
    if (typeof generation !== "number" || !Number.isInteger(generation) || generation <= this.generation) return;
    this.generation = generation;
    this.onswitch(this.#open(Promise.resolve({ generation, joined: false })));
  }

  /** The first connection: the one boot.js made, or a new one. */
  connect() {
    const boot = this.#boot;
    this.#boot = undefined;
    if (!boot) return this.#open(SharedEngine.current());
    const link = this.#open(boot.connection, boot.connection.then(({ shared }) => shared));
    for (const e of boot.early) link.receive(e);
    // The page may have moved on while this frame's modules loaded.
    boot.connection.then(() => SharedEngine.current()).then(({ generation }) => this.#follow(generation), () => {});
    return link;
  }

  /** The next generation, announced to every frame, in place of one that is working on an abandoned call. */
  replace() {
    const generation = this.generation + 1;
    this.generation = generation;
    this.#channel.postMessage({ generation });
    return this.#open(Promise.resolve({ generation, joined: false }));
  }

  /**
   * Connects to the shared worker of a generation and holds its lock.
   * @param {Promise<{ generation: number, joined: boolean }>} target the generation, and whether other frames use it already
   * @param {Promise<SharedWorker>} [existing] the worker boot.js already connected to
   */
  #open(target, existing) {
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let silent;
    let greeted = false; // boot.js may have kept the greeting before this runs
    const port = target.then(async ({ generation, joined }) => {
      const name = `tokenlab-engine-${generation}`;
      const release = this.#release;
      this.generation = Math.max(this.generation, generation);
      navigator.locks.request(name, { mode: "shared" }, () => new Promise((resolve) => { this.#release = () => resolve(undefined); }));
      release();
      if (!existing) performance.mark("tokenlab:connect");
      const worker = existing ? await existing : new SharedWorker(WORKER_URL, { name });
      const receive = (/** @type {Event} */ e) => link.receive(e);
      worker.onerror = receive;
      worker.port.onmessage = receive;
      if (joined && !greeted) {
        silent = setTimeout(() => {
          if (!link.closed) this.onswitch(this.replace());
        }, HELLO_TIMEOUT);
      }
      return worker.port;
    });
    const link = new Link((m) => port.then((p) => p.postMessage(m)), () => port.then((p) => p.close()));
    port.catch((err) => link.fail(cannotStart(err instanceof Error ? err.message : err)));
    link.onhello = () => {
      greeted = true;
      clearTimeout(silent);
    };
    link.ready.catch(() => clearTimeout(silent));
    return link;
  }
}

/**
 * Where an engine comes from: the first one on a page takes over what
 * boot.js started (shared where boot.js asked for it and the browser has
 * what it needs); any other is a dedicated worker of its own.
 */
function engines() {
  const key = Symbol.for("tokenlab.boot");
  /** @type {Boot | undefined} */
  const boot = /** @type {any} */ (globalThis)[key];
  if (boot) delete /** @type {any} */ (globalThis)[key];
  if (boot?.mode === "shared") return new SharedEngine(boot);
  return new OwnEngine(boot);
}

/**
 * @typedef {{ resolve: (v: any) => void, reject: (e: any) => void, method: string, args: string,
 *             timeout: number, timer?: ReturnType<typeof setTimeout>, sent?: number }} Pending
 * @typedef {{ engineMs: number, roundTripMs: number }} Timing
 */

/**
 * Engine numbers requests, matches answers, enforces each call's time
 * limit, and moves to a fresh engine when a call is cancelled or runs too
 * long (a Go computation cannot be interrupted), sending the other pending
 * calls again. It keeps each method's recent timings for stats().
 */
class Engine {
  /** @type {OwnEngine | SharedEngine} */ #engines;
  /** @type {Link} */ #link;
  /** @type {Map<number, Pending>} */ #pending = new Map();
  #nextId = 1;
  /** @type {Map<string, Timing[]>} */ #timings = new Map();

  /** @param {OwnEngine | SharedEngine} engines */
  constructor(engines) {
    this.#engines = engines;
    engines.onswitch = (link) => this.#use(link);
    this.#link = this.#attach(engines.connect());
  }

  get ready() {
    return this.#link.ready;
  }

  /** How this page reaches its engine: dedicated or shared, and which generation. */
  get info() {
    return { mode: this.#engines.mode, generation: this.#engines.generation };
  }

  /** @param {Link} link */
  #attach(link) {
    link.onanswer = (answer) => this.#settle(answer);
    return link;
  }

  /** Moves to link and sends it every pending call. @param {Link} link */
  #use(link) {
    this.#link.close();
    this.#link = this.#attach(link);
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      p.sent = undefined;
      this.#send(id);
    }
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
    const link = this.#link;
    link.ready.then(() => {
      const p = this.#pending.get(id);
      if (!p || link !== this.#link) return; // settled meanwhile, or the engine was replaced again
      p.sent = performance.now();
      link.post({ id, method: p.method, args: p.args });
      if (Number.isFinite(p.timeout)) p.timer = setTimeout(() => this.#abandon(id, timedOut(p)), p.timeout);
    }, (err) => {
      const p = this.#pending.get(id);
      if (!p || link !== this.#link) return;
      this.#pending.delete(id);
      p.reject(err);
    });
  }

  /**
   * Settles a call with the engine's answer: the result as JSON text, or
   * an error as {code, message} JSON text. Each is parsed here, once.
   * @param {Answer} answer
   */
  #settle({ id, result, error, ms }) {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    if (p.sent !== undefined && typeof ms === "number") this.#record(p.method, { engineMs: ms, roundTripMs: performance.now() - p.sent });
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

  /** @param {string} method @param {Timing} timing */
  #record(method, timing) {
    let list = this.#timings.get(method);
    if (!list) this.#timings.set(method, (list = []));
    list.push(timing);
    if (list.length > TIMINGS_KEPT) list.shift();
  }

  /**
   * Each method's recent calls: how many stats() summarises, the last one,
   * and the medians — the engine's own time (measured in the worker around
   * the Go call) and the round trip from posting the call to its answer.
   */
  timings() {
    /** @type {Record<string, { count: number, last: Timing, median: Timing }>} */
    const out = {};
    for (const [method, list] of this.#timings) {
      out[method] = { count: list.length, last: list[list.length - 1], median: { engineMs: median(list.map((t) => t.engineMs)), roundTripMs: median(list.map((t) => t.roundTripMs)) } };
    }
    return out;
  }

  /**
   * Rejects one call and, if the engine may be working on it, moves to a
   * fresh engine; the other pending calls are sent to it.
   * @param {number} id @param {unknown} reason
   */
  #abandon(id, reason) {
    const p = this.#pending.get(id);
    if (!p) return;
    this.#pending.delete(id);
    clearTimeout(p.timer);
    p.reject(reason);
    if (p.sent !== undefined) this.#use(this.#engines.replace());
  }
}

/** @param {number[]} values */
function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
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
  const engine = new Engine(engines());
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
    /** Every token shape mint can issue (docs/API.md). @type {(control?: Control) => Promise<Presets>} */
    presets: method("presets"),
    /** The values the engine uses when an option is left out (docs/API.md). @type {(control?: Control) => Promise<Defaults>} */
    defaults: method("defaults"),
    /**
     * The engine's memory (Go's runtime counters: heapAlloc, heapSys, sys,
     * numGC, goroutines), plus `engine` ({mode: "dedicated" | "shared",
     * generation}) and `calls`: for each method, the last call and the
     * medians of the recent ones — engineMs, the engine's own time measured
     * in the worker, and roundTripMs, from posting the call to its answer.
     * @type {(control?: Control) => Promise<Record<string, any>>}
     */
    stats: async (...args) => ({ ...(await method("stats")(...args)), engine: engine.info, calls: engine.timings() }),
  });
}

/** @typedef {ReturnType<typeof createTokenlab>} Tokenlab */

/** The page's shared instance. */
export const tokenlab = createTokenlab();

if (typeof window !== "undefined") {
  /** @type {any} */ (window).tokenlab = tokenlab;
}
