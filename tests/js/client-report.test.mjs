// The phone tells the server its app version and how many responses still wait, with each
// sync: X-App-Version and X-Queued-Count on GET /me/assignments and POST /submissions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApi, clientReportHeaders } from '../../pwa/js/api.js';
import { SyncEngine } from '../../pwa/js/sync.js';
import { newDraft, transition, REJECTED } from '../../pwa/js/outbox.js';

function uuid(i) {
  return `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

function queued(i, userId = 7) {
  const draft = newDraft({ uuid: uuid(i), roundId: 1, formVersionId: 1, unitId: 1, userId, now: '2025-01-01T00:00:00Z' });
  return transition(draft, 'complete', { answers: { q: String(i) }, now: '2025-01-01T00:01:00Z' });
}

function memoryStore(records) {
  const data = new Map(records.map((r) => [r.uuid, r]));
  const meta = new Map();
  return {
    data,
    async responsesInStates(states) { return [...data.values()].filter((r) => states.includes(r.state)); },
    async putResponses(list) { for (const r of list) data.set(r.uuid, r); },
    async getMeta(key) { return meta.get(key); },
    async setMeta(key, value) { meta.set(key, value); },
  };
}

const timers = { setTimeout() { return 1; }, clearTimeout() {} };

/** A fetch that records each request and answers like the server. */
function recordingFetch() {
  const requests = [];
  async function fetchImpl(url, init) {
    requests.push({ url, init });
    if (url.endsWith('/me/assignments')) {
      return new Response(JSON.stringify({ rounds: [] }), { status: 200, headers: { 'Content-Type': 'application/json', ETag: '"e1"' } });
    }
    const text = init.headers['Content-Encoding'] === 'gzip'
      ? await new Response(new Blob([init.body]).stream().pipeThrough(new DecompressionStream('gzip'))).text()
      : init.body;
    const sent = JSON.parse(text).submissions;
    return new Response(JSON.stringify({ results: sent.map((s) => ({ uuid: s.uuid, status: 'created' })) }),
      { status: 200, headers: { 'Content-Type': 'application/json' } });
  }
  return { requests, fetchImpl };
}

test('the report becomes two headers, leaving out what does not fit', () => {
  assert.deepEqual(clientReportHeaders({ appVersion: ' 3f2a9c1d0b7e4a55 ', queued: 12 }),
    { 'X-App-Version': '3f2a9c1d0b7e4a55', 'X-Queued-Count': '12' });
  assert.deepEqual(clientReportHeaders({ appVersion: 'bản thử', queued: -1 }), {});
  assert.deepEqual(clientReportHeaders({ appVersion: 'v'.repeat(41), queued: 1.5 }), {});
  assert.deepEqual(clientReportHeaders({ appVersion: null, queued: 0 }), { 'X-Queued-Count': '0' });
  assert.deepEqual(clientReportHeaders(null), {});
});

test('the engine reports with every assignments request: this user\'s waiting responses', async () => {
  const sending = transition(queued(2), 'send', { now: '2025-01-01T00:02:00Z' });
  const rejected = { ...queued(3), state: REJECTED };
  const store = memoryStore([queued(1), sending, rejected, queued(4, 99)]);
  const { requests, fetchImpl } = recordingFetch();
  const api = createApi({ getToken: async () => 'tok', fetchImpl });
  new SyncEngine({ store, api, timers, client: { app_version: 'abc123' }, getUserId: async () => 7 });
  await api.assignments('"e0"');
  const { headers } = requests[0].init;
  assert.equal(headers['X-App-Version'], 'abc123');
  assert.equal(headers['X-Queued-Count'], '2'); // queued and sending; not rejected, not user 99's
  assert.equal(headers['If-None-Match'], '"e0"');
});

test('each batch reports what stays waiting once the server has it', async () => {
  const store = memoryStore(Array.from({ length: 250 }, (_, i) => queued(i)));
  const { requests, fetchImpl } = recordingFetch();
  const api = createApi({ getToken: async () => 'tok', fetchImpl });
  const engine = new SyncEngine({ store, api, timers, client: { app_version: 'abc123' }, getUserId: async () => 7 });
  const summary = await engine.syncNow();
  assert.equal(summary.created, 250);
  const posts = requests.filter((r) => r.url.endsWith('/submissions'));
  assert.deepEqual(posts.map((r) => r.init.headers['X-Queued-Count']), ['150', '50', '0']);
  assert.ok(posts.every((r) => r.init.headers['X-App-Version'] === 'abc123'));
});

test('a report that fails never stops the sync', async () => {
  const { requests, fetchImpl } = recordingFetch();
  const api = createApi({ getToken: async () => 'tok', fetchImpl });
  api.reportClientWith(async () => { throw new Error('IndexedDB closed'); });
  const fresh = await api.assignments(null);
  assert.deepEqual(fresh.body, { rounds: [] });
  assert.equal(requests[0].init.headers['X-Queued-Count'], undefined);
});
