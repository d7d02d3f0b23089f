// The life of one response on the phone, as pure functions (no IndexedDB, no DOM):
//   draft -> queued -> sending -> acknowledged | rejected
// A response leaves the phone's queue only on created / duplicate / conflict.
import { SET_ASIDE_MESSAGE } from './set-aside-message.js';

export const DRAFT = 'draft';
export const QUEUED = 'queued';
export const SENDING = 'sending';
export const ACKNOWLEDGED = 'acknowledged';
export const REJECTED = 'rejected';

/** States holding answers the server does not have yet. */
export const UNSYNCED = Object.freeze([DRAFT, QUEUED, SENDING, REJECTED]);
/** States that are "in the outbox" (finished by the volunteer, not yet acknowledged). */
export const OUTBOX = Object.freeze([QUEUED, SENDING, REJECTED]);

const ACK_STATUSES = new Set(['created', 'duplicate', 'conflict']);

const TRANSITIONS = {
  [DRAFT]: { complete: QUEUED, save: DRAFT },
  [QUEUED]: { send: SENDING },
  [SENDING]: {
    created: ACKNOWLEDGED, duplicate: ACKNOWLEDGED, conflict: ACKNOWLEDGED, rejected: REJECTED, failed: QUEUED,
    set_aside: REJECTED,
  },
  [REJECTED]: { edit: DRAFT, requeue: QUEUED },
  [ACKNOWLEDGED]: {},
};

export class InvalidTransition extends Error {
  constructor(state, event) {
    super(`cannot ${event} a response that is ${state}`);
    this.name = 'InvalidTransition';
  }
}

export function canTransition(record, event) {
  return Boolean(TRANSITIONS[record.state]?.[event]);
}

/** A new draft; the UUID is made here, on the phone, and never changes. */
export function newDraft({ uuid, roundId, formVersionId, unitId, userId, now }) {
  return {
    uuid,
    state: DRAFT,
    round_id: roundId,
    form_version_id: formVersionId,
    unit_id: unitId,
    user_id: userId,
    started_at: now,
    updated_at: now,
    completed_at: null,
    answers: {},
    page: 0,
    errors: [],
    attempts: 0,
  };
}

/** Returns a new record; never mutates the one given. */
export function transition(record, event, data = {}) {
  const next = TRANSITIONS[record.state]?.[event];
  if (!next) throw new InvalidTransition(record.state, event);
  const now = data.now ?? new Date().toISOString();
  const out = { ...record, state: next, updated_at: now };
  switch (event) {
    case 'save':
      if (data.answers) out.answers = data.answers;
      if (data.page !== undefined) out.page = data.page;
      break;
    case 'complete':
      if (data.answers) out.answers = data.answers;
      out.completed_at = now;
      out.errors = [];
      break;
    case 'send':
      out.attempts = (record.attempts ?? 0) + 1;
      break;
    case 'created':
    case 'duplicate':
    case 'conflict':
      // Synced: keep a stub for the progress counts, drop the resident's answers
      // so a shared phone does not carry them around.
      delete out.answers;
      out.ack_status = event;
      out.synced_at = now;
      out.errors = [];
      clearSplitState(out);
      break;
    case 'rejected':
      out.errors = normaliseErrors(data.errors);
      clearSplitState(out);
      break;
    case 'set_aside':
      out.errors = [setAsideError()];
      out.set_aside_at = now;
      break;
    case 'requeue':
      clearSplitState(out);
      // Tried again by hand: a set-aside item travels alone, so that if it still breaks
      // the server it cannot hold the rest of the outbox back again.
      if (isSetAside(record)) out.batch_limit = 1;
      break;
    case 'edit':
      out.completed_at = null;
      clearSplitState(out);
      break;
    default:
      break;
  }
  return out;
}

/** Responses stuck in `sending` after a crash go back to the queue. */
export function recoverInterrupted(record) {
  return record.state === SENDING ? transition(record, 'failed') : record;
}

/** Server errors may be strings or objects with a message in one or two languages. */
export function normaliseErrors(errors) {
  if (!Array.isArray(errors)) return errors ? [normaliseError(errors)] : [];
  return errors.map(normaliseError);
}

