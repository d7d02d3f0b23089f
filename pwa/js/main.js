// Wiring: storage, session, sync engine, service worker, router, screens.
import { initLanguage, i18nEvents, t } from './i18n.js';
import * as storage from './storage.js';
import { createApi } from './api.js';
import { Session, deviceName } from './session.js';
import { SyncEngine } from './sync.js';
import { connection, isOnline } from './connection.js';
import { ACKNOWLEDGED, QUEUED, REJECTED } from './outbox.js';
import { PhoneState } from './phone-state.js';
import {
  registerServiceWorker, swEvents, applyUpdate, updateWaiting, appVersion, requestBackgroundSync, checkForUpdate,
} from './sw-client.js';
import { h, toast } from './ui/dom.js';
import { renderStatusBar } from './ui/status-bar.js';
import { renderLogin } from './ui/login.js';
import { renderHome } from './ui/home.js';
import { renderForm } from './ui/form.js';
import { renderReview } from './ui/review.js';
import { renderOutbox } from './ui/outbox.js';
import { renderSent } from './ui/sent.js';
import { renderDrafts } from './ui/drafts.js';
import { renderSettings, requestPersistence } from './ui/settings.js';
import { takeSigninCode, openSigninCard } from './signin-link.js';

// First of all: a sign-in card's code leaves the address (and so the history) at once.
const signinCode = takeSigninCode();
initLanguage();

const api = createApi({ getToken: () => storage.getMeta('token') });
const session = new Session(api);
const engine = new SyncEngine({
  store: storage.syncStore,
  api,
  client: { get app_version() { return appVersion() ?? 'pwa'; }, device: navigator.userAgent.slice(0, 200) },
  getUserId: async () => session.user?.id ?? null,
  isOnline,
});

// The one store every screen reads its counts and states from.
const phoneState = new PhoneState({
  store: storage, events: storage.storageEvents, getUserId: () => session.user?.id ?? null,
});
const ASSIGNMENTS_FRESH_MS = 30_000;
let assignmentsAskedAt = 0;

const main = document.getElementById('main');
const statusBar = document.getElementById('status-bar');
const nav = document.getElementById('nav');
const updateBanner = document.getElementById('update-banner');
let cleanup = null;
let currentRoute = null;

const ctx = {
  session,
  phoneState,
  navigate(hash, { replace = false } = {}) {
    if (replace) history.replaceState(null, '', hash);
    else history.pushState(null, '', hash);
    return route();
  },
  rerender: () => route(),
  syncNow: () => engine.syncNow('manual'),
  onLoggedIn() {
    // The login has just fetched the rounds: the home screen need not ask again.
    assignmentsAskedAt = Date.now();
    // The home screen first; then, once it is painted, what can wait for it: a sync pass,
    // the storage request, and the worker's install (its script and the shell).
    ctx.navigate('#/home', { replace: true }).finally(() => afterNextPaint().then(() => {
      engine.resume();
      requestPersistence().catch(() => {});
      registerWorkerOnce();
    }));
  },
  /** After "Finish": say what really happened to the response, not what we hope. */
  async onCompleted() {
    const uuid = parseHash().name === 'review' ? parseHash().id : null;
    requestBackgroundSync();
    if (!isOnline()) {
      toast(t('save_offline'));
      engine.syncNow('completed');
      return;
    }
    toast(t('save_sending'));
    let record = null;
    // A pass already under way may have picked its batch before this response was queued.
    for (let pass = 0; pass < 2; pass += 1) {
      await engine.syncNow('completed');
      record = uuid ? await storage.getResponse(uuid) : null;
      if (record?.state !== QUEUED || engine.status.error) break;
    }
    if (record?.state === ACKNOWLEDGED) toast(t('save_sent'));
    else if (record?.state === REJECTED) toast(t('save_refused'));
    else toast(t('save_not_sent'));
  },
  appVersion: () => appVersion() ?? '—',
};

function parseHash() {
  const [path, query = ''] = (location.hash || '#/home').slice(1).split('?');
  const parts = path.split('/').filter(Boolean);
  return { name: parts[0] ?? 'home', id: parts[1] ?? null, params: new URLSearchParams(query) };
}

async function route() {
  const previous = cleanup;
  cleanup = null;
  if (previous) await previous();
  const { name, id, params } = parseHash();
  let target = name;
  if (!session.loggedIn && target !== 'login') target = 'login';
  if (session.loggedIn && target === 'login' && !session.needsLogin) target = 'home';
  currentRoute = target;
  document.body.dataset.route = target;
  renderNav();
  renderUpdateBanner();
  try {
    switch (target) {
      case 'login': renderLogin(main, ctx); break;
      case 'form': cleanup = await renderForm(main, ctx, { uuid: id, question: params.get('q') }); break;
      case 'review': await renderReview(main, ctx, { uuid: id }); break;
      case 'outbox': cleanup = await renderOutbox(main, ctx); break;
      case 'sent': cleanup = await renderSent(main, ctx); break;
      case 'drafts': await renderDrafts(main, ctx); break;
      case 'settings': await renderSettings(main, ctx); break;
      default:
        refreshAssignmentsSoon();
        cleanup = await renderHome(main, ctx);
    }
  } catch (error) {
    main.replaceChildren(h('div', { class: 'screen' }, h('h1', {}, t('screen_failed')), h('p', {}, String(error?.message ?? error))));
  }
}

