import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarise, PhoneState, STATE_WORDS, unitKey } from '../../pwa/js/phone-state.js';
import { STRINGS } from '../../pwa/js/strings.js';
import { guidePlatform, isInstalled } from '../../pwa/js/install.js';

const NOW = new Date('2026-05-20T10:00:00Z');
const rec = (uuid, state, extra = {}) => ({
  uuid, state, round_id: 1, unit_id: 10, user_id: 7, completed_at: '2026-05-19T08:00:00Z', ...extra,
});

test('every state has one word, in both languages, with no sync jargon in Vietnamese', () => {
  for (const key of Object.values(STATE_WORDS)) {
    assert.ok(STRINGS.vi[key] && STRINGS.en[key], key);
    assert.doesNotMatch(STRINGS.vi[key], /đồng bộ/i);
  }
  for (const key of ['bar_nothing_waiting', 'bar_last_sent', 'bar_never_sent', 'send_now', 'home_received', 'home_unsent']) {
    assert.doesNotMatch(STRINGS.vi[key], /đồng bộ/i, key);
  }
});

test('counts per state and per unit for the volunteer signed in', () => {
  const summary = summarise([
    rec('a', 'draft'), rec('b', 'queued'), rec('c', 'sending'), rec('d', 'rejected'),
    rec('e', 'acknowledged', { synced_at: '2026-05-19T09:00:00Z' }),
    rec('f', 'queued', { unit_id: 11 }),
    rec('g', 'queued', { user_id: 8 }), // another volunteer's, on a shared phone
  ], { userId: 7, now: NOW });
  assert.deepEqual(
    { saved: summary.saved, waiting: summary.waiting, sending: summary.sending, refused: summary.refused, sent: summary.sent },
    { saved: 1, waiting: 3, sending: 1, refused: 1, sent: 1 });
  assert.deepEqual(summary.perUnit.get(unitKey(1, 10)), { saved: 1, unsent: 3, refused: 1, sent: 1 });
  assert.deepEqual(summary.outbox.map((r) => r.uuid).sort(), ['b', 'c', 'd', 'f']);
  assert.equal(summary.perUnit.get(unitKey(1, 11)).unsent, 1);
});

test('the sent list keeps 30 days, newest first; the last send is the latest known', () => {
  const summary = summarise([
    rec('old', 'acknowledged', { synced_at: '2026-04-01T09:00:00Z' }),
    rec('x', 'acknowledged', { synced_at: '2026-05-18T09:00:00Z' }),
    rec('y', 'acknowledged', { synced_at: '2026-05-19T09:00:00Z' }),
  ], { userId: 7, lastSentAt: '2026-05-18T12:00:00Z', now: NOW });
  assert.deepEqual(summary.recentlySent.map((r) => r.uuid), ['y', 'x']);
  assert.equal(summary.sent, 3);
  // Sent by the service worker after the stored time was read: the acknowledgement wins.
  assert.equal(summary.lastSentAt, '2026-05-19T09:00:00Z');
  assert.equal(summarise([], { lastSentAt: '2026-05-18T12:00:00Z' }).lastSentAt, '2026-05-18T12:00:00Z');
});

test('the store re-reads on every storage change, and folds changes made while reading', async () => {
  const events = new EventTarget();
  let records = [rec('a', 'queued')];
  let reads = 0;
  let release;
  const store = {
    async allResponses() {
      reads += 1;
      const now = records; // what the store held when the read began
      await new Promise((resolve) => { release = resolve; });
      return now;
    },
    async getMeta() { return null; },
  };
  const state = new PhoneState({ store, events, getUserId: () => 7, now: () => NOW });
  const seen = [];
  state.addEventListener('change', (event) => seen.push(event.detail.waiting));
  const first = state.refresh();
  await Promise.resolve();
  // A background send lands while the first read runs: two announcements, one more read.
  records = [rec('a', 'acknowledged', { synced_at: NOW.toISOString() })];
  events.dispatchEvent(new CustomEvent('changed', { detail: { store: 'responses', remote: true } }));
  events.dispatchEvent(new CustomEvent('changed', { detail: { store: 'meta', remote: true } }));
  release();
  await new Promise((resolve) => setTimeout(resolve, 0));
  release();
  await first;
  assert.equal(reads, 2);
  assert.equal(state.summary.waiting, 0);
  assert.equal(state.summary.sent, 1);
  assert.deepEqual(seen, [1, 0]);
  events.dispatchEvent(new CustomEvent('changed', { detail: { store: 'forms' } }));
  assert.equal(reads, 2, 'a form download changes no count');
});

test('the install guide fits the phone, and an installed app shows none', () => {
  assert.equal(guidePlatform('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1'), 'ios');
  assert.equal(guidePlatform('Mozilla/5.0 (Linux; Android 13; SM-A135F) Chrome/120.0 Mobile'), 'android');
  assert.equal(guidePlatform('Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0'), null);
  const media = (standalone) => ({ matchMedia: (query) => ({ matches: standalone && query.includes('standalone') }) });
  assert.equal(isInstalled(media(true), {}), true);
  assert.equal(isInstalled(media(false), {}), false);
  assert.equal(isInstalled(media(false), { standalone: true }), true);
});
