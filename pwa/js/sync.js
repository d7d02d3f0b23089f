// The sync engine: sends the outbox in batches, retries with backoff, never touches
// the DOM. Listen to its 'status' events. The same code runs in the page and in the
// service worker (Background Sync), serialised by a lock.
import { backoffDelay, DEFAULT_BACKOFF } from './backoff.js';
import {
  QUEUED, SENDING, REJECTED, transition, recoverInterrupted, toSubmission, applyResult,
  malformedItems, nextBatch, countsAgainstBatch, afterServerFailure, afterServerAnswered,
  SERVER_FAILURE_LIMIT,
} from './outbox.js';

export const BATCH_SIZE = 100;
export const PERIOD_MS = 120_000;

/** Records this user sends (a shared phone keeps others' for them). */
function belongsTo(userId) {
  return (record) => record.user_id == null || userId == null || record.user_id === userId;
}

/** Web Locks where available (tabs and the worker share them), else an in-process queue. */
export function makeLock(locks = globalThis.navigator?.locks) {
  if (locks?.request) return (name, work) => locks.request(name, work);
  let tail = Promise.resolve();
  return (name, work) => {
    const result = tail.then(work, work);
    tail = result.catch(() => {});
    return result;
  };
}

export class SyncEngine extends EventTarget {
  #timer = null;
  #current = null;
  #started = false;

  constructor({
    store, api, client = {}, getUserId = async () => null, isOnline = () => true,
    batchSize = BATCH_SIZE, periodMs = PERIOD_MS, backoff = DEFAULT_BACKOFF,
    now = () => new Date(), timers = globalThis, random = Math.random, lock = makeLock(),
    serverFailureLimit = SERVER_FAILURE_LIMIT,
  }) {
    super();
    Object.assign(this, {
      store, api, client, getUserId, isOnline, batchSize, periodMs, backoff, now, timers, random, lock,
      serverFailureLimit,
    });
    this.status = {
      running: false, waiting: 0, rejected: 0, lastSuccessAt: null, error: null,
      failures: 0, nextAttemptAt: null,
    };
    // Every assignments request through this api tells the server how this phone is doing.
    api?.reportClientWith?.(() => this.clientReport());
  }

  /** What the phone tells the server at a sync: its app version and the responses still
   *  waiting to be sent (queued or being sent) for this user. */
  async clientReport() {
    const userId = await this.getUserId();
    const waiting = (await this.store.responsesInStates([QUEUED, SENDING])).filter(belongsTo(userId));
    return { appVersion: this.client?.app_version ?? null, queued: waiting.length };
  }

