import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncEngine } from '../../pwa/js/sync.js';
import { newDraft, transition } from '../../pwa/js/outbox.js';
import { ApiError } from '../../pwa/js/api.js';

function uuid(i) {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

function queued(i, userId = 7) {
  const draft = newDraft({ uuid: uuid(i), roundId: 1, formVersionId: 1, unitId: 1, userId, now: '2025-01-01T00:00:00Z' });
  return transition(draft, 'complete', { answers: { q: String(i) }, now: `2025-01-01T00:${String(i % 60).padStart(2, '0')}:00Z` });
}

function memoryStore(records) {
  const data = new Map(records.map((r) => [r.uuid, r]));
  const meta = new Map();
  return {
    data,
    meta,
    async responsesInStates(states) { return [...data.values()].filter((r) => states.includes(r.state)); },
    async putResponses(list) { for (const r of list) data.set(r.uuid, r); },
    async getMeta(key) { return meta.get(key); },
    async setMeta(key, value) { meta.set(key, value); },
  };
}

function fakeTimers() {
  const pending = [];
  return {
    pending,
    setTimeout(fn, ms) { pending.push({ fn, ms }); return pending.length; },
    clearTimeout() {},
  };
}

function engineWith(store, api, extra = {}) {
  return new SyncEngine({ store, api, timers: fakeTimers(), getUserId: async () => 7, random: () => 0.5, ...extra });
}

test('sends in batches of at most 100 and acknowledges everything', async () => {
  const store = memoryStore(Array.from({ length: 250 }, (_, i) => queued(i)));
  const sizes = [];
  const api = { async submit(subs) { sizes.push(subs.length); return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }])); } };
  const summary = await engineWith(store, api).syncNow();
  assert.deepEqual(sizes, [100, 100, 50]);
  assert.equal(summary.created, 250);
  assert.ok([...store.data.values()].every((r) => r.state === 'acknowledged'));
  assert.ok(store.meta.get('last_sync_at'));
});

test('a network failure keeps every response queued and schedules a retry with backoff', async () => {
  const store = memoryStore([queued(1), queued(2)]);
  const timers = fakeTimers();
  const api = { async submit() { throw new ApiError('network'); } };
  const engine = engineWith(store, api, { timers });
  engine.start();
  await engine.syncNow();
  assert.ok([...store.data.values()].every((r) => r.state === 'queued'));
  assert.equal(engine.status.failures, 1);
  assert.equal(engine.status.error.kind, 'network');
  assert.ok(timers.pending.at(-1).ms > 0 && timers.pending.at(-1).ms <= 300_000);
  await engine.syncNow();
  assert.ok(timers.pending.at(-1).ms > timers.pending.at(-2).ms, 'the second wait is longer');
});

test('only created, duplicate and conflict leave the outbox; rejected stays with reasons', async () => {
  const store = memoryStore([queued(1), queued(2), queued(3), queued(4)]);
  const statuses = ['created', 'duplicate', 'conflict', 'rejected'];
  const api = {
    async submit(subs) {
      return new Map(subs.map((s, i) => [s.uuid, { uuid: s.uuid, status: statuses[i], errors: statuses[i] === 'rejected' ? [{ code: 'x', message: { vi: 'Lý do', en: 'Reason' } }] : undefined }]));
    },
  };
  const engine = engineWith(store, api);
  await engine.syncNow();
  const states = [1, 2, 3, 4].map((i) => store.data.get(uuid(i)).state);
  assert.deepEqual(states, ['acknowledged', 'acknowledged', 'acknowledged', 'rejected']);
  assert.equal(store.data.get(uuid(4)).errors[0].message.vi, 'Lý do');
  assert.equal(engine.status.rejected, 1);
  assert.equal(engine.status.waiting, 0);
});

test('a rejected response is not sent again by itself', async () => {
  const store = memoryStore([queued(1)]);
  let calls = 0;
  const api = { async submit(subs) { calls += 1; return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'rejected', errors: [] }])); } };
  const engine = engineWith(store, api);
  await engine.syncNow();
  await engine.syncNow();
  assert.equal(calls, 1);
});

test('an expired login keeps all data and stops retrying until resumed', async () => {
  const store = memoryStore([queued(1)]);
  const timers = fakeTimers();
  let fail = true;
  const api = {
    async submit(subs) {
      if (fail) throw new ApiError('auth', { status: 401, code: 'token_expired' });
      return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }]));
    },
  };
  const engine = engineWith(store, api, { timers });
  engine.start();
  const before = timers.pending.length;
  await engine.syncNow('timer');
  assert.equal(store.data.get(uuid(1)).state, 'queued');
  assert.deepEqual(store.data.get(uuid(1)).answers, { q: '1' });
  assert.equal(engine.status.error.code, 'token_expired');
  assert.equal(timers.pending.length, before, 'no retry scheduled on an auth error');
  const skipped = await engine.syncNow('timer');
  assert.equal(skipped.skipped, 'auth');
  fail = false;
  await engine.resume();
  assert.equal(store.data.get(uuid(1)).state, 'acknowledged');
  assert.equal(engine.status.error, null);
});

