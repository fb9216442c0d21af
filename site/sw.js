// @ts-check
/// <reference lib="webworker" />
/* tokenlab's service worker: after one visit, the playground, its docs and
 * the embeds work with no network at all.
 *
 * Strategy
 * - Install: fetch asset-manifest.json (written by the build: every source
 *   file → the name it is served under, and `precache`, the files the pages
 *   load) and keep, in one cache named after the manifest's content hashes,
 *   those of its precache files that the browser's HTTP cache already holds
 *   — what the page that registered this worker has loaded — without a
 *   single network request, so a first visit downloads nothing extra while
 *   the engine starts. A new build has new hashes, hence a new cache;
 *   activate deletes the old ones.
 * - Later, when a page of tokenlab has been ready for a while (offline.js
 *   posts {type: "tokenlab:precache"}), fetch the rest: the 8 MB engine if
 *   it was not cached yet, the embeds, the docs page, the flow. Each page
 *   load asks again, so an interrupted fill completes on a later visit.
 * - Content-hashed files (name.0123456789ab.ext) never change: cache first.
 * - Stable URLs (pages, tokenlab.js, tokenlab-element.js, the manifest) go
 *   to the network first so a deploy shows at once; when the network fails
 *   or answers with a server error, the cached copy is served.
 * - Only same-origin GET requests are handled; anything else passes through
 *   untouched. Responses to URLs with a query string are never stored.
 *
 * Tokens never reach this worker: tokenlab keeps them in the URL fragment
 * (#token=…, #state=…), which browsers strip from every request, so no
 * cached URL or response can contain one. Nothing here posts, logs or
 * sends anything.
 *
 * The list below is rewritten by the build to content-hashed names, so this
 * file's bytes — which the browser compares to decide whether to update the
 * worker — change whenever an entry point or anything it imports changes.
 */

const ENTRY_POINTS = [
  "./boot.js",
  "./app.js",
  "./app.css",
  "./embed.js",
  "./embed.css",
  "./embed-docs.js",
  "./embed-docs.css",
  "./worker.js",
  "./theme-boot.js",
  "./embed-theme.js",
  "./offline.js",
];

const PREFIX = "tokenlab-";
const SCOPE = new URL("./", self.location.href);
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
/** Served names that are not worth precaching. */
const SKIP = new Set(["sw.js", "asset-manifest.json"]);
/** The entries that say a cache's install step, and its fill, are through. */
const INSTALLED = new URL("sw-installed", SCOPE).href;
const COMPLETE = new URL("sw-complete", SCOPE).href;

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

sw.addEventListener("install", (event) => {
  event.waitUntil(precache("only-if-cached").then(() => sw.skipWaiting()));
});

sw.addEventListener("message", (event) => {
  if (event.data?.type === "tokenlab:precache") event.waitUntil(precache("default"));
});

sw.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const current = await currentCache();
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== current) await caches.delete(name);
    }
    await sw.clients.claim();
  })());
});

sw.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== SCOPE.origin || !url.pathname.startsWith(SCOPE.pathname)) return;
  if (req.headers.has("range")) return;
  if (HASHED.test(url.pathname) && !url.search) {
    event.respondWith(cacheFirst(req));
  } else {
    event.respondWith(networkFirst(req, url));
  }
});

/**
 * Fetches the manifest and stores what the pages load in the release's
 * cache. With "only-if-cached" it takes only what the HTTP cache holds and
 * touches no network; with "default" it completes the cache.
 * @param {"only-if-cached" | "default"} mode
 */
async function precache(mode) {
  const res = await fetch(new URL("asset-manifest.json", SCOPE), { cache: "no-cache" });
  if (!res.ok) throw new Error(`tokenlab offline: asset-manifest.json answered ${res.status}`);
  /** @type {{version: string, precache: string[]}} */
  const manifest = await res.json();
  const served = manifest.precache.filter((name) => !SKIP.has(name));
  const name = await cacheName(manifest.version, served);
  const cache = await caches.open(name);
  const have = new Set((await cache.keys()).map((r) => r.url));
  if (have.has(COMPLETE)) return;
  const wanted = served.map((s) => new URL(s, SCOPE).href).filter((u) => !have.has(u));
  // One by one, so a failed asset names itself.
  for (const u of wanted) {
    const hashed = HASHED.test(u);
    if (mode === "only-if-cached" && !hashed) continue; // stable names are revalidated first
    const r = await fetch(u, { cache: mode === "default" && !hashed ? "no-cache" : mode, mode: "same-origin" }).catch(() => null);
    if (mode === "only-if-cached" && !r?.ok) continue; // not loaded yet: later
    if (!r?.ok) throw new Error(`tokenlab offline: ${u} answered ${r ? r.status : "nothing (offline?)"}`);
    await cache.put(u, r);
  }
  // Mark the cache usable once the install step is through, and complete
  // only after the fill: activate() never chooses a cache whose install was
  // interrupted, and a page asks for the fill until it is complete.
  await cache.put(mode === "default" ? COMPLETE : INSTALLED, new Response(name));
}

/**
 * The cache name: the release and a digest of every served (hashed) name,
 * so any change to any asset yields a new cache.
 * @param {string} version
 * @param {string[]} served
 */
async function cacheName(version, served) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(served.join("\n")));
  const hex = [...new Uint8Array(digest).slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${PREFIX}${version}-${hex}`;
}

/** The newest tokenlab cache whose install step is through, or undefined. */
async function currentCache() {
  const names = (await caches.keys()).filter((n) => n.startsWith(PREFIX));
  for (const name of names.reverse()) {
    const cache = await caches.open(name);
    if (await cache.match(INSTALLED)) return name;
  }
  return undefined;
}

/** @param {Request} req */
async function cacheFirst(req) {
  const hit = await caches.match(req, { ignoreVary: true });
  if (hit) return hit;
  const res = await fetch(req);
  if (res.ok && res.type === "basic") await store(req.url, res.clone());
  return res;
}

/** @param {Request} req @param {URL} url */
async function networkFirst(req, url) {
  const key = cacheKey(url);
  try {
    const res = await fetch(req);
    if (res.status < 500) {
      if (res.ok && res.type === "basic" && !url.search) await store(key, res.clone());
      return res;
    }
    return (await caches.match(key, { ignoreVary: true })) ?? res;
  } catch (err) {
    const hit = await caches.match(key, { ignoreVary: true });
    if (hit) return hit;
    throw err;
  }
}

/**
 * The cache entry for a URL: a directory means its index.html; the query
 * string is ignored, as pages take their input from the fragment.
 * @param {URL} url
 */
function cacheKey(url) {
  const u = new URL(url.pathname, url.origin);
  if (u.pathname.endsWith("/")) u.pathname += "index.html";
  return u.href;
}

/** Stores a fresh copy in the current cache (if there is one yet). @param {string} key @param {Response} res */
async function store(key, res) {
  const name = await currentCache();
  if (name) await (await caches.open(name)).put(key, res);
}
