// @ts-check
// The floor page's module: it starts the worker the way tokenlab.js did
// before boot.js (after the module graph, with the worker fetching the
// engine itself), exposes the same readiness shape (window.tokenlab.ready)
// and puts the same tokenlab:* start-up marks on the timeline, so the
// benchmark times both pages with one hook.
performance.mark("tokenlab:worker");
const worker = new Worker(new URL("./worker.js", import.meta.url), { name: "floor-engine" });
const ready = new Promise((resolve, reject) => {
  worker.onmessage = (e) => {
    if (e.data.type !== "ready") {
      reject(new Error(e.data.message));
      return;
    }
    const marks = { worker: "worker-running", fetchStart: "fetch-start", fetchEnd: "fetch-end", compiled: "compiled", ready: "ready" };
    for (const [phase, name] of Object.entries(marks)) {
      const at = e.data.phases[phase];
      if (typeof at === "number") performance.mark(`tokenlab:${name}`, { startTime: at - performance.timeOrigin });
    }
    resolve(undefined);
  };
  worker.onerror = (e) => reject(new Error(e.message));
});
/** @type {any} */ (window).tokenlab = { ready, version: "floor" };
