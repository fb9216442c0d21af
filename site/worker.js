// @ts-check
/* tokenlab engine worker: runs the Go/WebAssembly engine off the main thread,
 * as a dedicated Worker (one page's engine) or a SharedWorker (one engine for
 * every embed of a page; see boot.js and tokenlab.js).
 *
 * Protocol (see tokenlab.js), the same on a dedicated worker and on each
 * port of a shared one:
 * - A worker starts its engine as soon as it runs, fetching and compiling
 *   it here — except a dedicated worker named FROM_MODULE (a replacement
 *   for a stuck engine), which waits for page → worker {type: "init",
 *   module} and starts from that compiled WebAssembly.Module. A Module
 *   cannot be sent to a shared worker.
 * - worker → page {type: "hello"} on each new port of a shared worker, at
 *   once: its event loop is free (a Go computation that never ends would
 *   block it).
 * - worker → page {type: "ready", version, phases, module?} once Go is
 *   serving and warmed up (WARM_UP_TOKEN), or {type: "failed", message};
 *   a dedicated worker hands back the compiled module for a replacement
 *   engine to start from. phases holds
 *   when each start-up phase ended, in milliseconds since the Unix epoch:
 *   worker (this script ran), fetchStart and fetchEnd (the engine's
 *   download, when this worker made it), compiled, started (Go's main
 *   running), ready.
 * - page → worker {id, method, args}, args being the JSON text of the
 *   method's arguments; the worker hands it to Go untouched and answers
 *   {id, result, ms} with Go's JSON result text, or {id, error, ms} with
 *   {code, message} as JSON text. ms is the engine's own time for the call,
 *   measured here, so the page can tell it from the round trip. Nothing is
 *   parsed or re-encoded on the way (only the WebCrypto RSA path reads its
 *   options).
 */

importScripts("./wasm_exec.js");

const WASM_URL = new URL("./tokenlab.wasm", self.location.href);
/** The name of a dedicated worker that starts from a module the page sends (tokenlab.js). */
const FROM_MODULE = "tokenlab-engine-from-module";

/** Milliseconds since the Unix epoch, comparable across the page and its workers. */
const epoch = () => performance.timeOrigin + performance.now();

/** @type {Record<string, number>} */
const phases = { worker: epoch() };

/**
 * RSA algorithms whose keys WebCrypto generates (much faster than Go in WASM).
 * @type {Record<string, { name: string, hash: string, usages: KeyUsage[] }>}
 */
const WEBCRYPTO_RSA = {
  RS256: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", usages: ["sign", "verify"] },
  RS384: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-384", usages: ["sign", "verify"] },
  RS512: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-512", usages: ["sign", "verify"] },
  PS256: { name: "RSA-PSS", hash: "SHA-256", usages: ["sign", "verify"] },
  PS384: { name: "RSA-PSS", hash: "SHA-384", usages: ["sign", "verify"] },
  PS512: { name: "RSA-PSS", hash: "SHA-512", usages: ["sign", "verify"] },
  "RSA-OAEP": { name: "RSA-OAEP", hash: "SHA-1", usages: ["encrypt", "decrypt"] },
  "RSA-OAEP-256": { name: "RSA-OAEP", hash: "SHA-256", usages: ["encrypt", "decrypt"] },
};

/**
 * A throwaway token (HS256; iss, sub, aud, exp, nonce) that the engine
 * inspects (decodes and explains) before it says it is ready, and verifies
 * once it has been idle for a moment after.
 * The first call of each method in a fresh module is many times slower —
 * V8 compiles each function on its first call, Go fills its caches and
 * reads the claim catalog — and a page's first real call (a share link's
 * or an embed's token, the first paste) should not pay for that.
 */
const WARM_UP_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL3dhcm0tdXAuaW52YWxpZCIsInN1YiI6Indhcm0tdXAiLCJhdWQiOiJ3YXJtLXVwIiwiZXhwIjoxLCJub25jZSI6Im4ifQ.c2ln";

/**
 * @typedef {{ call(method: string, argsJSON: string): Promise<string>, version: string }} GoEngine
 * @typedef {(message: any) => void} Reply
 */

/** @type {Promise<GoEngine> | undefined} */
let engine;
/** The compiled engine, once there is one. @type {WebAssembly.Module | undefined} */
let compiled;

/**
 * Starts the engine once: from module when the page compiled it, else by
 * fetching and compiling it here.
 * @param {WebAssembly.Module} [module]
 * @returns {Promise<GoEngine>}
 */
function start(module) {
  engine ??= (async () => {
    // @ts-ignore: Go is defined by wasm_exec.js.
    const go = new Go();
    /** @type {Promise<GoEngine>} */
    const started = new Promise((resolve) => {
      /** @type {any} */ (self).tokenlabStarted = resolve;
    });
    if (!module) {
      phases.fetchStart = epoch();
      module = await WebAssembly.compileStreaming(fetch(WASM_URL));
      const download = /** @type {PerformanceResourceTiming | undefined} */ (performance.getEntriesByName(WASM_URL.href)[0]);
      if (download) phases.fetchEnd = performance.timeOrigin + download.responseEnd;
      phases.compiled = epoch();
    }
    compiled = module;
    const instance = await WebAssembly.instantiate(module, go.importObject);
    go.run(instance).then(() => {
      // The Go program never exits on purpose; if it does, say so on every call.
      announce({ type: "failed", message: "The tokenlab engine stopped unexpectedly. Reload the page." });
    });
    const api = await started;
    phases.started = epoch();
    const quiet = () => {};
    await api.call("inspect", JSON.stringify([WARM_UP_TOKEN])).catch(quiet);
    phases.ready = epoch();
    warmVerifyWhenIdle(api);
    return api;
  })();
  return engine;
}

