// @ts-check
/**
 * Starts tokenlab's engine with the HTML, before the page's modules load.
 *
 * A classic script at the top of <head> (the pages' CSP forbids inline
 * scripts). tokenlab.js, once the module graph has loaded, adopts what this
 * script started and replays the messages that arrived meanwhile, so the
 * engine's download and compilation overlap with the page's own start-up
 * instead of following it (DESIGN.md, "Known pitfalls").
 *
 *   <script src="boot.js"></script>                      the playground: its own engine
 *   <script src="boot.js" data-engine="shared"></script> embeds: one engine per page
 *
 * Own engine: the page compiles the engine (WebAssembly.compileStreaming,
 * off the main thread) while a dedicated worker starts, then hands it the
 * compiled module; tokenlab.js keeps the module, so restarting a stuck
 * engine costs an instantiation, not a download and a compilation.
 *
 * Shared engine: every frame of the tokenlab origin on a page (the embeds
 * of a documentation page) connects to one SharedWorker, named after the
 * engine generation the page's frames use (tokenlab.js, SharedLink). Where
 * SharedWorker, BroadcastChannel or Web Locks are missing, the page gets
 * its own engine instead.
 *
 * Everything this script starts is left on `window[Symbol.for("tokenlab.boot")]`.
 * It posts nothing but the engine's own protocol and requests nothing but
 * the worker script and the engine.
 */
(() => {
  const script = /** @type {HTMLScriptElement} */ (document.currentScript);
  const worker = new URL("./worker.js", script.src);
  const wasm = new URL("./tokenlab.wasm", script.src);
  /** What the engine says before tokenlab.js listens: messages, or a worker script's load error. @type {Event[]} */
  const early = [];
  const keep = (/** @type {Event} */ e) => {
    if (e.type === "error") e.preventDefault();
    early.push(e);
  };
  const mark = (/** @type {string} */ name) => performance.mark(`tokenlab:${name}`);

  if (script.dataset.engine === "shared" && typeof SharedWorker === "function" && self.BroadcastChannel && navigator.locks) {
    // The generation in use is the highest one a frame holds a lock for.
    const connection = navigator.locks.query().then((state) => {
      let generation = 0;
      for (const lock of state.held ?? []) {
        const m = /^tokenlab-engine-(\d+)$/.exec(lock.name ?? "");
        if (m) generation = Math.max(generation, Number(m[1]));
      }
      mark("connect");
      const shared = new SharedWorker(worker, { name: `tokenlab-engine-${generation}` });
      shared.onerror = shared.port.onmessage = keep;
      return { shared, generation };
    });
    /** @type {any} */ (window)[Symbol.for("tokenlab.boot")] = { mode: "shared", worker, wasm, connection, early };
    return;
  }

  mark("worker");
  const dedicated = new Worker(worker, { name: "tokenlab-engine" });
  dedicated.onmessage = dedicated.onerror = keep;
  mark("fetch-start");
  const module = WebAssembly.compileStreaming(fetch(wasm)).then((m) => {
    mark("compiled");
    dedicated.postMessage({ type: "init", module: m });
    return m;
  });
  // A failed compilation (offline, a broken deploy) is reported by
  // tokenlab.ready; the worker then fetches the engine itself.
  module.catch(() => dedicated.postMessage({ type: "init" }));
  /** @type {any} */ (window)[Symbol.for("tokenlab.boot")] = { mode: "dedicated", worker, wasm, dedicated, module, early };
})();
