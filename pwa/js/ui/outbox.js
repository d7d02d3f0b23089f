// The outbox: what waits to be sent, what the server refused and why.
import { h, mount, toast, confirmDialog } from './dom.js';
import { t, pick, formatDateTime } from '../i18n.js';
import * as storage from '../storage.js';
import {
  transition, REJECTED, SET_ASIDE_CODE, isSetAside, isTriedAlone,
} from '../outbox.js';
import { unitName } from './home.js';
import { exportControls } from './transfer.js';

export async function renderOutbox(container, ctx) {
  const records = (await storage.outboxResponses())
    .sort((a, b) => String(b.completed_at).localeCompare(String(a.completed_at)));
  const rejected = records.filter((r) => r.state === REJECTED);
  const waiting = records.filter((r) => r.state !== REJECTED);

  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('outbox_title')),
      h('p', { class: 'lead' }, records.length ? t('outbox_intro', { n: waiting.length }) : t('outbox_empty')),
      h('button', { type: 'button', class: 'button primary block', onclick: () => ctx.syncNow() }, t('sync_now')),
      rejected.length ? h('section', { class: 'card warn', 'aria-labelledby': 'rejected-title' },
        h('h2', { id: 'rejected-title' }, t('rejected_title', { n: rejected.length })),
        h('p', {}, t('rejected_intro')),
        h('ul', { class: 'records' }, rejected.map((r) => rejectedItem(r, ctx)))) : null,
      waiting.length ? h('section', { class: 'card', 'aria-labelledby': 'waiting-title' },
        h('h2', { id: 'waiting-title' }, t('waiting_title', { n: waiting.length })),
        h('ul', { class: 'records', id: 'outbox-list' }, waiting.map((r) => h('li', { class: 'record', dataset: { uuid: r.uuid, state: r.state } },
          h('span', {}, unitName(ctx.session.unit(r.round_id, r.unit_id)) || t('unknown_unit')),
          h('span', { class: 'meta' }, t('completed_at', { time: formatDateTime(r.completed_at) })),
          isTriedAlone(r) ? h('span', { class: 'meta tried-alone' }, t('tried_alone')) : null)))) : null,
      exportControls(ctx)));
}

/** The server's reason; ours (set aside after server errors) in the current language. */
function reasonText(error) {
  return error?.code === SET_ASIDE_CODE ? t('set_aside_reason') : pick(error?.message) || error?.code;
}

function rejectedItem(record, ctx) {
  const setAside = isSetAside(record);
  return h('li', {
    class: `record rejected${setAside ? ' set-aside' : ''}`,
    dataset: { uuid: record.uuid, state: record.state, setAside: String(setAside) },
  },
    h('p', { class: 'record-title' }, unitName(ctx.session.unit(record.round_id, record.unit_id)) || t('unknown_unit'),
      h('span', { class: 'meta' }, ` · ${formatDateTime(record.completed_at)}`)),
    h('ul', { class: 'reasons' }, (record.errors ?? []).map((error) => h('li', { class: 'reason' }, reasonText(error)))),
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
          ctx.rerender();
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
          ctx.rerender();
        },
      }, t('discard'))));
}