  #emit(changes = {}) {
    Object.assign(this.status, changes);
    this.dispatchEvent(new CustomEvent('status', { detail: { ...this.status } }));
  }

  async refreshCounts() {
    const records = await this.store.responsesInStates([QUEUED, SENDING, REJECTED]);
    // The stored time too: the service worker's Background Sync sends while this page waits.
    const stored = (await this.store.getMeta('last_sync_at')) ?? null;
    const known = this.status.lastSuccessAt;
    const lastSuccessAt = !known || (stored && stored > known) ? stored : known;
    this.#emit({
      waiting: records.filter((r) => r.state !== REJECTED).length,
      rejected: records.filter((r) => r.state === REJECTED).length,
      lastSuccessAt,
    });
  }

  /** Starts the timers: a sync now, then periodically and after failures. */
  start() {
    this.#started = true;
    this.#schedule(0);
  }

  stop() {
    this.#started = false;
    if (this.#timer) this.timers.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** After a new login: forget the auth error and try again at once. */
  resume() {
    this.#emit({ error: null, failures: 0 });
    return this.syncNow('resume');
  }

  #schedule(delay) {
    if (!this.#started) return;
    if (this.#timer) this.timers.clearTimeout(this.#timer);
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = null;
      this.syncNow('timer');
    }, delay);
    this.#emit({ nextAttemptAt: new Date(this.now().getTime() + delay).toISOString() });
  }

  /** One pass over the outbox; concurrent calls share the pass in progress. */
  syncNow(reason = 'manual') {
    if (!this.#current) {
      this.#current = this.#pass(reason).finally(() => { this.#current = null; });
    }
    return this.#current;
  }

  async #pass(reason) {
    if (this.status.error?.kind === 'auth' && reason !== 'resume' && reason !== 'manual') {
      await this.refreshCounts();
      return { sent: 0, skipped: 'auth' };
    }
    if (!this.isOnline()) {
      await this.refreshCounts();
      this.#emit({ error: { kind: 'offline' } });
      return { sent: 0, skipped: 'offline' };
    }
    this.#emit({ running: true });
    const summary = { sent: 0, created: 0, duplicate: 0, conflict: 0, rejected: 0, set_aside: 0 };
    try {
      await this.lock('lang-nghe-sync', () => this.#sendAll(summary));
      this.#emit({ running: false, error: null, failures: 0 });
      this.#schedule(this.periodMs);
      return summary;
    } catch (error) {
      // The backoff measures passes in which the server took nothing; a pass that got
      // answers before it failed (a poison batch being split) starts it over.
      const failures = summary.sent ? 1 : this.status.failures + 1;
      this.#emit({
        running: false,
        failures,
        error: { kind: error?.kind ?? 'unknown', code: error?.code ?? null, message: error?.message ?? String(error) },
      });
      // An expired login waits for the volunteer to log in again; the rest retries.
      if (error?.kind !== 'auth') this.#schedule(backoffDelay(failures, this.backoff, this.random));
      return { ...summary, error };
    } finally {
      await this.refreshCounts();
    }
  }

  async #sendAll(summary) {
    // Inside the lock nobody else is sending: `sending` records are left from a crash.
    const stuck = await this.store.responsesInStates([SENDING]);
    if (stuck.length) await this.store.putResponses(stuck.map(recoverInterrupted));

    const userId = await this.getUserId();
    for (;;) {
      const queued = (await this.store.responsesInStates([QUEUED])).filter(belongsTo(userId));
      if (!queued.length) return summary;
      const nowIso = this.now().toISOString();
      const batch = nextBatch(queued, this.batchSize, this.serverFailureLimit)
        .map((r) => transition(r, 'send', { now: nowIso }));
      await this.store.putResponses(batch);
      // Once the server has this batch, what is left waiting is the rest of the queue.
      const report = { appVersion: this.client?.app_version ?? null, queued: queued.length - batch.length };
      let results;
      try {
        results = await this.api.submit(batch.map((r) => toSubmission(r, this.client)), report);
      } catch (error) {
        const malformed = malformedItems(error, batch.length);
        if (malformed) {
          // Reject just the broken items; the rest go back to the queue and are sent next.
          await this.store.putResponses(batch.map((r, i) => (malformed.has(i)
            ? applyResult(r, { status: 'rejected', errors: malformed.get(i) }, nowIso)
            : transition(r, 'failed', { now: nowIso }))));
          summary.rejected += malformed.size;
          continue;
        }
        if (countsAgainstBatch(error)) {
          // Perhaps one item breaks the server: count, halve the batch, or set it aside.
          const after = afterServerFailure(batch, { now: nowIso, limit: this.serverFailureLimit });
          await this.store.putResponses(after);
          const setAside = after.filter((r) => r.state === REJECTED).length;
          summary.set_aside += setAside;
          summary.rejected += setAside;
          // The item is out of the way and the server was seen working: go on with the rest.
          if (setAside) continue;
          throw error;
        }
        await this.store.putResponses(batch.map((r) => transition(r, 'failed', { now: nowIso })));
        // Too large for the server (long comments): send smaller batches from now on.
        if (error?.status === 413 && this.batchSize > 1) this.batchSize = Math.ceil(batch.length / 2);
        throw error;
      }
      const doneAt = this.now().toISOString();
      const updated = batch.map((r) => applyResult(r, results.get(r.uuid), doneAt));
      await this.store.putResponses(updated);
      // Items tried alone have now seen the server work for others.
      const witnesses = afterServerAnswered(await this.store.responsesInStates([QUEUED]));
      if (witnesses.length) await this.store.putResponses(witnesses);
      for (const record of updated) {
        summary.sent += 1;
        summary[record.ack_status ?? REJECTED] += 1;
      }
      // "Last sync" means the server confirmed something, not that the queue was empty.
      await this.store.setMeta('last_sync_at', doneAt);
      this.#emit({ lastSuccessAt: doneAt });
      this.dispatchEvent(new CustomEvent('batch', { detail: { ...summary } }));
    }
  }
}
