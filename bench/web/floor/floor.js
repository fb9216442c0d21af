// @ts-check
// The floor page's module: it starts the worker the way tokenlab.js does and
// exposes the same readiness shape (window.tokenlab.ready) so the benchmark
// times both pages with one hook.
const worker = new Worker(new URL("./worker.js", import.meta.url), { name: "floor-engine" });
const ready = new Promise((resolve, reject) => {
  worker.onmessage = (e) => (e.data.type === "ready" ? resolve(undefined) : reject(new Error(e.data.message)));
  worker.onerror = (e) => reject(new Error(e.message));
});
/** @type {any} */ (window).tokenlab = { ready, version: "floor" };
