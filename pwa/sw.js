// The service worker. The server fills in VERSION (from the hashes of the assets)
// and ASSETS when it serves this file, with its imports bundled in (one request to install
// it: server/pwa_host/assets.py render_worker); a new version means a new worker.
import * as storage from './js/storage.js';
import { createApi } from './js/api.js';
import { SyncEngine } from './js/sync.js';

const VERSION = '__SW_VERSION__';
// What the page loads: the page, its styles and icons, and the app's modules as one bundle
// (server/pwa_host/bundle.py), whose versioned URL never changes content.
const ASSETS = ['__SW_ASSETS__'];
const BUNDLE = '__SW_BUNDLE__';
const SHELL = `lang-nghe-shell-${VERSION}`;
const SCOPE = new URL('./', self.location).pathname;

self.addEventListener('install', (event) => {
  // Awaited: a worker whose shell is not fully cached never becomes active.
  // 'no-cache', not 'reload': each file is revalidated against the copy the page has just
  // loaded (a 304 of a few hundred bytes), so a first visit does not download the shell twice;
  // a changed file still comes fresh, since the server's ETag moved with it. The bundle is
  // immutable: the copy in the HTTP cache is taken as it is, without a request.
  const request = (path) => new Request(path, { cache: path === BUNDLE ? 'default' : 'no-cache' });
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(ASSETS.map(request))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith('lang-nghe-') && name !== SHELL).map((name) => caches.delete(name)));
    await self.clients.claim();
    for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'version', version: VERSION });
  })());
});

self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
  if (event.data?.type === 'version') event.source?.postMessage({ type: 'version', version: VERSION });
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  // Only the app shell; the API (personal data) always goes to the network, uncached.
  if (request.method !== 'GET' || url.origin !== self.location.origin || !url.pathname.startsWith(SCOPE)) return;
  if (request.mode === 'navigate') {
    event.respondWith(caches.open(SHELL).then(async (cache) => (await cache.match(SCOPE)) ?? fetch(request)));
    return;
  }
  event.respondWith(caches.open(SHELL).then(async (cache) => (await cache.match(request, { ignoreSearch: true })) ?? fetch(request)));
});

// Background Sync: the same engine as the page, serialised with it by a Web Lock.
self.addEventListener('sync', (event) => {
  if (event.tag !== 'outbox') return;
  event.waitUntil((async () => {
    const api = createApi({ baseUrl: new URL('../api/v1', self.location.href).pathname, getToken: () => storage.getMeta('token') });
    const engine = new SyncEngine({
      store: storage.syncStore, api, client: { app_version: VERSION, device: 'service-worker' },
      getUserId: async () => (await storage.getMeta('user'))?.id ?? null,
    });
    const result = await engine.syncNow('background');
    for (const client of await self.clients.matchAll({ type: 'window' })) client.postMessage({ type: 'synced' });
    // A failed pass makes the browser retry the sync event later.
    if (result.error && result.error.kind !== 'auth') throw result.error;
  })());
});
