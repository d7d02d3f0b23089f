// The IndexedDB schema, as numbered upgrade steps. Each step is a pure description
// run against a small interface, so node can test upgrades without a browser.

export const DB_NAME = 'lang-nghe';

export const STEPS = [
  // v1: key-value settings (token, user, assignments), cached form versions, responses.
  {
    version: 1,
    stores: [
      { name: 'meta' },
      { name: 'forms', keyPath: 'id' },
      { name: 'responses', keyPath: 'uuid' },
    ],
    indexes: [],
    migrate: null,
  },
  // v2: responses indexed by state (the outbox and drafts are read often);
  // v1 records may lack `state`, `errors` or `user_id`.
  {
    version: 2,
    stores: [],
    indexes: [{ store: 'responses', name: 'by_state', keyPath: 'state' }],
    migrate: { store: 'responses', record: migrateResponseV2 },
  },
];

export const DB_VERSION = STEPS[STEPS.length - 1].version;

export function migrateResponseV2(record) {
  const state = record.state ?? (record.completed_at ? 'queued' : 'draft');
  return {
    ...record,
    state,
    errors: Array.isArray(record.errors) ? record.errors : [],
    user_id: record.user_id ?? null,
    updated_at: record.updated_at ?? record.completed_at ?? record.started_at ?? null,
  };
}

/** The steps to run to go from `oldVersion` to `newVersion`. */
export function stepsBetween(oldVersion, newVersion = DB_VERSION) {
  return STEPS.filter((step) => step.version > oldVersion && step.version <= newVersion);
}

/**
 * Runs the structural part of the steps. `target` is {createStore(name, options),
 * createIndex(store, name, keyPath)}; record migrations are returned for the caller
 * to run over the store's cursor (they are asynchronous in IndexedDB).
 */
export function applySteps(target, oldVersion, newVersion = DB_VERSION) {
  const migrations = [];
  for (const step of stepsBetween(oldVersion, newVersion)) {
    for (const store of step.stores) {
      target.createStore(store.name, store.keyPath ? { keyPath: store.keyPath } : {});
    }
    for (const index of step.indexes) target.createIndex(index.store, index.name, index.keyPath);
    if (step.migrate && oldVersion > 0) migrations.push(step.migrate);
  }
  return migrations;
}
