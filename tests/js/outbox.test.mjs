import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newDraft, transition, InvalidTransition, readSyncReply, BadReply, applyResult, recoverInterrupted,
  toSubmission, progressCounts, normaliseErrors, canTransition,
  nextBatch, afterServerFailure, afterServerAnswered, countsAgainstBatch, isSetAside, isTriedAlone,
  SET_ASIDE_CODE,
} from '../../pwa/js/outbox.js';
import { STRINGS } from '../../pwa/js/strings.js';

const UUID = '0b1f7a39-4a0a-4c3e-9a57-2a1c3d5e7f90';
const draft = () => newDraft({ uuid: UUID, roundId: 1, formVersionId: 2, unitId: 3, userId: 4, now: '2025-03-01T08:00:00Z' });

function sending() {
  const queued = transition(draft(), 'complete', { answers: { q1: '4' }, now: '2025-03-01T08:10:00Z' });
  return transition(queued, 'send', { now: '2025-03-01T08:11:00Z' });
}

test('a draft is completed into the queue with its end time and answers', () => {
  const queued = transition(draft(), 'complete', { answers: { q1: '4' }, now: '2025-03-01T08:10:00Z' });
  assert.equal(queued.state, 'queued');
  assert.equal(queued.completed_at, '2025-03-01T08:10:00Z');
  assert.equal(queued.started_at, '2025-03-01T08:00:00Z');
  assert.deepEqual(queued.answers, { q1: '4' });
});

test('transitions never mutate the record given', () => {
  const original = draft();
  transition(original, 'complete', { answers: { q1: '1' } });
  assert.equal(original.state, 'draft');
  assert.deepEqual(original.answers, {});
});

for (const status of ['created', 'duplicate', 'conflict']) {
  test(`${status} acknowledges and drops the answers`, () => {
    const done = applyResult(sending(), { uuid: UUID, status }, '2025-03-01T09:00:00Z');
    assert.equal(done.state, 'acknowledged');
    assert.equal(done.ack_status, status);
    assert.equal(done.answers, undefined);
    assert.equal(done.synced_at, '2025-03-01T09:00:00Z');
  });
}

test('rejected keeps the answers and the reasons in both languages', () => {
  const errors = [{ question: 'age', code: 'constraint', message: { vi: 'Tuổi không hợp lệ', en: 'Invalid age' } }];
  const rejected = applyResult(sending(), { uuid: UUID, status: 'rejected', errors });
  assert.equal(rejected.state, 'rejected');
  assert.deepEqual(rejected.answers, { q1: '4' });
  assert.deepEqual(rejected.errors[0].message, { vi: 'Tuổi không hợp lệ', en: 'Invalid age' });
});

test('a rejected response can be edited back into a draft, or re-queued', () => {
  const rejected = applyResult(sending(), { uuid: UUID, status: 'rejected', errors: ['x'] });
  assert.equal(transition(rejected, 'edit').state, 'draft');
  assert.equal(transition(rejected, 'edit').completed_at, null);
  assert.equal(transition(rejected, 'requeue').state, 'queued');
});

test('a failed send goes back to the queue; so does one interrupted by a crash', () => {
  assert.equal(transition(sending(), 'failed').state, 'queued');
  assert.equal(recoverInterrupted(sending()).state, 'queued');
  const queued = transition(draft(), 'complete');
  assert.equal(recoverInterrupted(queued), queued);
});

test('forbidden transitions throw', () => {
  assert.throws(() => transition(draft(), 'send'), InvalidTransition);
  const acked = applyResult(sending(), { uuid: UUID, status: 'created' });
  assert.throws(() => transition(acked, 'edit'), InvalidTransition);
  assert.throws(() => transition(acked, 'rejected'), InvalidTransition);
  assert.equal(canTransition(draft(), 'complete'), true);
  assert.equal(canTransition(draft(), 'created'), false);
});

test('sending counts attempts', () => {
  const once = sending();
  assert.equal(once.attempts, 1);
  const twice = transition(transition(once, 'failed'), 'send');
  assert.equal(twice.attempts, 2);
});