function normaliseError(error) {
  if (typeof error === 'string') return { code: 'error', message: { vi: error, en: error } };
  const message = error?.message;
  const text = typeof message === 'string'
    ? { vi: message, en: error?.message_en ?? error?.details?.message_en ?? message }
    : { vi: message?.vi ?? String(error?.code ?? 'error'), en: message?.en ?? message?.vi ?? '' };
  return { code: error?.code ?? 'error', question: error?.question ?? error?.field ?? null, message: text };
}

/** The JSON the server expects for one response. */
export function toSubmission(record, client) {
  return {
    uuid: record.uuid,
    round_id: record.round_id,
    form_version_id: record.form_version_id,
    unit_id: record.unit_id,
    started_at: record.started_at,
    completed_at: record.completed_at,
    answers: record.answers ?? {},
    client,
  };
}

export class BadReply extends Error {
  constructor(reason) {
    super(`the server's reply is not a sync result: ${reason}`);
    this.name = 'BadReply';
  }
}

/**
 * Checks that `body` is our answer to the batch `sentUuids` (a captive portal may
 * answer 200 with HTML) and returns uuid -> result. Throws BadReply otherwise.
 */
export function readSyncReply(sentUuids, body) {
  if (!body || typeof body !== 'object' || !Array.isArray(body.results)) {
    throw new BadReply('no results array');
  }
  if (body.results.length !== sentUuids.length) throw new BadReply('wrong number of results');
  const byUuid = new Map();
  for (const result of body.results) {
    if (!result || typeof result.uuid !== 'string' || typeof result.status !== 'string') {
      throw new BadReply('a result without uuid or status');
    }
    if (!ACK_STATUSES.has(result.status) && result.status !== 'rejected') {
      throw new BadReply(`unknown status ${result.status}`);
    }
    byUuid.set(result.uuid, result);
  }
  for (const uuid of sentUuids) {
    if (!byUuid.has(uuid)) throw new BadReply(`no result for ${uuid}`);
  }
  return byUuid;
}

/** Applies one server result to a record that was being sent. */
export function applyResult(record, result, now) {
  return transition(record, result.status, { errors: result.errors, now });
}

/** Counts per round and unit: collected on this phone, and how many of those are synced. */
export function progressCounts(records) {
  const counts = new Map();
  for (const record of records) {
    if (record.state === DRAFT) continue;
    const key = `${record.round_id}:${record.unit_id}`;
    const entry = counts.get(key) ?? { collected: 0, synced: 0 };
    entry.collected += 1;
    if (record.state === ACKNOWLEDGED) entry.synced += 1;
    counts.set(key, entry);
  }
  return counts;
}

/**
 * A 400 that names items of the batch (details.fields.json.submissions: {index: problems})
 * says those items are malformed: they are rejected on their own, with the fields named,
 * so one broken record (say, from an edited import file) cannot block the whole outbox.
 * Returns Map(index -> errors), or null when the 400 does not point at items.
 */
export function malformedItems(error, batchLength) {
  const items = error?.status === 400 ? error.details?.fields?.json?.submissions : null;
  if (!items || typeof items !== 'object' || Array.isArray(items)) return null;
  const found = new Map();
  for (const [key, problems] of Object.entries(items)) {
    const index = Number(key);
    if (!Number.isInteger(index) || index < 0 || index >= batchLength) return null;
    const fields = problems && typeof problems === 'object' ? Object.keys(problems).join(', ') : '';
    found.set(index, [{
      question: null, code: 'invalid_submission',
      message: {
        vi: `Phiếu có dữ liệu không hợp lệ (${fields}). Hãy sửa hoặc xuất tệp gửi cho quản trị viên.`,
        en: `The response has invalid data (${fields}). Correct it, or export it for the admin.`,
      },
    }]);
  }
  return found.size ? found : null;
}

