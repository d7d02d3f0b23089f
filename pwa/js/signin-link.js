// Sign-in cards: the app opened at /app/#signin=<code> (the QR code on a volunteer's card,
// scanned with the phone's camera) signs in with no typing (server/auth/signin_api.py).
// The code leaves the address at once, so it is not kept in the history. A phone holding
// unsent responses of the person signed in never takes someone else's card: the server
// refuses it without using it up (only_for_user_id).
import { ApiError } from './api.js';
import { UNSYNCED } from './outbox.js';
import { t } from './i18n.js';
import { h, toast } from './ui/dom.js';

const PREFIX = '#signin=';
const CODE_SHAPE = /^[A-Za-z0-9_-]{20,128}$/;

/** The card's code from the address, removed from it at once: null when the address has
 *  none, '' when it has one that cannot be a code. */
export function takeSigninCode(loc = globalThis.location, hist = globalThis.history) {
  const hash = loc?.hash ?? '';
  if (!hash.startsWith(PREFIX)) return null;
  hist.replaceState(null, '', `${loc.pathname}${loc.search}`);
  let code = '';
  try {
    code = decodeURIComponent(hash.slice(PREFIX.length)).trim();
  } catch {
    // A broken %-escape: not a code.
  }
  return CODE_SHAPE.test(code) ? code : '';
}

/** POST the code; the body a password login gives ({token, expires_at, user}) or ApiError. */
export async function redeemSigninCode(code, {
  deviceName: device = '', onlyForUserId = null, baseUrl = '/api/v1', fetchImpl = (...args) => fetch(...args),
} = {}) {
  const body = { code, device_name: device };
  if (onlyForUserId != null) body.only_for_user_id = onlyForUserId;
  let response;
  try {
    response = await fetchImpl(`${baseUrl}/auth/signin-code`, {
      method: 'POST', cache: 'no-store', credentials: 'omit',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError('network', { message: String(error?.message ?? error) });
  }
  let reply = null;
  if ((response.headers.get('Content-Type') ?? '').includes('json')) {
    try {
      reply = await response.json();
    } catch {
      // Not ours (a captive portal): judged below by the missing fields.
    }
  }
  if (response.ok) {
    if (typeof reply?.token !== 'string' || !reply.user) throw new ApiError('bad_reply', { status: response.status });
    return reply;
  }
  const error = reply?.error;
  const kind = response.status >= 500 ? 'server' : !error ? 'bad_reply' : response.status === 401 ? 'auth' : 'rejected';
  throw new ApiError(kind, { status: response.status, code: error?.code ?? null, message: error?.message ?? '' });
}

/** What went wrong, in the words the volunteer is shown. */
export function refusalOf(error) {
  if (error?.kind === 'network') return 'offline';
  if (error?.status === 409) return 'other_user';
  if (error?.status === 429) return 'throttled';
  if (error?.status === 401 || error?.status === 400) return 'invalid';
  return 'failed';
}

/** The responses of a person that are on this phone only: unsent and not exported to a file
 *  (the same rule as logging out). */
export async function unsentOf(store, userId) {
  const unsynced = await store.responsesInStates(UNSYNCED);
  const exported = new Set((await store.getMeta('last_export'))?.uuids ?? []);
  return unsynced.filter((record) => record.user_id === userId && !exported.has(record.uuid)).length;
}

/** Signs the session in with the code: {outcome: 'signed_in', user} or
 *  {outcome: 'invalid'|'other_user'|'offline'|'throttled'|'failed', current, waiting}. */
export async function signInWithCode(code, { session, store, device = '', redeem = redeemSigninCode }) {
  const current = session.user ?? null;
  if (!code) return { outcome: 'invalid', current, waiting: 0 };
  const waiting = current ? await unsentOf(store, current.id) : 0;
  let body;
  try {
    body = await redeem(code, { deviceName: device, onlyForUserId: waiting ? current.id : null });
  } catch (error) {
    return { outcome: refusalOf(error), current, waiting };
  }
  await session.adoptLogin(body);
  return { outcome: 'signed_in', user: body.user };
}

function showRefusal(message) {
  const dialog = h('dialog', { class: 'dialog', id: 'signin-card-refused', 'aria-labelledby': 'signin-card-title' },
    h('h2', { id: 'signin-card-title', text: t('signin_card_refused') }),
    h('p', { text: message }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button primary', onclick: () => dialog.close() }, t('signin_card_ok'))));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

/** At start, with a code from the address: sign in and land on the home screen, or say why
 *  not over the screen the app would show anyway (the login screen, or the current home). */
export async function openSigninCard(code, ctx, { container, store, device }) {
  container.replaceChildren(h('div', { class: 'screen narrow' }, h('h1', { class: 'loading' }, t('signin_card_working'))));
  const result = await signInWithCode(code, { session: ctx.session, store, device });
  if (result.outcome === 'signed_in') {
    toast(t('signin_card_done', { name: result.user.display_name || result.user.username }));
    ctx.onLoggedIn();
    return;
  }
  await ctx.rerender();
  const name = result.current?.display_name || result.current?.username || '';
  showRefusal(t(`signin_card_${result.outcome}`, { name, n: result.waiting }));
}