/** How long the engine must have had no call before it warms up verify, in milliseconds. */
const IDLE_WARM_UP = 1500;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let idleTimer;
/** @type {(() => void) | undefined} */
let warmVerify;

/**
 * Warms verify up once the engine has been idle for IDLE_WARM_UP, so that
 * neither ready nor the page's first calls (a paste, an embed's token)
 * wait for it; each call restarts the wait (answer).
 * @param {GoEngine} go
 */
function warmVerifyWhenIdle(go) {
  warmVerify = () => {
    warmVerify = undefined;
    go.call("verify", JSON.stringify([WARM_UP_TOKEN, { key: "warm-up secret" }])).catch(() => {});
  };
  idleTimer = setTimeout(warmVerify, IDLE_WARM_UP);
}

/** Where start-up news goes: the dedicated worker's page, or every port of a shared worker. @type {Set<Reply>} */
const listeners = new Set();

/** @param {any} message */
function announce(message) {
  for (const reply of listeners) reply(message);
}

/**
 * Tells reply when the engine is ready or could not start; with the
 * compiled module when it goes to the page (a dedicated worker's).
 * @param {Reply} reply
 * @param {boolean} handBack
 */
function report(reply, handBack) {
  listeners.add(reply);
  start().then(
    (go) => reply({ type: "ready", version: go.version, phases, module: handBack ? compiled : undefined }),
    (err) => reply({ type: "failed", message: `The tokenlab engine could not start: ${err && err.message ? err.message : err}` }),
  );
}

/**
 * Runs one request and returns Go's JSON result text. Errors from Go
 * arrive as {code, message} JSON text.
 * @param {string} method
 * @param {string} argsJSON
 * @returns {Promise<string>}
 */
async function run(method, argsJSON) {
  const go = await start();
  if (method === "generateKey") {
    const viaWebCrypto = await generateWithWebCrypto(go, argsJSON);
    if (viaWebCrypto !== undefined) return viaWebCrypto;
  }
  return go.call(method, argsJSON);
}

/**
 * Generates an RSA key with WebCrypto and hands it to Go as a JWK, so the
 * result (Go's JSON text) has the same shape as a Go-generated key.
 * Returns undefined when WebCrypto does not apply, so the caller falls
 * back to Go.
 * @param {GoEngine} go
 * @param {string} argsJSON generateKey's arguments: [opts]
 * @returns {Promise<string | undefined>}
 */
async function generateWithWebCrypto(go, argsJSON) {
  let opts;
  try {
    opts = JSON.parse(argsJSON)[0];
  } catch {
    return undefined; // let Go explain the error
  }
  const spec = opts && typeof opts === "object" ? WEBCRYPTO_RSA[opts.alg] : undefined;
  if (!spec || !self.crypto?.subtle) return undefined;
  const bits = opts.bits ?? 2048;
  if (![2048, 3072, 4096].includes(bits)) return undefined; // let Go explain the error
  let jwk;
  try {
    const pair = /** @type {CryptoKeyPair} */ (await crypto.subtle.generateKey(
      { name: spec.name, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: spec.hash },
      true,
      spec.usages,
    ));
    jwk = await crypto.subtle.exportKey("jwk", pair.privateKey);
  } catch {
    return undefined;
  }
  delete jwk.key_ops;
  delete jwk.ext;
  jwk.alg = opts.alg;
  /** @type {{ alg: string, kid?: string }} */
  const importOpts = { alg: opts.alg };
  if (opts.kid) importOpts.kid = opts.kid;
  return go.call("importKey", JSON.stringify([JSON.stringify(jwk), importOpts]));
}

/**
 * Answers one request through reply, with the engine's own time.
 * @param {{ id: number, method: string, args: string }} request
 * @param {Reply} reply
 */
async function answer({ id, method, args }, reply) {
  if (warmVerify) {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(warmVerify, IDLE_WARM_UP);
  }
  const t0 = performance.now();
  try {
    const result = await run(method, args);
    reply({ id, result, ms: performance.now() - t0 });
  } catch (err) {
    reply({ id, error: toEngineError(err), ms: performance.now() - t0 });
  }
}

/**
 * Go rejects with {code, message} JSON text, passed on as it is; anything
 * else (a JavaScript exception in this worker) becomes code "internal".
 * @param {unknown} err
 * @returns {string}
 */
function toEngineError(err) {
  if (typeof err === "string" && err.startsWith("{")) return err;
  const message = err instanceof Error ? err.message : String(err);
  return JSON.stringify({ code: "internal", message: `tokenlab engine error: ${message}` });
}

if (typeof SharedWorkerGlobalScope === "function" && self instanceof SharedWorkerGlobalScope) {
  const shared = /** @type {SharedWorkerGlobalScope} */ (/** @type {unknown} */ (self));
  start();
  shared.onconnect = (event) => {
    const port = event.ports[0];
    /** @type {Reply} */
    const reply = (message) => port.postMessage(message);
    port.onmessage = (e) => answer(e.data, reply);
    reply({ type: "hello" });
    report(reply, false);
  };
} else {
  /** @type {Reply} */
  const reply = (message) => self.postMessage(message);
  if (self.name !== FROM_MODULE) {
    start();
    report(reply, true);
  }
  self.onmessage = (event) => {
    const msg = event.data;
    if (msg.type === "init") {
      start(msg.module);
      report(reply, true);
      return;
    }
    answer(msg, reply);
  };
}
