// @ts-check
/**
 * Registers tokenlab's service worker (sw.js) so the playground keeps
 * working with no network after the first visit. Pages of tokenlab itself
 * import this module; the embed does not (it must not install an 8 MB cache
 * in a documentation site's frame), though once the worker is installed the
 * embed is served from its cache on the tokenlab site too.
 *
 * The worker's scope is the directory this module is served from, so the
 * site works under a sub-path as well as at the root.
 *
 * The worker's install keeps only what this page has already loaded. Once
 * the engine has been ready for a while (FILL_DELAY) and the page is idle,
 * this module asks the worker to fetch the rest — the embeds, the docs
 * page, the flow — so that a first visit spends its bandwidth and its two
 * cores on starting the engine, not on files it may never need.
 */

/** How long after the engine is ready the worker may complete its cache, in milliseconds. */
export const FILL_DELAY = 3000;

export const registration =
  "serviceWorker" in navigator && window.isSecureContext
    ? navigator.serviceWorker
        .register(new URL("./sw.js", import.meta.url), { scope: new URL("./", import.meta.url).pathname, updateViaCache: "none" })
        .catch((err) => {
          // Offline support is an extra: the page works without it.
          console.info(`tokenlab: offline support is unavailable (${err && err.message ? err.message : err}).`);
          return null;
        })
    : Promise.resolve(null);

registration.then(async (reg) => {
  if (!reg) return;
  /** @type {Promise<unknown> | undefined} */
  const engine = /** @type {any} */ (window).tokenlab?.ready;
  await (engine ?? new Promise((resolve) => addEventListener("load", resolve, { once: true }))).catch(() => {});
  await new Promise((resolve) => setTimeout(resolve, FILL_DELAY));
  await new Promise((resolve) => ("requestIdleCallback" in window ? requestIdleCallback(resolve, { timeout: FILL_DELAY }) : resolve(undefined)));
  const ready = await navigator.serviceWorker.ready;
  ready.active?.postMessage({ type: "tokenlab:precache" });
});
