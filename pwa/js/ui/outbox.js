// The outbox: what waits to be sent, what the server refused and why, in the words every
// screen uses for a state (phone-state.js).
import { h, mount, toast, confirmDialog } from './dom.js';
import { t, pick, formatDateTime } from '../i18n.js';
import * as storage from '../storage.js';
import {
  transition, REJECTED, SET_ASIDE_CODE, isSetAside, isTriedAlone,
} from '../outbox.js';
import { unitName } from './home.js';
import { exportControls } from './transfer.js';
import { findQuestion } from './form.js';
import { STATE_WORDS } from '../phone-state.js';

/** The outbox; rebuilt in place whenever the phone's store changes (a background send empties
 *  it while it is shown). Returns the cleanup that stops listening. */
export async function renderOutbox(container, ctx) {
  const body = h('div', { class: 'stack', id: 'outbox-body' });
  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('outbox_title')),
      body,
      h('a', { class: 'sent-link', href: '#/sent' }, t('sent_link')),
      exportControls(ctx)));
  let drawn = null;
  const definitions = new Map();
  const update = async () => {
    // The store the status bar and the home screen read: the three cannot disagree.
    const records = ctx.phoneState.summary.outbox;
    // Same records in the same states: leave the list (and the focus in it) alone.
    const signature = records.map((r) => `${r.uuid}:${r.state}:${r.attempts}:${r.batch_limit}`).join();
    if (signature === drawn) return;
    drawn = signature;
    // A refusal names its question: the form (stored on the phone) gives its label.
    for (const record of records.filter((r) => r.state === REJECTED && !definitions.has(r.form_version_id))) {
      definitions.set(record.form_version_id, await ctx.session.definition(record.form_version_id).catch(() => null));
    }
    if (drawn === signature) body.replaceChildren(...outboxBody(records, ctx, definitions));
  };
  await update();
  ctx.phoneState.addEventListener('change', update);
  return () => ctx.phoneState.removeEventListener('change', update);
}

function outboxBody(records, ctx, definitions) {
  const rejected = records.filter((r) => r.state === REJECTED);
  const waiting = records.filter((r) => r.state !== REJECTED);
  return [
    // The list's own heading says how many wait: the sentence is for an empty outbox only.
    records.length ? null : h('p', { class: 'lead', id: 'outbox-lead' }, t('outbox_empty')),
    rejected.length ? h('section', { class: 'card warn', 'aria-labelledby': 'rejected-title' },
      h('h2', { id: 'rejected-title' }, t('rejected_title', { n: rejected.length })),
      h('p', {}, t('rejected_intro')),
      h('ul', { class: 'records' }, rejected.map((r) => rejectedItem(r, ctx, definitions.get(r.form_version_id))))) : null,
    waiting.length ? h('section', { class: 'card', 'aria-labelledby': 'waiting-title' },
      h('h2', { id: 'waiting-title' }, t('waiting_title', { n: waiting.length })),
      h('ul', { class: 'records', id: 'outbox-list' }, waiting.map((r) => h('li', { class: 'record', dataset: { uuid: r.uuid, state: r.state } },
        h('span', {}, unitName(ctx.session.unit(r.round_id, r.unit_id)) || t('unknown_unit')),
        h('span', { class: `state-word state-${r.state}` }, t(STATE_WORDS[r.state])),
        h('span', { class: 'meta' }, t('completed_at', { time: formatDateTime(r.completed_at) })),
        isTriedAlone(r) ? h('span', { class: 'meta tried-alone' }, t('tried_alone')) : null)))) : null,
    waiting.length ? h('button', {
      type: 'button', class: 'button primary block', id: 'send-now-outbox', onclick: () => ctx.syncNow(),
    }, t('send_now')) : null,
  ].filter(Boolean);
}

/** The server's reason, after the question it is about; ours (set aside after server
 *  errors) in the current language. */
function reasonText(error, definition) {
  if (error?.code === SET_ASIDE_CODE) return t('set_aside_reason');
  const text = pick(error?.message) || error?.code;
  const question = definition && error?.question ? findQuestion(definition, error.question) : null;
  return question ? `${pick(question.label)} — ${text}` : text;
}

function rejectedItem(record, ctx, definition) {
  const setAside = isSetAside(record);
  return h('li', {
    class: `record rejected${setAside ? ' set-aside' : ''}`,
    dataset: { uuid: record.uuid, state: record.state, setAside: String(setAside) },
  },
    h('p', { class: 'record-title' }, unitName(ctx.session.unit(record.round_id, record.unit_id)) || t('unknown_unit'),
      h('span', { class: 'meta' }, ` · ${formatDateTime(record.completed_at)}`)),
    h('span', { class: 'state-word state-rejected' }, t(STATE_WORDS[REJECTED])),
    h('ul', { class: 'reasons' }, (record.errors ?? []).map((error) => h('li', { class: 'reason' }, reasonText(error, definition)))),
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'button secondary',
        onclick: async () => {
          await storage.putResponse(transition(record, 'edit'));
          ctx.navigate(`#/review/${record.uuid}`);
        },
      }, t('correct')),
      h('button', {
        type: 'button', class: 'button secondary',
        onclick: async () => {
          await storage.putResponse(transition(record, 'requeue'));
          ctx.syncNow();
        },
      }, setAside ? t('retry_set_aside') : t('retry')),
      h('button', {
        type: 'button', class: 'button danger',
        onclick: async () => {
          const ok = await confirmDialog({
            title: t('discard_confirm_title'), message: t('discard_confirm_text'),
            confirmLabel: t('discard'), cancelLabel: t('cancel'), danger: true,
          });
          if (!ok) return;
          await storage.deleteResponse(record.uuid);
          toast(t('discarded'));
        },
      }, t('discard'))));
}
