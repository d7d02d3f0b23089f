// What this phone holds, in one place: the status bar, the home screen, the outbox and the
// sent list all read this store, so they cannot disagree. It re-reads IndexedDB on every
// change announced by storage.js (this page's writes, and other tabs' and the service
// worker's Background Sync over the BroadcastChannel). No DOM: listen to 'change'.
import { DRAFT, QUEUED, SENDING, REJECTED, ACKNOWLEDGED } from './outbox.js';

export const SENT_LIST_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** One word per state, the same everywhere (keys of strings.js). */
export const STATE_WORDS = Object.freeze({
  [DRAFT]: 'state_saved',
  [QUEUED]: 'state_waiting',
  [SENDING]: 'state_sending',
  [ACKNOWLEDGED]: 'state_sent',
  [REJECTED]: 'state_refused',
});

export const unitKey = (roundId, unitId) => `${roundId}:${unitId}`;

/** Counts and lists from the stored records of one volunteer (records without a user count
 *  as theirs, like the home screen always did). Pure. */
export function summarise(records, { userId = null, lastSentAt = null, now = new Date() } = {}) {
  const mine = records.filter((r) => r.user_id == null || userId == null || r.user_id === userId);
  const summary = {
    saved: 0, waiting: 0, sending: 0, refused: 0, sent: 0,
    perUnit: new Map(), outbox: [], recentlySent: [], lastSentAt,
  };
  const since = now.getTime() - SENT_LIST_DAYS * DAY_MS;
  for (const record of mine) {
    const key = unitKey(record.round_id, record.unit_id);
    const unit = summary.perUnit.get(key) ?? { saved: 0, unsent: 0, refused: 0, sent: 0 };
    switch (record.state) {
      case DRAFT: summary.saved += 1; unit.saved += 1; break;
      case QUEUED: summary.waiting += 1; unit.unsent += 1; summary.outbox.push(record); break;
      case SENDING: summary.waiting += 1; summary.sending += 1; unit.unsent += 1; summary.outbox.push(record); break;
      case REJECTED: summary.refused += 1; unit.unsent += 1; unit.refused += 1; summary.outbox.push(record); break;
      case ACKNOWLEDGED:
        summary.sent += 1;
        unit.sent += 1;
        if (Date.parse(record.synced_at ?? record.updated_at ?? '') >= since) summary.recentlySent.push(record);
        break;
      default: break;
    }
    summary.perUnit.set(key, unit);
  }
  summary.outbox.sort((a, b) => String(b.completed_at).localeCompare(String(a.completed_at)));
  summary.recentlySent.sort((a, b) => String(b.synced_at).localeCompare(String(a.synced_at)));
  // The store's own time of the last send, or the latest acknowledgement if that is later.
  const latestAck = summary.recentlySent[0]?.synced_at ?? null;
  if (latestAck && (!lastSentAt || latestAck > lastSentAt)) summary.lastSentAt = latestAck;
  return summary;
}

export class PhoneState extends EventTarget {
  #reading = null;
  #again = false;

  /** store: {allResponses, getMeta}; events: storage.js's storageEvents. */
  constructor({ store, events, getUserId = () => null, now = () => new Date() }) {
    super();
    Object.assign(this, { store, getUserId, now });
    this.summary = summarise([], {});
    this.ready = false;
    events?.addEventListener('changed', (event) => {
      const kind = event.detail?.store;
      if (kind === 'responses' || kind === 'meta') this.refresh();
    });
  }

  /** Re-reads the store; calls made while a read runs are folded into one more read. */
  refresh() {
    if (this.#reading) {
      this.#again = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      do {
        this.#again = false;
        const [records, lastSentAt] = await Promise.all([
          this.store.allResponses(), this.store.getMeta('last_sync_at'),
        ]);
        this.summary = summarise(records, { userId: this.getUserId(), lastSentAt: lastSentAt ?? null, now: this.now() });
        this.ready = true;
        this.dispatchEvent(new CustomEvent('change', { detail: this.summary }));
      } while (this.#again);
      return this.summary;
    })().finally(() => { this.#reading = null; });
    return this.#reading;
  }
}
