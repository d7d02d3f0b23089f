import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  newDraft, transition, InvalidTransition, readSyncReply, BadReply, applyResult, recoverInterrupted,
  toSubmission, progressCounts, normaliseErrors, canTransition,
} from '../../pwa/js/outbox.js';

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