test('a sync reply must hold one result per UUID sent', () => {
  const other = '11111111-2222-4333-8444-555555555555';
  const ok = readSyncReply([UUID, other], { results: [{ uuid: UUID, status: 'created' }, { uuid: other, status: 'rejected', errors: [] }] });
  assert.equal(ok.get(other).status, 'rejected');
  assert.throws(() => readSyncReply([UUID], '<html>Wi-Fi login</html>'), BadReply);
  assert.throws(() => readSyncReply([UUID], { results: [] }), BadReply);
  assert.throws(() => readSyncReply([UUID], { results: [{ uuid: other, status: 'created' }] }), BadReply);
  assert.throws(() => readSyncReply([UUID], { results: [{ uuid: UUID, status: 'stored' }] }), BadReply);
  assert.throws(() => readSyncReply([UUID], null), BadReply);
});

test('the submission carries exactly the server fields', () => {
  const submission = toSubmission(sending(), { app_version: 'v1', device: 'test' });
  assert.deepEqual(Object.keys(submission).sort(), ['answers', 'client', 'completed_at', 'form_version_id', 'round_id', 'started_at', 'unit_id', 'uuid']);
  assert.equal(submission.uuid, UUID);
});

test('progress counts collected and synced per round and unit, not drafts', () => {
  const acked = applyResult(sending(), { uuid: UUID, status: 'created' });
  const counts = progressCounts([draft(), sending(), acked, { ...acked, unit_id: 9 }]);
  assert.deepEqual(counts.get('1:3'), { collected: 2, synced: 1 });
  assert.deepEqual(counts.get('1:9'), { collected: 1, synced: 1 });
});

test('server errors of various shapes become {code, question, message:{vi,en}}', () => {
  const [plain, oneLanguage, withDetails] = normaliseErrors([
    'Sai', { code: 'not_assigned', message: 'Không được giao' }, { code: 'c', field: 'age', message: { vi: 'A', en: 'B' } },
  ]);
  assert.deepEqual(plain.message, { vi: 'Sai', en: 'Sai' });
  assert.equal(oneLanguage.code, 'not_assigned');
  assert.equal(oneLanguage.message.vi, 'Không được giao');
  assert.equal(withDetails.question, 'age');
  assert.equal(withDetails.message.en, 'B');
});

// ---- poison items: halving a batch the server keeps failing ----

function queuedAt(i, extra = {}) {
  const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const record = newDraft({ uuid: id, roundId: 1, formVersionId: 2, unitId: 3, userId: 4, now: '2025-03-01T08:00:00Z' });
  return { ...transition(record, 'complete', { answers: { q1: String(i) }, now: `2025-03-01T09:${String(i).padStart(2, '0')}:00Z` }), ...extra };
}
const send = (records) => records.map((r) => transition(r, 'send', { now: '2025-03-01T10:00:00Z' }));

test('the next batch is the oldest first, no bigger than any member allows', () => {
  const records = [queuedAt(3), queuedAt(1, { batch_limit: 2 }), queuedAt(2, { batch_limit: 2 }), queuedAt(4)];
  assert.deepEqual(nextBatch(records, 100).map((r) => r.answers.q1), ['1', '2']);
  assert.deepEqual(nextBatch([queuedAt(1), queuedAt(2), queuedAt(3)], 2).map((r) => r.answers.q1), ['1', '2']);
  // A member with a smaller limit than the batch so far waits for the next batch.
  assert.deepEqual(nextBatch([queuedAt(1), queuedAt(2), queuedAt(3, { batch_limit: 1 })], 100).map((r) => r.answers.q1), ['1', '2']);
});

test('an item that failed alone and waits for proof goes after the others, unless it is the only one', () => {
  const suspect = queuedAt(1, { batch_limit: 1, server_failures: 3 });
  assert.deepEqual(nextBatch([suspect, queuedAt(2)], 100).map((r) => r.answers.q1), ['2']);
  assert.deepEqual(nextBatch([suspect], 100).map((r) => r.answers.q1), ['1']);
  const proven = { ...suspect, server_ok_seen: true };
  assert.deepEqual(nextBatch([proven, queuedAt(2)], 100).map((r) => r.answers.q1), ['1']);
});

