// Always visible: online or not, how many responses wait, the last good sync, and
// what went wrong in words a volunteer understands.
import { h } from './dom.js';
import { t, formatDateTime } from '../i18n.js';

export function errorText(error) {
  if (!error) return '';
  if (error.kind === 'offline') return '';
  if (error.kind === 'auth') return error.code === 'token_revoked' ? t('err_auth_revoked') : t('err_auth_expired');
  if (error.kind === 'network') return t('err_network');
  if (error.kind === 'bad_reply') return t('err_bad_reply');
  if (error.kind === 'server') return t('err_server');
  if (error.kind === 'rejected') return t('err_batch_rejected');
  return t('err_unknown');
}

export function renderStatusBar(el, { online, status, onSync, onLogin }) {
  const waiting = status.waiting ?? 0;
  const message = errorText(status.error);
  el.dataset.online = String(online);
  el.dataset.waiting = String(waiting);
  el.dataset.rejected = String(status.rejected ?? 0);
  el.dataset.syncing = String(Boolean(status.running));
  el.replaceChildren(
    h('div', { class: 'status-line' },
      h('span', { class: `dot ${online ? 'on' : 'off'}`, 'aria-hidden': 'true' }),
      h('span', { class: 'status-online' }, online ? t('online') : t('offline')),
      h('span', { class: 'status-waiting', id: 'status-waiting' }, waiting ? t('waiting_count', { n: waiting }) : t('nothing_waiting')),
      status.rejected ? h('a', { class: 'status-rejected', href: '#/outbox' }, t('rejected_count', { n: status.rejected })) : null),
    h('div', { class: 'status-line' },
      h('span', { class: 'status-last' }, status.running ? t('syncing') : status.lastSuccessAt ? t('last_sync', { time: formatDateTime(status.lastSuccessAt) }) : t('never_synced')),
      h('button', { type: 'button', class: 'button small', onclick: onSync, disabled: status.running || !online }, t('sync_now'))),
    ...(message ? [h('div', { class: 'status-error', role: 'alert' }, message,
      status.error.kind === 'auth' ? h('button', { type: 'button', class: 'button small', onclick: onLogin }, t('login_again')) : null)] : []));
}
