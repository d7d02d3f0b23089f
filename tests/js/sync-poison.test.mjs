// A poison item (one the server fails on, 5xx, every time) must not block the phone:
// the batch is halved until the item is alone, then it is set aside, kept on the phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncEngine } from '../../pwa/js/sync.js';
import {
  newDraft, transition, SET_ASIDE_CODE, isSetAside, SERVER_FAILURE_LIMIT,
} from '../../pwa/js/outbox.js';
import { ApiError } from '../../pwa/js/api.js';
import { STRINGS } from '../../pwa/js/strings.js';

function uuid(i) {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

function queued(i) {
  const draft = newDraft({ uuid: uuid(i), roundId: 1, formVersionId: 1, unitId: 1, userId: 7, now: '2025-01-01T00:00:00Z' });
  const minute = String(i % 60).padStart(2, '0');
  const hour = String(Math.floor(i / 60)).padStart(2, '0');
  return transition(draft, 'complete', { answers: { q: String(i) }, now: `2025-01-01T${hour}:${minute}:00Z` });
}

/** Records are copied in and out, as IndexedDB does: nothing survives but what is stored. */
function memoryStore(records) {
  const data = new Map(records.map((r) => [r.uuid, structuredClone(r)]));
  const meta = new Map();
  return {
    data,
    meta,
    async responsesInStates(states) { return [...data.values()].filter((r) => states.includes(r.state)).map((r) => structuredClone(r)); },
    async putResponses(list) { for (const r of list) data.set(r.uuid, structuredClone(r)); },
    async getMeta(key) { return meta.get(key); },
    async setMeta(key, value) { meta.set(key, value); },
  };
}

function fakeTimers() {
  const pending = [];
  return { pending, setTimeout(fn, ms) { pending.push({ fn, ms }); return pending.length; }, clearTimeout() {} };
}

/** A server that fails (500, or `status`) every batch holding one of `poison`. */
function poisonedApi(poison, { status = 500 } = {}) {
  const api = {
    calls: [],
    poison: new Set(poison),
    down: false,
    async submit(subs) {
      const uuids = subs.map((s) => s.uuid);
      api.calls.push(uuids);
      if (api.down || uuids.some((u) => api.poison.has(u))) {
        throw new ApiError('server', { status, code: 'internal_error', message: 'Lỗi máy chủ.' });
      }
      return new Map(subs.map((s) => [s.uuid, { uuid: s.uuid, status: 'created' }]));
    },
  };
  return api;
}

function engineWith(store, api, extra = {}) {
  return new SyncEngine({ store, api, timers: fakeTimers(), getUserId: async () => 7, random: () => 0.5, ...extra });
}

/** Runs passes as the timer would, until nothing is queued; returns the passes run. */
async function syncUntilSettled(engine, store, maxPasses = 200) {
  for (let pass = 1; pass <= maxPasses; pass += 1) {
    await engine.syncNow('timer');
    if (![...store.data.values()].some((r) => r.state === 'queued')) return pass;
  }
  throw new Error(`still queued after ${maxPasses} passes`);
}

const states = (store) => Object.fromEntries([...store.data.values()].map((r) => [r.uuid, r.state]));

for (const { total, poisonAt } of [
  { total: 100, poisonAt: 0 }, { total: 100, poisonAt: 37 }, { total: 100, poisonAt: 99 },
  { total: 7, poisonAt: 3 }, { total: 2, poisonAt: 1 },
]) {
  test(`one poison item among ${total} (at ${poisonAt}): the others are stored, it is set aside`, async () => {
    const store = memoryStore(Array.from({ length: total }, (_, i) => queued(i)));
    const poison = uuid(poisonAt);
    const api = poisonedApi([poison]);
    const engine = engineWith(store, api);
    await syncUntilSettled(engine, store);

    for (const [id, state] of Object.entries(states(store))) {
      assert.equal(state, id === poison ? 'rejected' : 'acknowledged', id);
    }
    const kept = store.data.get(poison);
    assert.ok(isSetAside(kept));
    assert.deepEqual(kept.answers, { q: String(poisonAt) }, 'the answers stay on the phone');
    assert.equal(kept.errors[0].code, SET_ASIDE_CODE);
    assert.equal(kept.errors[0].message.vi, STRINGS.vi.set_aside_reason);
    assert.equal(kept.errors[0].message.en, STRINGS.en.set_aside_reason);
    assert.equal(engine.status.rejected, 1);
    assert.equal(engine.status.waiting, 0);

    // Bounded: N failures per halving down to one item, N more alone (plus one when it
    // must wait for proof that the server works), and the good halves.
    const levels = Math.ceil(Math.log2(total));
    const failed = api.calls.filter((c) => c.includes(poison)).length;
    assert.ok(failed <= SERVER_FAILURE_LIMIT * (levels + 1) + 1, `${failed} failed requests`);
    assert.ok(api.calls.length <= failed + levels + 2, `${api.calls.length} requests in all`);
    // Each good item was acknowledged once; the poison was never "sent" successfully.
    const sentOk = api.calls.filter((c) => !c.includes(poison)).flat();
    assert.equal(new Set(sentOk).size, sentOk.length);
    assert.equal(sentOk.length, total - 1);
  });
}

test('the same batch is retried N times before it is halved', async () => {
  const store = memoryStore(Array.from({ length: 8 }, (_, i) => queued(i)));
  const api = poisonedApi([uuid(5)]);
  const engine = engineWith(store, api);
  for (let i = 0; i < 5; i += 1) await engine.syncNow('timer');
  const sizes = api.calls.map((c) => c.length);
  assert.deepEqual(sizes.slice(0, 4), [8, 8, 8, 4], 'three times the same 8, then the first half');
  assert.deepEqual(api.calls[3], [0, 1, 2, 3].map(uuid));
  assert.deepEqual(api.calls[4], [4, 5, 6, 7].map(uuid), 'the good half went, then the other half');
});

test('every failed attempt waits for the backoff; it grows only while nothing gets through', async () => {
  const store = memoryStore(Array.from({ length: 16 }, (_, i) => queued(i)));
  const api = poisonedApi([uuid(0)]);
  const timers = fakeTimers();
  const engine = engineWith(store, api, { timers });
  engine.start();
  timers.pending.length = 0;
  for (let pass = 0; pass < 60 && [...store.data.values()].some((r) => r.state === 'queued'); pass += 1) {
    const before = api.calls.length;
    const result = await engine.syncNow('timer');
    const failedCalls = api.calls.slice(before).filter((c) => c.includes(uuid(0)) && c.length > 1);
    assert.ok(failedCalls.length <= 1, 'a pass never sends a failing batch twice');
    if (result.error) {
      assert.ok(timers.pending.at(-1).ms >= 4_000, 'after a 5xx the next attempt waits');
      const expected = result.sent ? 1 : engine.status.failures;
      assert.equal(engine.status.failures, expected);
    }
  }
  assert.ok(isSetAside(store.data.get(uuid(0))));
  // The first split had nothing getting through: the waits grew (5 s, 10 s, 20 s...).
  const waits = timers.pending.map((p) => p.ms);
  assert.ok(waits[1] > waits[0] && waits[2] > waits[1], waits.join(','));
});

test('the split survives a restart: a new engine on the same storage goes on where it was', async () => {
  const records = Array.from({ length: 32 }, (_, i) => queued(i));
  const poison = uuid(21);

  const reference = memoryStore(records);
  const referenceApi = poisonedApi([poison]);
  await syncUntilSettled(engineWith(reference, referenceApi), reference);

  const store = memoryStore(records);
  const api = poisonedApi([poison]);
  for (let i = 0; i < 4; i += 1) await engineWith(store, api).syncNow('timer');
  assert.ok([...store.data.values()].some((r) => r.batch_limit === 16), 'the halving is stored on the records');
  // Each pass below runs on a new engine, as after the app or the phone restarted.
  for (let pass = 0; pass < 100 && [...store.data.values()].some((r) => r.state === 'queued'); pass += 1) {
    await engineWith(store, api).syncNow('timer');
  }
  assert.deepEqual(states(store), states(reference));
  assert.deepEqual(api.calls, referenceApi.calls, 'the same requests as without restarts');
});

test('a crash in the middle of sending a split batch keeps its split state', async () => {
  const store = memoryStore(Array.from({ length: 4 }, (_, i) => queued(i)));
  const api = poisonedApi([uuid(3)]);
  for (let i = 0; i < 3; i += 1) await engineWith(store, api).syncNow('timer');
  // The app dies while a batch is on the wire: the records are left in `sending`.
  const hanging = { async submit(subs) { api.calls.push(subs.map((s) => s.uuid)); return new Promise(() => {}); } };
  engineWith(store, hanging).syncNow('timer');
  await new Promise((resolve) => setTimeout(resolve, 10));
  const sending = [...store.data.values()].filter((r) => r.state === 'sending');
  assert.deepEqual(sending.map((r) => r.uuid), [uuid(0), uuid(1)]);
  assert.ok(sending.every((r) => r.batch_limit === 2));
  await syncUntilSettled(engineWith(store, api), store);
  assert.equal(store.data.get(uuid(3)).state, 'rejected');
  assert.deepEqual([0, 1, 2].map((i) => store.data.get(uuid(i)).state), ['acknowledged', 'acknowledged', 'acknowledged']);
});

test('an outage (every batch fails) sets nothing aside; when it ends everything is stored', async () => {
  const store = memoryStore(Array.from({ length: 12 }, (_, i) => queued(i)));
  const api = poisonedApi([]);
  api.down = true;
  const engine = engineWith(store, api);
  for (let i = 0; i < 150; i += 1) await engine.syncNow('timer');
  assert.ok([...store.data.values()].every((r) => r.state === 'queued'), 'nothing set aside during the outage');
  assert.ok([...store.data.values()].every((r) => r.batch_limit === 1), 'by now every item was tried alone');
  api.down = false;
  await syncUntilSettled(engine, store);
  assert.ok([...store.data.values()].every((r) => r.state === 'acknowledged'));
});

test('503 (busy, retry later) says nothing about the batch; a 500 does', async () => {
  const store = memoryStore(Array.from({ length: 4 }, (_, i) => queued(i)));
  const busy = poisonedApi([uuid(2)], { status: 503 });
  const engine = engineWith(store, busy);
  for (let i = 0; i < 10; i += 1) await engine.syncNow('timer');
  assert.ok(busy.calls.every((c) => c.length === 4), 'never split on 503');
  assert.ok([...store.data.values()].every((r) => r.state === 'queued' && r.batch_limit === undefined));
  engine.api = poisonedApi([uuid(2)], { status: 500 });
  await syncUntilSettled(engine, store);
  assert.ok(isSetAside(store.data.get(uuid(2))));
});

for (const status of [502, 504]) {
  test(`${status} counts as a failure of the batch too`, async () => {
    const store = memoryStore(Array.from({ length: 4 }, (_, i) => queued(i)));
    const api = poisonedApi([uuid(2)], { status });
    await syncUntilSettled(engineWith(store, api), store);
    assert.ok(isSetAside(store.data.get(uuid(2))));
  });
}

test('a poison item alone in the outbox waits; the next response proves the server and it is set aside', async () => {
  const store = memoryStore([queued(0)]);
  const api = poisonedApi([uuid(0)]);
  const engine = engineWith(store, api);
  for (let i = 0; i < 10; i += 1) await engine.syncNow('timer');
  assert.equal(store.data.get(uuid(0)).state, 'queued', 'no proof yet that the server works: kept queued');
  assert.equal(engine.status.error.kind, 'server');
  // A new response is collected: it goes first, and is stored.
  await store.putResponses([queued(1)]);
  const calls = api.calls.length;
  await syncUntilSettled(engine, store);
  assert.deepEqual(api.calls.slice(calls), [[uuid(1)], [uuid(0)]]);
  assert.equal(store.data.get(uuid(1)).state, 'acknowledged');
  assert.ok(isSetAside(store.data.get(uuid(0))));
});

test('"Thử gửi lại" puts a set-aside item back in the queue, alone, and it is sent', async () => {
  const store = memoryStore(Array.from({ length: 6 }, (_, i) => queued(i)));
  const api = poisonedApi([uuid(4)]);
  const engine = engineWith(store, api);
  await syncUntilSettled(engine, store);
  const setAside = store.data.get(uuid(4));
  assert.ok(isSetAside(setAside));

  const retried = transition(setAside, 'requeue');
  assert.equal(retried.state, 'queued');
  assert.equal(retried.batch_limit, 1);
  assert.equal(retried.server_failures, undefined);
  await store.putResponses([retried, queued(10), queued(11)]);
  api.poison.clear(); // the server was fixed
  const calls = api.calls.length;
  await syncUntilSettled(engine, store);
  assert.deepEqual(api.calls.slice(calls), [[uuid(4)], [uuid(10), uuid(11)]], 'alone, then the rest together');
  assert.equal(store.data.get(uuid(4)).state, 'acknowledged');
  assert.equal(store.data.get(uuid(4)).batch_limit, undefined);
});

test('a retried item that still breaks the server is set aside again, without holding the rest', async () => {
  const store = memoryStore(Array.from({ length: 3 }, (_, i) => queued(i)));
  const api = poisonedApi([uuid(0)]);
  const engine = engineWith(store, api);
  await syncUntilSettled(engine, store);
  await store.putResponses([transition(store.data.get(uuid(0)), 'requeue'), queued(5), queued(6)]);
  const calls = api.calls.length;
  await syncUntilSettled(engine, store);
  const after = api.calls.slice(calls);
  assert.ok(after.every((c) => c.length === 1 || !c.includes(uuid(0))), 'it travels alone');
  assert.ok(after.length <= SERVER_FAILURE_LIMIT + 2, `${after.length} requests`);
  assert.ok(isSetAside(store.data.get(uuid(0))));
  assert.equal(store.data.get(uuid(5)).state, 'acknowledged');
});

test('"last sync" moves when a batch got through, even if a later batch failed', async () => {
  const store = memoryStore(Array.from({ length: 4 }, (_, i) => queued(i)));
  const api = poisonedApi([uuid(3)]);
  const engine = engineWith(store, api);
  for (let i = 0; i < 3; i += 1) await engine.syncNow('timer');
  const result = await engine.syncNow('timer');
  assert.deepEqual(api.calls.slice(3), [[uuid(0), uuid(1)], [uuid(2), uuid(3)]]);
  assert.ok(result.error, 'the pass failed');
  assert.equal(result.created, 2);
  assert.ok(store.meta.get('last_sync_at'));
  assert.ok(engine.status.lastSuccessAt);
});
