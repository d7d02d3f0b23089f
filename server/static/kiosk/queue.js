// The kiosk's outbox: ratings wait in IndexedDB until the server has acknowledged them
// (created, duplicate or rejected), so a tablet offline all morning loses nothing and a
// resend is stored once (the server is idempotent by client_uuid).

const DB_NAME = 'lang-nghe-kiosk';
const STORE = 'outbox';
let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'client_uuid' });
      request.onsuccess = () => {
        const db = request.result;
        // iOS closes connections when it reclaims memory: reopen next time.
        db.onclose = () => { opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
    });
  }
  return opening;
}

async function run(mode, work) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const result = work(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(result && 'result' in result ? result.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const enqueue = (rating) => run('readwrite', (store) => store.put(rating));
export const pending = () => run('readonly', (store) => store.getAll());
export const count = () => run('readonly', (store) => store.count());
export const remove = (uuids) => run('readwrite', (store) => { uuids.forEach((id) => store.delete(id)); });

// The delay before the n-th retry: 1 s, 2 s, 4 s… up to a minute, with some jitter so
// tablets back online together do not all call at once.
export function backoffDelay(attempt, random = Math.random) {
  const base = Math.min(60_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.75 + random() * 0.5));
}
