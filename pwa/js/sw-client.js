// The page's side of the service worker: registration, the update offer, Background Sync.
export const swEvents = new EventTarget();
let waitingWorker = null;
let acceptedUpdate = false;
let version = null;

const UPDATE_CHECK_MS = 3 * 60 * 60 * 1000;

export function appVersion() {
  return version;
}

export function updateWaiting() {
  return waitingWorker !== null;
}

function offer(worker) {
  waitingWorker = worker;
  swEvents.dispatchEvent(new Event('update-available'));
}

export async function registerServiceWorker() {
  const container = globalThis.navigator?.serviceWorker;
  if (!container) return null;
  container.addEventListener('message', (event) => {
    if (event.data?.type === 'version') {
      version = event.data.version;
      swEvents.dispatchEvent(new Event('version'));
    }
    if (event.data?.type === 'synced') swEvents.dispatchEvent(new Event('background-synced'));
  });
  container.addEventListener('controllerchange', () => {
    // The first install also changes controller; reload only for an accepted update.
    if (acceptedUpdate) location.reload();
    else container.controller?.postMessage({ type: 'version' });
  });
  const registration = await container.register('sw.js', { scope: './', type: 'module', updateViaCache: 'none' });
  container.controller?.postMessage({ type: 'version' });
  if (registration.waiting && container.controller) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const worker = registration.installing;
    worker?.addEventListener('statechange', () => {
      if (worker.state === 'installed' && container.controller) offer(worker);
    });
  });
  setInterval(() => { if (navigator.onLine) registration.update().catch(() => {}); }, UPDATE_CHECK_MS);
  return registration;
}

export async function checkForUpdate() {
  const registration = await globalThis.navigator?.serviceWorker?.getRegistration();
  await registration?.update().catch(() => {});
}

/** The volunteer agreed: the new worker takes over and the page reloads. */
export function applyUpdate() {
  if (!waitingWorker) return;
  acceptedUpdate = true;
  waitingWorker.postMessage({ type: 'skip-waiting' });
}

/** Background Sync where the browser has it (not Safari): the worker sends when a signal returns. */
export async function requestBackgroundSync() {
  try {
    const registration = await navigator.serviceWorker?.ready;
    await registration?.sync?.register('outbox');
  } catch {
    // No Background Sync: the page's own triggers do the same job while it is open.
  }
}