test('responses left in sending by a crash are sent again', async () => {
  const stuck = transition(queued(1), 'send');
  const store = memoryStore([stuck]);
  const sent = [];
  const api = { async submit(subs) { sent.push(...subs.map((s) => s.uuid)); return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'duplicate' }])); } };
  await engineWith(store, api).syncNow();
  assert.deepEqual(sent, [uuid(1)]);
  assert.equal(store.data.get(uuid(1)).state, 'acknowledged');
});

test('offline: nothing is attempted and no failure is counted', async () => {
  const store = memoryStore([queued(1)]);
  const api = { async submit() { throw new Error('must not be called'); } };
  const engine = engineWith(store, api, { isOnline: () => false });
  const result = await engine.syncNow();
  assert.equal(result.skipped, 'offline');
  assert.equal(engine.status.failures, 0);
  assert.equal(engine.status.waiting, 1);
});

test("another volunteer's responses on a shared phone are not sent with this login", async () => {
  const store = memoryStore([queued(1, 7), queued(2, 99)]);
  const sent = [];
  const api = { async submit(subs) { sent.push(...subs.map((s) => s.uuid)); return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }])); } };
  await engineWith(store, api).syncNow();
  assert.deepEqual(sent, [uuid(1)]);
  assert.equal(store.data.get(uuid(2)).state, 'queued');
});

test('concurrent triggers share one pass', async () => {
  const store = memoryStore([queued(1)]);
  let calls = 0;
  const api = { async submit(subs) { calls += 1; await new Promise((r) => setTimeout(r, 5)); return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }])); } };
  const engine = engineWith(store, api);
  await Promise.all([engine.syncNow('online'), engine.syncNow('visible'), engine.syncNow('timer')]);
  assert.equal(calls, 1);
});

test('status events report the waiting count', async () => {
  const store = memoryStore([queued(1), queued(2)]);
  const engine = engineWith(store, { async submit() { throw new ApiError('server', { status: 503 }); } });
  const seen = [];
  engine.addEventListener('status', (e) => seen.push(e.detail));
  await engine.syncNow();
  assert.equal(seen.at(-1).waiting, 2);
  assert.equal(seen.at(-1).error.kind, 'server');
});

test('a batch refused as too large (413) is split for the next attempts', async () => {
  const store = memoryStore(Array.from({ length: 8 }, (_, i) => queued(i)));
  const sizes = [];
  const api = {
    async submit(subs) {
      sizes.push(subs.length);
      if (subs.length > 2) throw new ApiError('rejected', { status: 413, code: 'payload_too_large' });
      return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }]));
    },
  };
  const engine = engineWith(store, api);
  for (let i = 0; i < 3; i += 1) await engine.syncNow('manual');
  assert.deepEqual(sizes, [8, 4, 2, 2, 2, 2]);
  assert.ok([...store.data.values()].every((r) => r.state === 'acknowledged'));
});

test('a 400 naming one malformed item rejects only that item; the others are sent', async () => {
  const store = memoryStore(Array.from({ length: 3 }, (_, i) => queued(i)));
  const broken = uuid(1);
  const calls = [];
  const api = {
    async submit(subs) {
      calls.push(subs.map((s) => s.uuid));
      const index = subs.findIndex((s) => s.uuid === broken);
      if (index >= 0) {
        throw new ApiError('rejected', {
          status: 400, code: 'validation_error',
          details: { fields: { json: { submissions: { [index]: { completed_at: ['Not a valid datetime.'] } } } } },
        });
      }
      return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }]));
    },
  };
  await engineWith(store, api).syncNow('manual');
  assert.equal(calls.length, 2);
  assert.deepEqual(calls[1], [uuid(0), uuid(2)]);
  const rejected = store.data.get(broken);
  assert.equal(rejected.state, 'rejected');
  assert.match(rejected.errors[0].message.vi, /completed_at/);
  assert.ok(rejected.answers, 'the answers of a rejected response are kept');
  assert.equal(store.data.get(uuid(0)).state, 'acknowledged');
  assert.equal(store.data.get(uuid(2)).state, 'acknowledged');
});

test('a 400 that does not point at items keeps everything queued', async () => {
  const store = memoryStore([queued(1)]);
  const api = { async submit() { throw new ApiError('rejected', { status: 400, code: 'validation_error', details: {} }); } };
  await engineWith(store, api).syncNow('manual').catch(() => {});
  assert.equal(store.data.get(uuid(1)).state, 'queued');
});
