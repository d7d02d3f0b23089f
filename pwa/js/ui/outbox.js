// The outbox: what waits to be sent, what the server refused and why.
import { h, mount, toast, confirmDialog } from './dom.js';
import { t, pick, formatDateTime } from '../i18n.js';
import * as storage from '../storage.js';
import { transition, REJECTED } from '../outbox.js';
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
          h('span', { class: 'meta' }, t('completed_at', { time: formatDateTime(r.completed_at) })))))) : null,
      exportControls(ctx)));
}

function rejectedItem(record, ctx) {
  return h('li', { class: 'record rejected', dataset: { uuid: record.uuid, state: record.state } },
    h('p', { class: 'record-title' }, unitName(ctx.session.unit(record.round_id, record.unit_id)) || t('unknown_unit'),
      h('span', { class: 'meta' }, ` · ${formatDateTime(record.completed_at)}`)),
    h('ul', { class: 'reasons' }, (record.errors ?? []).map((error) => h('li', { class: 'reason' }, pick(error.message) || error.code))),
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
      }, t('retry')),
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
