// The service worker: keeps the app shell (HTML, script, styles) so that a room page can be
// reloaded while offline (docs/reliability.md, O2); the room's documents themselves come back
// from IndexedDB. The HTML is network-first: online, the server always answers. The script,
// styles and icon have content-hashed names that never change meaning, so the cached copy is
// used as it is. API calls and sockets are never touched. Bundled by scripts/build-client.mjs
// to /sw.js (scope `/`), which fills in the shell's files and a cache name for each build.

// client/ type-checks with the DOM library; the few worker types used here are declared locally.
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  location: Location;
  skipWaiting(): Promise<void>;
  clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
}

/** The shell's files (`/index.html` and the hashed assets), defined by the build. */
declare const SHELL_FILES: readonly string[];
/** This build's cache name; older builds' caches are deleted on activation. */
declare const SHELL_CACHE: string;

const worker = self as unknown as WorkerScope;
const CACHE = SHELL_CACHE;
const SHELL_URL = '/index.html';
const ASSETS = SHELL_FILES.filter((file) => file !== SHELL_URL);
const ROOM_PAGE = /^\/r\/[a-z0-9-]{1,64}\/?$/;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => worker.clients.claim()),
  );
});

/** Fetches from the network and refreshes the cached copy; falls back to the cache when offline. */
async function networkFirst(request: Request, cacheKey: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') await cache.put(cacheKey, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(cacheKey);
    if (cached) return cached;
    throw error;
  }
}

/** Answers from the cache (a hashed file never changes), or fetches and keeps it. */
async function cacheFirst(request: Request, cacheKey: string): Promise<Response> {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(cacheKey);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') await cache.put(cacheKey, response.clone());
  return response;
}

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  // A room page without an invite is the app shell; an invite link must reach the server.
  if (request.mode === 'navigate' && ROOM_PAGE.test(url.pathname) && url.search === '') {
    event.respondWith(networkFirst(request, SHELL_URL));
  } else if (ASSETS.includes(url.pathname)) {
    event.respondWith(cacheFirst(request, url.pathname));
  }
});
