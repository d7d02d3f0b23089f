// Online/offline as events. `navigator.onLine` can say "online" on a dead Wi-Fi;
// the sync engine's own result is the truth, this is only the trigger.
export const connection = new EventTarget();

export function isOnline() {
  return globalThis.navigator?.onLine !== false;
}

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => connection.dispatchEvent(new Event('change')));
  window.addEventListener('offline', () => connection.dispatchEvent(new Event('change')));
}
