// @ts-check
/**
 * Starts tokenlab's engine with the HTML, before the page's modules load.
 *
 * A classic script at the top of <head> (the pages' CSP forbids inline
 * scripts). tokenlab.js, once the module graph has loaded, adopts what this
 * script started and replays what the worker said meanwhile, so the
 * engine's download and compilation overlap with the page's own start-up
 * instead of following it (DESIGN.md, "Known pitfalls").
 *
 *   <script src="boot.js"></script>                      the playground: its own engine
 *   <script src="boot.js" data-engine="shared"></script> embeds: one engine per page
 *
 * Own engine: a dedicated worker, created at once, fetches and compiles the
 * engine itself (WebAssembly.compileStreaming). Compiling it here instead
 * and handing the module over started the download ~150 ms earlier but put
 * the compiler's 20-40 ms slices of streamed bytes on the busy main thread,
 * and was no faster to ready (BENCHMARKS.md).
 *
 * Shared engine: every frame of the tokenlab origin on a page (the embeds
 * of a documentation page) connects to one SharedWorker, named after the
 * engine generation the page's frames use (tokenlab.js, SharedEngine).
 * Where SharedWorker, BroadcastChannel or Web Locks are missing, the page
 * gets its own engine instead.
 *
 * What this script started is left on window[Symbol.for("tokenlab.boot")].
 * It posts nothing but the engine's own protocol and requests nothing but
 * the worker script (which fetches the engine).
 */
(() => {
  const script = /** @type {HTMLScriptElement} */ (document.currentScript);
  const worker = new URL("./worker.js", script.src);
  /** What the engine says before tokenlab.js listens: messages, or a worker script's load error. @type {Event[]} */
  const early = [];
  const keep = (/** @type {Event} */ e) => {
    if (e.type === "error") e.preventDefault();
    early.push(e);
  };
  const boot = Symbol.for("tokenlab.boot");

  if (script.dataset.engine === "shared" && typeof SharedWorker === "function" && self.BroadcastChannel && navigator.locks) {
    // The generation in use is the highest one a frame holds a lock for
    // (tokenlab.js, SharedEngine.current).
    const connection = navigator.locks.query().then((state) => {
      let generation = 0;
      let joined = false;
      for (const lock of state.held ?? []) {
        const m = /^tokenlab-engine-(\d+)$/.exec(lock.name ?? "");
        if (!m) continue;
        if (Number(m[1]) >= generation) joined = true;
        generation = Math.max(generation, Number(m[1]));
      }
      performance.mark("tokenlab:connect");
      const shared = new SharedWorker(worker, { name: `tokenlab-engine-${generation}` });
      shared.onerror = shared.port.onmessage = keep;
      return { shared, generation, joined };
    });
    /** @type {any} */ (window)[boot] = { mode: "shared", connection, early };
    return;
  }

  performance.mark("tokenlab:worker");
  const dedicated = new Worker(worker, { name: "tokenlab-engine" });
  dedicated.onmessage = dedicated.onerror = keep;
  /** @type {any} */ (window)[boot] = { mode: "dedicated", dedicated, early };
})();
