import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySteps, stepsBetween, DB_VERSION, migrateResponseV2, STEPS } from '../../pwa/js/schema.js';

function fakeDatabase() {
  const stores = new Map();
  return {
    stores,
    createStore(name, options) {
      assert.ok(!stores.has(name), `store ${name} created twice`);
      stores.set(name, { options, indexes: new Map() });
    },
    createIndex(store, name, keyPath) {
      assert.ok(stores.has(store), `index on missing store ${store}`);
      stores.get(store).indexes.set(name, keyPath);
    },
  };
}

test('versions are numbered 1..n without gaps', () => {
  assert.deepEqual(STEPS.map((s) => s.version), Array.from({ length: DB_VERSION }, (_, i) => i + 1));
});

test('a fresh install builds the whole schema and migrates no records', () => {
  const db = fakeDatabase();
  const migrations = applySteps(db, 0);
  assert.deepEqual([...db.stores.keys()].sort(), ['forms', 'meta', 'responses']);
  assert.equal(db.stores.get('responses').options.keyPath, 'uuid');
  assert.equal(db.stores.get('responses').indexes.get('by_state'), 'state');
  assert.deepEqual(migrations, []);
});

test('upgrading from v1 adds the index and asks for the record migration', () => {
  const v1 = fakeDatabase();
  applySteps(v1, 0, 1);
  assert.equal(v1.stores.get('responses').indexes.size, 0);
  const migrations = applySteps(v1, 1);
  assert.equal(v1.stores.get('responses').indexes.get('by_state'), 'state');
  assert.equal(migrations.length, 1);
  assert.equal(migrations[0].store, 'responses');
});

test('upgrading step by step gives the same schema as a fresh install', () => {
  const fresh = fakeDatabase();
  applySteps(fresh, 0);
  const stepwise = fakeDatabase();
  for (let v = 0; v < DB_VERSION; v += 1) applySteps(stepwise, v, v + 1);
  const shape = (db) => JSON.stringify([...db.stores].map(([name, s]) => [name, s.options, [...s.indexes]]));
  assert.equal(shape(stepwise), shape(fresh));
});

test('an up-to-date database runs no steps', () => {
  assert.deepEqual(stepsBetween(DB_VERSION), []);
});

test('v1 records get a state from whether they were completed', () => {
  assert.equal(migrateResponseV2({ uuid: 'a', completed_at: '2025-01-01T00:00:00Z' }).state, 'queued');
  assert.equal(migrateResponseV2({ uuid: 'b', completed_at: null }).state, 'draft');
  assert.equal(migrateResponseV2({ uuid: 'c', state: 'rejected', errors: ['x'] }).state, 'rejected');
  const migrated = migrateResponseV2({ uuid: 'd', started_at: 's', answers: { q: '1' } });
  assert.deepEqual(migrated.errors, []);
  assert.equal(migrated.updated_at, 's');
  assert.deepEqual(migrated.answers, { q: '1' }, 'answers survive the migration');
});
