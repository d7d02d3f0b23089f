// Always visible: online or not, how many responses wait, when the server last took one,
// and what went wrong in words a volunteer understands. The counts come from the phone's
// store (phone-state.js), the same numbers the home screen and the outbox show.
import { h } from './dom.js';
import { t, formatDateTime } from '../i18n.js';

export function errorText(error) {
  if (!error) return '';
  if (error.kind === 'offline') return '';
  if (error.kind === 'auth') return error.code === 'token_revoked' ? t('err_auth_revoked') : t('err_auth_expired');
  if (error.kind === 'network') return t('err_network');
  if (error.kind === 'bad_reply') return t('err_bad_reply');
  if (error.kind === 'server') return t('err_server');
  if (error.kind === 'rejected') return t('err_send_rejected');
  return t('err_send_unknown');
}

function lastSentText(running, lastSentAt) {
  if (running) return t('state_sending');
  return lastSentAt ? t('bar_last_sent', { time: formatDateTime(lastSentAt) }) : t('bar_never_sent');
}

/** status: the sync engine's (running, error); summary: the phone's store (waiting, refused,
 *  lastSentAt). */
export function renderStatusBar(el, { online, status, summary, onSync, onLogin }) {
  const waiting = summary.waiting ?? 0;
  const refused = summary.refused ?? 0;
  const message = errorText(status.error);
  el.dataset.online = String(online);
  el.dataset.waiting = String(waiting);
  el.dataset.rejected = String(refused);
  el.dataset.syncing = String(Boolean(status.running));
  el.setAttribute('aria-label', t('status_bar_label'));
  el.replaceChildren(
    h('div', { class: 'status-line' },
      h('span', { class: `dot ${online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
      h('span', { class: 'status-online' }, online ? t('online') : t('offline')),
      h('span', { class: 'status-waiting', id: 'status-waiting' }, waiting ? t('waiting_count', { n: waiting }) : t('bar_nothing_waiting')),
      refused ? h('a', { class: 'status-rejected', href: '#/outbox' }, t('rejected_count', { n: refused })) : null),
    h('div', { class: 'status-line' },
      h('span', { class: 'status-last', id: 'status-last' }, lastSentText(status.running, summary.lastSentAt)),
      // Only when something is left to send (a sign-in screen or an empty outbox has nothing).
      waiting || refused ? h('button', {
        type: 'button', class: 'button small', id: 'send-now', onclick: onSync, disabled: status.running || !online,
      }, t('send_now')) : null),
    ...(message ? [h('div', { class: 'status-error', role: 'alert' }, message,
      status.error.kind === 'auth' ? h('button', { type: 'button', class: 'button small', onclick: onLogin }, t('login_again')) : null)] : []));
}
