// @ts-check
/* tokenlab engine worker: runs the Go/WebAssembly engine off the main thread.
 *
 * Protocol (see tokenlab.js): the page posts {id, method, args} where args
 * is the JSON text of the method's arguments; the worker hands it to Go
 * untouched and answers {id, result} with Go's JSON result text, or
 * {id, error} with {code, message} as JSON text. Nothing is parsed or
 * re-encoded on the way (only the WebCrypto RSA path reads its options).
 * It posts {type: "ready", version} once Go is serving, or
 * {type: "failed", message}.
 */

importScripts("./wasm_exec.js");

const WASM_URL = new URL("./tokenlab.wasm", self.location.href);

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
 * @typedef {{ call(method: string, argsJSON: string): Promise<string> }} GoEngine
 * @type {Promise<GoEngine>}
 */
const engine = start();

async function start() {
  // @ts-ignore: Go is defined by wasm_exec.js.
  const go = new Go();
  /** @type {Promise<GoEngine>} */
  const started = new Promise((resolve) => {
    /** @type {any} */ (self).tokenlabStarted = resolve;
  });
  const { instance } = await WebAssembly.instantiateStreaming(fetch(WASM_URL), go.importObject);
  go.run(instance).then(() => {
    // The Go program never exits on purpose; if it does, say so on every call.
    self.postMessage({ type: "failed", message: "The tokenlab engine stopped unexpectedly. Reload the page." });
  });
  return started;
}

engine.then(
  (go) => self.postMessage({ type: "ready", version: /** @type {any} */ (go).version }),
  (err) => self.postMessage({ type: "failed", message: `The tokenlab engine could not start: ${err && err.message ? err.message : err}` }),
);

/**
 * Runs one request and returns Go's JSON result text. Errors from Go
 * arrive as {code, message} JSON text.
 * @param {string} method
 * @param {string} argsJSON
 * @returns {Promise<string>}
 */
async function run(method, argsJSON) {
  const go = await engine;
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

self.onmessage = async (event) => {
  const { id, method, args } = event.data;
  try {
    self.postMessage({ id, result: await run(method, args) });
  } catch (err) {
    self.postMessage({ id, error: toEngineError(err) });
  }
};

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
