// Injected by `make bench` into every document before its own scripts
// (Page.addScriptToEvaluateOnNewDocument). It records, without the page's
// help: the moment window.tokenlab.ready resolves (time since navigation
// start), every main-thread long task (PerformanceObserver "longtask") and
// every long animation frame with the scripts that made it long.
(() => {
  if (window.__bench) return;
  /** @type {{start: number, duration: number}[]} */
  const longtasks = [];
  /** Long animation frames, with the scripts that made them long. @type {any[]} */
  const loafs = [];
  const bench = { longtasks, loafs, readyAt: null, readyError: null };
  Object.defineProperty(window, "__bench", { value: bench });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longtasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  } catch {
    bench.noLongtaskObserver = true;
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of /** @type {any[]} */ (list.getEntries())) {
        if (e.duration <= 50) continue;
        loafs.push({
          start: Math.round(e.startTime), duration: Math.round(e.duration), blocking: Math.round(e.blockingDuration),
          scripts: e.scripts.map((/** @type {any} */ s) => ({ invoker: s.invoker, fn: s.sourceFunctionName, src: s.sourceURL, duration: Math.round(s.duration) })),
        });
      }
    }).observe({ type: "long-animation-frame", buffered: true });
  } catch {
    bench.noLoafObserver = true;
  }
  let api;
  Object.defineProperty(window, "tokenlab", {
    configurable: true,
    enumerable: true,
    get: () => api,
    set(v) {
      api = v;
      Promise.resolve(v && v.ready).then(
        () => { if (bench.readyAt === null) bench.readyAt = performance.now(); },
        (e) => { bench.readyError = String((e && e.message) || e); },
      );
    },
  });
})();
