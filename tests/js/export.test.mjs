import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildExport, parseExport, ImportError, exportFileName } from '../../pwa/js/export.js';
import { newDraft, transition } from '../../pwa/js/outbox.js';

const U1 = '0b1f7a39-4a0a-4c3e-9a57-2a1c3d5e7f90';
const U2 = '1b1f7a39-4a0a-4c3e-9a57-2a1c3d5e7f91';

function record(uuid, complete = true) {
  const draft = newDraft({ uuid, roundId: 1, formVersionId: 2, unitId: 3, userId: 4, now: '2025-01-01T00:00:00Z' });
  return complete ? transition(draft, 'complete', { answers: { q: 'Hài lòng' }, now: '2025-01-01T00:05:00Z' }) : draft;
}

test('export holds unsynced responses with their answers, not acknowledged stubs', () => {
  const acked = transition(transition(record(U2), 'send'), 'created');
  const data = buildExport([record(U1), acked], { exportedAt: '2025-01-01T01:00:00Z' });
  assert.equal(data.format, 'lang-nghe-outbox');
  assert.deepEqual(data.responses.map((r) => r.uuid), [U1]);
  assert.deepEqual(data.responses[0].answers, { q: 'Hài lòng' });
});

test('an export round-trips into queued records', () => {
  const text = JSON.stringify(buildExport([record(U1), record(U2, false)], { exportedAt: 'x' }));
  const records = parseExport(text, { now: 'now' });
  assert.deepEqual(records.map((r) => [r.uuid, r.state]), [[U1, 'queued'], [U2, 'draft']]);
  assert.equal(records[0].completed_at, '2025-01-01T00:05:00Z');
});

test('import drops duplicate UUIDs within a file and malformed entries', () => {
  const data = buildExport([record(U1)], { exportedAt: 'x' });
  data.responses.push({ ...data.responses[0] }, { uuid: 'not-a-uuid', answers: {} }, { uuid: U2, answers: null });
  assert.equal(parseExport(JSON.stringify(data), { now: 'n' }).length, 1);
});

test('anything else is refused with a code', () => {
  assert.throws(() => parseExport('<html>', { now: 'n' }), (e) => e instanceof ImportError && e.code === 'not_an_export');
  assert.throws(() => parseExport('{"format":"other"}', { now: 'n' }), ImportError);
  assert.throws(() => parseExport(JSON.stringify({ format: 'lang-nghe-outbox', version: 99, responses: [] }), { now: 'n' }), (e) => e.code === 'newer_version');
});

test('the file name is safe on every phone', () => {
  assert.match(exportFileName('2025-01-01T01:02:03.456Z'), /^lang-nghe-phieu-2025-01-01T01-02-03\.json$/);
});