// ---- Poison items -------------------------------------------------------------------
// One item can make the server fail the whole batch (5xx) every time. After the same
// batch failed SERVER_FAILURE_LIMIT times it is halved, and the halves are sent, again
// and again until the item is alone; an item that still fails alone is set aside:
// rejected, kept on the phone with a reason, so the rest of the outbox syncs.
// The state lives on the records (IndexedDB), so it survives a restart and is shared
// with the service worker's Background Sync:
//   batch_limit      the largest batch the record may travel in (absent: any size)
//   server_failures  5xx answers to its batches since its batch_limit last changed
//   server_ok_seen   the server answered another batch since its batch_limit was set
// An item alone is set aside only once the server was seen working for others: during
// an outage every batch fails, and that must not set anything aside.

export const SERVER_FAILURE_LIMIT = 3;
export const SET_ASIDE_CODE = 'server_error';
const SPLIT_FIELDS = ['batch_limit', 'server_failures', 'server_ok_seen', 'set_aside_at'];

function clearSplitState(record) {
  for (const field of SPLIT_FIELDS) delete record[field];
}

function setAsideError() {
  return {
    code: SET_ASIDE_CODE, question: null,
    message: { ...SET_ASIDE_MESSAGE },
  };
}

/** Kept aside because the server failed on it alone (not refused for its content). */
export function isSetAside(record) {
  return record.state === REJECTED && (record.errors ?? []).some((e) => e?.code === SET_ASIDE_CODE);
}

/** Tried alone because its batches kept failing on the server. */
export function isTriedAlone(record) {
  return record.state !== REJECTED && record.batch_limit === 1 && (record.server_failures ?? 0) > 0;
}

/**
 * A failure that may come from the batch's content: any 5xx but 503, which is the
 * server saying it is busy (locks, overload) and says nothing about the items.
 */
export function countsAgainstBatch(error) {
  const status = Number(error?.status);
  return status >= 500 && status <= 599 && status !== 503;
}

function waitsForProof(record, limit) {
  return record.batch_limit === 1 && (record.server_failures ?? 0) >= limit && !record.server_ok_seen;
}

const byAge = (a, b) => String(a.completed_at).localeCompare(String(b.completed_at))
  || String(a.uuid).localeCompare(String(b.uuid));

/**
 * The next batch from `queued`: oldest first (a stable order, so a failing batch is
 * sent again as the same batch), no bigger than the batch_limit of any member. An item
 * that failed alone and waits for proof that the server works goes after the others.
 */
export function nextBatch(queued, maxSize, limit = SERVER_FAILURE_LIMIT) {
  const ordered = [...queued].sort(byAge);
  const ready = ordered.filter((record) => !waitsForProof(record, limit));
  const batch = [];
  let size = maxSize;
  for (const record of ready.length ? ready : ordered) {
    size = Math.min(size, record.batch_limit ?? Infinity);
    if (batch.length >= size) break;
    batch.push(record);
  }
  return batch;
}

/**
 * The records of a batch (state `sending`) after the server failed it with a 5xx:
 * back in the queue, halved once the batch failed `limit` times, or, alone, set aside.
 */
export function afterServerFailure(batch, { now, limit = SERVER_FAILURE_LIMIT } = {}) {
  const counted = batch.map((record) => ({ ...record, server_failures: (record.server_failures ?? 0) + 1 }));
  const repeated = Math.min(...counted.map((record) => record.server_failures)) >= limit;
  if (counted.length === 1) {
    const alone = { ...counted[0], batch_limit: 1 };
    return [transition(alone, repeated && alone.server_ok_seen ? 'set_aside' : 'failed', { now })];
  }
  if (!repeated) return counted.map((record) => transition(record, 'failed', { now }));
  const half = Math.ceil(counted.length / 2);
  return counted.map((record) => transition(
    { ...record, batch_limit: half, server_failures: 0, server_ok_seen: false }, 'failed', { now }));
}

/** The server answered another batch: the queued items being split have seen it work. */
export function afterServerAnswered(queued) {
  return queued
    .filter((record) => record.batch_limit != null && !record.server_ok_seen)
    .map((record) => ({ ...record, server_ok_seen: true }));
}
