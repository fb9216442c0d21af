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
 */

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
