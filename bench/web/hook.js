// Injected by `make bench` into every document, frames included, before
// its own scripts (Page.addScriptToEvaluateOnNewDocument). It records,
// without the page's help: the moment window.tokenlab.ready resolves (time
// since navigation start), every main-thread long task (PerformanceObserver
// "longtask"), every long animation frame with the scripts that made it
// long, and every layout shift. On a page opened with a token in its
// fragment (a share link, an embed), it also records when the token was
// first shown explained: a visible, non-empty <tl-claims-table>, or an
// embed whose root says it is ready (data-bench-shown), then the next
// painted frame (data-bench-claims). A frame of another origin cannot be read from the host page,
// so both moments also go on the frame's <html> as data-bench-ready and
// data-bench-claims, in milliseconds since the Unix epoch.
(() => {
  if (window.__bench) return;
  /** @type {{start: number, duration: number}[]} */
  const longtasks = [];
  /** Long animation frames, with the scripts that made them long. @type {any[]} */
  const loafs = [];
  /** @type {{start: number, value: number, input: boolean}[]} */
  const shifts = [];
  const bench = { longtasks, loafs, shifts, readyAt: null, readyError: null, shownAt: null, claimsAt: null };
  Object.defineProperty(window, "__bench", { value: bench });
  const epoch = () => String(performance.timeOrigin + performance.now());
  try {
    new PerformanceObserver((list) => {
      for (const e of /** @type {any[]} */ (list.getEntries())) shifts.push({ start: e.startTime, value: e.value, input: e.hadRecentInput });
    }).observe({ type: "layout-shift", buffered: true });
  } catch {
    bench.noLayoutShiftObserver = true;
  }
  if (/(^|[#&])(token|state)=/.test(location.hash)) {
    // The playground shows a link's token in a claims table; an embed says
    // its token is on screen ("shown": a compact embed fills its "Show all
    // claims" after the paint, then says "ready"; a verify embed folds its
    // claims away).
    const embedDone = () => ["shown", "ready"].includes(document.getElementById("embed-root")?.dataset.state ?? "");
    const shown = () => embedDone() || [...document.querySelectorAll("tl-claims-table")].some((t) => t.textContent.trim() !== "" && t.checkVisibility());
    const mo = new MutationObserver(() => {
      if (!embedDone() && !document.querySelector("tl-claims-table")) return;
      if (!shown()) return;
      mo.disconnect();
      // In the DOM now; painted at the next frame, which an offscreen frame
      // of another origin does not get until it is scrolled into view.
      bench.shownAt = performance.now();
      document.documentElement.dataset.benchShown = epoch();
      requestAnimationFrame(() => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          bench.claimsAt = performance.now();
          document.documentElement.dataset.benchClaims = epoch();
        };
        ch.port2.postMessage(null);
      });
    });
    mo.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }
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
        () => {
          if (bench.readyAt !== null) return;
          bench.readyAt = performance.now();
          document.documentElement.dataset.benchReady = epoch();
        },
        (e) => { bench.readyError = String((e && e.message) || e); },
      );
    },
  });
})();
