// IndexedDB access. Never touches the DOM; announces changes on `storageEvents`
// and to other tabs over a BroadcastChannel.
import { DB_NAME, DB_VERSION, applySteps } from './schema.js';
import { OUTBOX, UNSYNCED, DRAFT } from './outbox.js';

export const storageEvents = new EventTarget();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('lang-nghe-storage') : null;
channel?.addEventListener('message', (event) => {
  storageEvents.dispatchEvent(new CustomEvent('changed', { detail: { ...event.data, remote: true } }));
});

function announce(store) {
  storageEvents.dispatchEvent(new CustomEvent('changed', { detail: { store } }));
  channel?.postMessage({ store });
}

let dbPromise = null;

function promised(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      const tx = request.transaction;
      const migrations = applySteps({
        createStore: (name, options) => db.createObjectStore(name, options),
        createIndex: (store, name, keyPath) => tx.objectStore(store).createIndex(name, keyPath),
      }, event.oldVersion);
      for (const migration of migrations) {
        tx.objectStore(migration.store).openCursor().onsuccess = (cursorEvent) => {
          const cursor = cursorEvent.target.result;
          if (!cursor) return;
          cursor.update(migration.record(cursor.value));
          cursor.continue();
        };
      }
    };
    request.onsuccess = () => {
      const db = request.result;
      // iOS closes connections when it reclaims memory; the next call reopens.
      db.onclose = () => { dbPromise = null; };
      db.onversionchange = () => { db.close(); dbPromise = null; };
      resolve(db);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('database upgrade blocked by another tab'));
  });
}

function database() {
  if (!dbPromise) {
    dbPromise = open().catch((error) => { dbPromise = null; throw error; });
  }
  return dbPromise;
}

/** Runs `work(stores)` in one transaction; retried once on a closed connection. */
async function run(storeNames, mode, work, retried = false) {
  try {
    const db = await database();
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(storeNames, mode);
      const stores = Object.fromEntries(storeNames.map((name) => [name, tx.objectStore(name)]));
      let result;
      Promise.resolve(work(stores)).then((value) => { result = value; }, reject);
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
    });
  } catch (error) {
    const closed = error?.name === 'InvalidStateError' || error?.name === 'TransactionInactiveError';
    if (closed && !retried) {
      dbPromise = null;
      return run(storeNames, mode, work, true);
    }
    throw error;
  }
}

export async function getMeta(key) {
  return run(['meta'], 'readonly', ({ meta }) => promised(meta.get(key)));
}

export async function setMeta(key, value) {
  await run(['meta'], 'readwrite', ({ meta }) => { meta.put(value, key); });
  announce('meta');
}

export async function deleteMeta(key) {
  await run(['meta'], 'readwrite', ({ meta }) => { meta.delete(key); });
  announce('meta');
}

export async function getForm(id) {
  return run(['forms'], 'readonly', ({ forms }) => promised(forms.get(id)));
}

export async function putForm(form) {
  await run(['forms'], 'readwrite', ({ forms }) => { forms.put(form); });
}

export async function getResponse(uuid) {
  return run(['responses'], 'readonly', ({ responses }) => promised(responses.get(uuid)));
}

export async function putResponses(records) {
  if (!records.length) return;
  await run(['responses'], 'readwrite', ({ responses }) => {
    for (const record of records) responses.put(record);
  });
  announce('responses');
}

export async function putResponse(record) {
  return putResponses([record]);
}

export async function deleteResponse(uuid) {
  await run(['responses'], 'readwrite', ({ responses }) => { responses.delete(uuid); });
  announce('responses');
}

export async function allResponses() {
  return run(['responses'], 'readonly', ({ responses }) => promised(responses.getAll()));
}

export async function responsesInStates(states) {
  const lists = await run(['responses'], 'readonly', ({ responses }) => Promise.all(
    states.map((state) => promised(responses.index('by_state').getAll(state))),
  ));
  return lists.flat();
}

export const outboxResponses = () => responsesInStates(OUTBOX);
export const draftResponses = () => responsesInStates([DRAFT]);
export const unsyncedResponses = () => responsesInStates(UNSYNCED);

/** Adds records whose UUID is not stored yet; returns how many were added. */
export async function addMissingResponses(records) {
  const added = await run(['responses'], 'readwrite', async ({ responses }) => {
    let count = 0;
    for (const record of records) {
      const existing = await promised(responses.getKey(record.uuid));
      if (existing === undefined) {
        responses.add(record);
        count += 1;
      }
    }
    return count;
  });
  if (added) announce('responses');
  return added;
}

/** On logout: drop the session and everything already synced; never unsynced answers. */
export async function forgetSession() {
  await run(['meta', 'forms', 'responses'], 'readwrite', async ({ meta, forms, responses }) => {
    for (const key of ['token', 'user', 'assignments', 'assignments_etag', 'last_sync_at']) meta.delete(key);
    forms.clear();
    const synced = await promised(responses.index('by_state').getAllKeys('acknowledged'));
    for (const key of synced) responses.delete(key);
  });
  announce('meta');
  announce('responses');
}

/** The storage interface the sync engine needs (kept narrow so node tests can fake it). */
export const syncStore = {
  responsesInStates,
  putResponses,
  getMeta,
  setMeta,
};