test('a batch failed N times is halved; the count starts again', () => {
  let batch = send([queuedAt(1), queuedAt(2), queuedAt(3)]);
  for (let i = 1; i <= 2; i += 1) {
    const after = afterServerFailure(batch, { now: 'x', limit: 3 });
    assert.ok(after.every((r) => r.state === 'queued' && r.server_failures === i && r.batch_limit === undefined));
    batch = send(after);
  }
  const split = afterServerFailure(batch, { now: 'x', limit: 3 });
  assert.ok(split.every((r) => r.state === 'queued' && r.batch_limit === 2 && r.server_failures === 0));
  assert.ok(split.every((r) => r.answers), 'nothing is dropped');
});

test('alone, an item is set aside after N failures only once the server was seen working', () => {
  let [record] = send([queuedAt(1)]);
  for (let i = 0; i < 5; i += 1) [record] = send(afterServerFailure([record], { now: 'x', limit: 3 }));
  assert.equal(record.state, 'sending', 'no proof: still queued after 5 failures');
  assert.equal(record.batch_limit, 1);
  const [witnessed] = afterServerAnswered([transition(record, 'failed')]);
  assert.equal(witnessed.server_ok_seen, true);
  const [setAside] = afterServerFailure(send([witnessed]), { now: '2025-03-01T11:00:00Z', limit: 3 });
  assert.equal(setAside.state, 'rejected');
  assert.ok(isSetAside(setAside));
  assert.equal(setAside.set_aside_at, '2025-03-01T11:00:00Z');
  assert.deepEqual(setAside.answers, { q1: '1' });
  assert.deepEqual(setAside.errors, [{
    code: SET_ASIDE_CODE, question: null,
    message: { vi: STRINGS.vi.set_aside_reason, en: STRINGS.en.set_aside_reason },
  }]);
});

test('only items being split see the server working; acknowledged ones forget the split', () => {
  assert.deepEqual(afterServerAnswered([queuedAt(1), queuedAt(2, { batch_limit: 4 })]).map((r) => r.answers.q1), ['2']);
  const [sending] = send([queuedAt(1, { batch_limit: 2, server_failures: 1 })]);
  const acked = applyResult(sending, { uuid: sending.uuid, status: 'created' });
  assert.equal(acked.batch_limit, undefined);
  assert.equal(acked.server_failures, undefined);
});

test('"Thử gửi lại" re-queues a set-aside item to travel alone; editing forgets the split', () => {
  const record = { ...queuedAt(1, { batch_limit: 1, server_failures: 3, server_ok_seen: true }) };
  const [setAside] = afterServerFailure(send([record]), { now: 'x', limit: 3 });
  const retried = transition(setAside, 'requeue');
  assert.equal(retried.state, 'queued');
  assert.equal(retried.batch_limit, 1);
  assert.equal(retried.server_failures, undefined);
  assert.equal(retried.server_ok_seen, undefined);
  assert.equal(retried.set_aside_at, undefined);
  assert.equal(isTriedAlone(retried), false);
  const edited = transition(setAside, 'edit');
  assert.equal(edited.state, 'draft');
  assert.equal(edited.batch_limit, undefined);
  // An ordinary refusal (the content) re-queues with no limit.
  const refused = applyResult(send([queuedAt(2)])[0], { status: 'rejected', errors: ['x'] });
  assert.equal(isSetAside(refused), false);
  assert.equal(transition(refused, 'requeue').batch_limit, undefined);
});

test('5xx counts against the batch, except 503 (busy); other errors never do', () => {
  for (const status of [500, 502, 504, 507]) assert.equal(countsAgainstBatch({ status }), true, status);
  for (const status of [503, 400, 401, 413, 0, undefined]) assert.equal(countsAgainstBatch({ status }), false, status);
  assert.equal(countsAgainstBatch(null), false);
});

test('the set-aside reason exists in both languages', () => {
  assert.match(STRINGS.vi.set_aside_reason, /Máy chủ/);
  assert.match(STRINGS.en.set_aside_reason, /server/);
  assert.equal(STRINGS.vi.retry_set_aside, 'Thử gửi lại');
  assert.ok(STRINGS.en.retry_set_aside && STRINGS.en.tried_alone && STRINGS.vi.tried_alone);
});
