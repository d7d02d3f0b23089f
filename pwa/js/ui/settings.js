// Settings: language, filling, storage safety, logging out.
import { h, mount, toast, confirmDialog } from './dom.js';
import { t, formatBytes } from '../i18n.js';
import { languageSwitch } from './language-switch.js';
import { exportControls, exportOutbox } from './transfer.js';
import { LogoutRefused } from '../session.js';
import { getMeta, setMeta } from '../storage.js';

export async function storageReport() {
  const storage = globalThis.navigator?.storage;
  const persisted = storage?.persisted ? await storage.persisted() : null;
  const estimate = storage?.estimate ? await storage.estimate() : null;
  return { persisted, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

/** Asks the browser not to evict our data; Chrome decides from engagement/installation. */
export async function requestPersistence() {
  const storage = globalThis.navigator?.storage;
  if (!storage?.persist) return null;
  const granted = (await storage.persisted()) || (await storage.persist());
  await setMeta('persisted', granted);
  return granted;
}

/** Auto-advance after a Likert answer on a one-question screen: on unless turned off. */
async function fillingCard() {
  const box = h('input', { type: 'checkbox', id: 'auto-advance', checked: (await getMeta('auto_advance')) !== false });
  box.addEventListener('change', () => setMeta('auto_advance', box.checked));
  return h('section', { class: 'card', 'aria-labelledby': 'filling-title' },
    h('h2', { id: 'filling-title' }, t('filling_title')),
    h('label', { class: 'choice', for: 'auto-advance' }, box, h('span', {}, t('auto_advance'))));
}

export async function renderSettings(container, ctx) {
  const report = await storageReport();
  const filling = await fillingCard();
  const persistText = report.persisted === null ? t('persist_unknown') : report.persisted ? t('persist_yes') : t('persist_no');
  const persistButton = report.persisted === false ? h('button', {
    type: 'button', class: 'button secondary',
    onclick: async () => {
      const granted = await requestPersistence();
      toast(granted ? t('persist_yes') : t('persist_no'));
      ctx.rerender();
    },
  }, t('persist_ask')) : null;

  const logout = h('button', { type: 'button', class: 'button danger block' }, t('logout'));
  logout.addEventListener('click', async () => {
    try {
      await ctx.session.logout();
      ctx.navigate('#/login', { replace: true });
    } catch (error) {
      if (!(error instanceof LogoutRefused)) throw error;
      const exportFirst = await confirmDialog({
        title: t('logout_refused_title'),
        message: t('logout_refused_text', { n: error.count }),
        confirmLabel: t('export'), cancelLabel: t('cancel'),
      });
      if (exportFirst) await exportOutbox(ctx);
    }
  });

  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('settings_title')),
      h('section', { class: 'card', 'aria-labelledby': 'lang-title' },
        h('h2', { id: 'lang-title' }, t('language')), languageSwitch(ctx)),
      filling,
      h('section', { class: 'card', 'aria-labelledby': 'storage-title' },
        h('h2', { id: 'storage-title' }, t('storage_title')),
        h('p', { id: 'persist-status', class: report.persisted === false ? 'notice warn' : null }, persistText),
        report.usage !== null ? h('p', { id: 'storage-usage' }, t('storage_used', { used: formatBytes(report.usage), quota: formatBytes(report.quota) })) : null,
        persistButton),
      exportControls(ctx),
      h('section', { class: 'card', 'aria-labelledby': 'account-title' },
        h('h2', { id: 'account-title' }, t('account_title')),
        h('p', {}, t('logged_in_as', { name: ctx.session.user?.display_name ?? '', username: ctx.session.user?.username ?? '' })),
        logout),
      h('p', { class: 'meta center' }, t('app_version', { version: ctx.appVersion() }))));
}
