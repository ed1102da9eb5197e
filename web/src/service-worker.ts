/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

/*
 * The offline app shell (issue 14): every built file, the static files, the single page that every
 * path falls back to, and the site config, cached at install so /town/visits and a household's page
 * open with no network. Nothing else is cached: the API, the sign-in and the file store pass straight
 * through (their answers carry personal data; the visit pages keep their own encrypted copy instead).
 */

const sw = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `gridline-shell-${version}`;
const SHELL = [...build, ...files];
const PAGE = '/index.html';
const CONFIG = '/config.json';
const NEVER_CACHED = /^\/(api|auth|blobs)(\/|$)/;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll([...SHELL, PAGE]);
      // The config may be missing in a bare build; the shell works without it once online.
      await cache.add(CONFIG).catch(() => undefined);
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

/** The network's answer (kept in the cache when `keep`), else the cached copy of `fallback`. */
async function networkFirst(request: Request, fallback: string, keep: boolean): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const res = await fetch(request);
    if (keep && res.ok) await cache.put(fallback, res.clone());
    return res;
  } catch (e) {
    const hit = await cache.match(fallback);
    if (hit) return hit;
    throw e;
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin || NEVER_CACHED.test(url.pathname)) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, PAGE, false));
    return;
  }
  if (url.pathname === CONFIG) {
    event.respondWith(networkFirst(request, CONFIG, true));
    return;
  }
  if (SHELL.includes(url.pathname)) {
    // Built files are named by their content: a cached one is the one asked for.
    event.respondWith(caches.match(url.pathname).then((hit) => hit ?? fetch(request)));
  }
});
