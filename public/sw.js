// lanlab's service worker: after one visit, the app opens again without a
// network. Navigations go to the network first (so a new deploy is picked up)
// and fall back to the cached page; the app's files, whose names carry a
// content hash, are served from the cache. Nothing is cached from other origins.
const CACHE = "lanlab-v1";

/**
 * The engine's Web Worker files. Trunk gives them fixed names (no content
 * hash), so they are fetched fresh when online (revalidated) and served
 * from the cache only offline.
 */
const WORKER_FILES = ["lanlab-worker_loader.js", "lanlab-worker.js", "lanlab-worker_bg.wasm"];

function isWorkerFile(url) {
  return WORKER_FILES.some((f) => url.pathname.endsWith("/" + f));
}

/** Same-origin files referenced by the page (script, wasm, css, icons). */
function assetsOf(html, base) {
  const urls = new Set();
  for (const m of html.matchAll(/(?:href|src)="([^"]+)"/g)) {
    const url = new URL(m[1], base);
    if (url.origin === self.location.origin) urls.add(url.href);
  }
  return [...urls];
}

async function cachePage(cache, response) {
  const html = await response.clone().text();
  const assets = [
    ...assetsOf(html, response.url),
    ...WORKER_FILES.map((f) => new URL(f, self.registration.scope).href),
  ];
  await cache.put(new URL("./", self.registration.scope).href, response);
  await Promise.all(
    assets.map(async (url) => {
      const worker = isWorkerFile(new URL(url));
      if (!worker && (await cache.match(url))) return;
      try {
        const r = await fetch(url, worker ? { cache: "no-cache" } : {});
        if (r.ok) await cache.put(url, r);
      } catch {
        // Offline: keep what is cached.
      }
    }),
  );
  // Drop files of older builds that the current page no longer uses.
  const keep = new Set([...assets, new URL("./", self.registration.scope).href]);
  for (const req of await cache.keys()) {
    const u = new URL(req.url);
    if (!keep.has(req.url) && !u.pathname.includes("/labs/") && !u.pathname.endsWith("manifest.webmanifest")) {
      await cache.delete(req);
    }
  }
}

/** The example labs and their index, so the Examples menu works offline. */
async function cacheExamples(cache) {
  const index = new URL("labs/index.json", self.registration.scope).href;
  try {
    const r = await fetch(index, { cache: "no-cache" });
    if (!r.ok) return;
    const { examples = [] } = await r.clone().json();
    await cache.put(index, r);
    await Promise.all(
      examples.map(async ({ file }) => {
        const url = new URL(`labs/${file}`, self.registration.scope).href;
        const lab = await fetch(url);
        if (lab.ok) await cache.put(url, lab);
      }),
    );
  } catch {
    // Offline at install time: the examples are cached when first opened.
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const page = await fetch(new URL("./", self.registration.scope), { cache: "no-cache" });
      if (page.ok) await cachePage(cache, page);
      await cacheExamples(cache);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name !== CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET" || new URL(req.url).origin !== self.location.origin) return;
  if (req.mode === "navigate") {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const fresh = await fetch(req);
          if (fresh.ok) event.waitUntil(cachePage(cache, fresh.clone()).then(() => cacheExamples(cache)));
          return fresh;
        } catch {
          return (await cache.match(new URL("./", self.registration.scope).href)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  if (isWorkerFile(new URL(req.url))) {
    event.respondWith(
      (async () => {
        const cache = await caches.open(CACHE);
        try {
          const fresh = await fetch(req, { cache: "no-cache" });
          if (fresh.ok) await cache.put(req, fresh.clone());
          return fresh;
        } catch {
          return (await cache.match(req)) ?? Response.error();
        }
      })(),
    );
    return;
  }
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(req);
      if (hit) return hit;
      const r = await fetch(req);
      if (r.ok) await cache.put(req, r.clone());
      return r;
    })(),
  );
});