/** The home screen shows the server's counts: ask for them again (ETag: usually a 304) when
 *  it opens or something was sent, at most every half minute. */
function refreshAssignmentsSoon({ force = false } = {}) {
  if (!session.loggedIn || !isOnline()) return;
  if (!force && Date.now() - assignmentsAskedAt < ASSIGNMENTS_FRESH_MS) return;
  assignmentsAskedAt = Date.now();
  session.refresh().catch(() => {});
}

function renderNav() {
  nav.hidden = !session.loggedIn || currentRoute === 'form' || currentRoute === 'login';
  if (nav.hidden) return;
  const drafts = phoneState.summary.saved;
  const outbox = phoneState.summary.waiting + phoneState.summary.refused;
  const item = (route, label, count) => h('a', {
    href: `#/${route}`, class: 'nav-item', 'aria-current': currentRoute === route ? 'page' : null,
  }, label, count ? h('span', { class: 'badge' }, String(count)) : null);
  nav.replaceChildren(
    item('home', t('nav_home')), item('drafts', t('nav_drafts'), drafts),
    item('outbox', t('nav_outbox'), outbox), item('settings', t('nav_settings')));
  nav.setAttribute('aria-label', t('nav_label'));
}

function renderUpdateBanner() {
  // Never in the middle of a response: the offer waits until the form is left.
  const show = updateWaiting() && currentRoute !== 'form' && currentRoute !== 'review';
  updateBanner.hidden = !show;
  if (!show) return;
  updateBanner.replaceChildren(h('span', {}, t('update_available')),
    h('button', { type: 'button', class: 'button small', id: 'apply-update', onclick: applyUpdate }, t('update_reload')));
}

function renderStatus() {
  renderStatusBar(statusBar, {
    online: isOnline(),
    status: engine.status,
    summary: phoneState.summary,
    onSync: () => engine.syncNow('manual'),
    onLogin: () => ctx.navigate('#/login'),
  });
}

engine.addEventListener('status', (event) => {
  renderStatus();
  if (event.detail.error?.kind === 'auth' && session.loggedIn) session.markLoginNeeded();
});
connection.addEventListener('change', () => {
  renderStatus();
  if (isOnline()) {
    engine.syncNow('online');
    session.refresh().catch(() => {});
    checkForUpdate();
  }
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'visible') return;
  engine.syncNow('visible');
  if (currentRoute === 'home') refreshAssignmentsSoon();
});
storage.storageEvents.addEventListener('changed', (event) => {
  if (event.detail.store === 'responses') engine.refreshCounts();
});
let lastSentSeen; // undefined until the store was first read
phoneState.addEventListener('change', () => {
  renderStatus();
  if (currentRoute !== 'form') renderNav();
  // Something was sent (here, in another tab or by the service worker): the server's
  // counts on the home screen moved too.
  const lastSent = phoneState.summary.lastSentAt;
  if (lastSentSeen !== undefined && lastSent && lastSent !== lastSentSeen) refreshAssignmentsSoon({ force: true });
  lastSentSeen = lastSent;
});
i18nEvents.addEventListener('change', () => {
  renderStatus();
  route();
});
swEvents.addEventListener('update-available', renderUpdateBanner);
swEvents.addEventListener('background-synced', () => {
  engine.refreshCounts();
  phoneState.refresh();
});
// Another volunteer signed in on this phone: their counts, not the last one's.
let shownUser = null;
session.addEventListener('change', () => {
  if ((session.user?.id ?? null) !== shownUser) {
    shownUser = session.user?.id ?? null;
    phoneState.refresh();
  }
});
// A card's link opened where the app already runs: sign in instead of routing to it.
window.addEventListener('hashchange', (event) => {
  const code = takeSigninCode();
  if (code === null) return;
  event.stopImmediatePropagation();
  openSigninCard(code, ctx, { container: main, store: storage, device: deviceName() });
});
window.addEventListener('hashchange', route);

/** Resolves once the screen just built has been painted (a frame, then the task after it),
 *  or after a second in a hidden page, which paints no frame. */
function afterNextPaint() {
  return new Promise((resolve) => {
    setTimeout(resolve, 1000);
    requestAnimationFrame(() => setTimeout(resolve, 0));
  });
}

/** The service worker, once: on a first visit only after logging in, so that its install
 *  (the worker's scripts and the shell: requests queued on a slow line) does not delay the
 *  login screen or the login itself. Nothing works offline before a login anyway. */
let workerRegistered = false;
function registerWorkerOnce() {
  if (workerRegistered) return;
  workerRegistered = true;
  registerServiceWorker().catch(() => {});
}

async function boot() {
  renderStatus();
  // A browser that never logged in has no worker (it is registered after the first login):
  // the login screen is drawn at once, before the phone's store is opened and read.
  const early = signinCode === null && !navigator.serviceWorker?.controller && parseHash().name !== 'form';
  if (early) {
    currentRoute = 'login';
    document.body.dataset.route = 'login';
    renderLogin(main, ctx);
  }
  await session.load();
  await phoneState.refresh();
  if (signinCode !== null) await openSigninCard(signinCode, ctx, { container: main, store: storage, device: deviceName() });
  else if (!(early && !session.loggedIn)) await route();   // keep what was typed meanwhile
  await engine.refreshCounts();
  engine.start();
  refreshAssignmentsSoon();
  if (session.loggedIn) requestPersistence().catch(() => {});
  if (session.loggedIn || navigator.serviceWorker?.controller) registerWorkerOnce();
}

boot();
