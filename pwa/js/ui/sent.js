// "Did my interview with house 12 go through?": what the server acknowledged from this phone
// in the last 30 days, read-only. The answers left the phone when they were acknowledged;
// the unit, the times and the response's code remain.
import { h, mount } from './dom.js';
import { t, formatDateTime } from '../i18n.js';
import { unitName } from './home.js';
import { STATE_WORDS } from '../phone-state.js';
import { ACKNOWLEDGED } from '../outbox.js';

export async function renderSent(container, ctx) {
  const body = h('div', { class: 'stack', id: 'sent-body' });
  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('sent_title')),
      h('p', { class: 'lead' }, t('sent_intro')),
      body));
  const update = () => {
    const sent = ctx.phoneState.summary.recentlySent;
    body.replaceChildren(sent.length
      ? h('ul', { class: 'records card', id: 'sent-list' }, sent.map((record) => sentItem(record, ctx)))
      : h('p', { class: 'notice', id: 'sent-empty' }, t('sent_empty')));
  };
  update();
  ctx.phoneState.addEventListener('change', update);
  return () => ctx.phoneState.removeEventListener('change', update);
}

function sentItem(record, ctx) {
  return h('li', { class: 'record', dataset: { uuid: record.uuid, state: record.state } },
    h('p', { class: 'record-title' }, unitName(ctx.session.unit(record.round_id, record.unit_id)) || t('unknown_unit'),
      h('span', { class: 'state-word state-acknowledged' }, t(STATE_WORDS[ACKNOWLEDGED]))),
    h('span', { class: 'meta' }, t('sent_times', {
      completed: formatDateTime(record.completed_at), sent: formatDateTime(record.synced_at),
    })),
    h('span', { class: 'meta' }, t('sent_code', { code: record.uuid.slice(0, 8).toUpperCase() })),
    record.ack_status === 'conflict' ? h('span', { class: 'meta' }, t('sent_conflict')) : null);
}
