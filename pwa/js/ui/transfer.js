// Saving the outbox to a file and loading one (another phone's, or our own).
import { h, toast } from './dom.js';
import { t } from '../i18n.js';
import * as storage from '../storage.js';
import { buildExport, exportFileName, parseExport } from '../export.js';
import { UNSYNCED } from '../outbox.js';
import { deviceName } from '../session.js';

export async function exportOutbox(ctx) {
  const records = await storage.responsesInStates(UNSYNCED);
  const exportedAt = new Date().toISOString();
  const data = buildExport(records, { exportedAt, device: deviceName(), username: ctx.session.user?.username ?? '' });
  const blob = new Blob([JSON.stringify(data, null, 1)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: exportFileName(exportedAt), class: 'visually-hidden' }, 'download');
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  await storage.setMeta('last_export', { at: exportedAt, uuids: data.responses.map((r) => r.uuid) });
  toast(t('exported', { n: data.responses.length }));
  return data.responses.length;
}

export async function importFile(file, ctx) {
  try {
    const records = parseExport(await file.text(), { now: new Date().toISOString() });
    const added = await storage.addMissingResponses(records.map((r) => ({ ...r, user_id: ctx.session.user?.id ?? null })));
    toast(t('imported', { n: added, skipped: records.length - added }));
    if (added) ctx.syncNow();
    ctx.rerender();
  } catch (error) {
    toast(error?.code === 'not_an_export' ? t('import_not_export') : t('import_failed'));
  }
}

export function exportControls(ctx) {
  const fileInput = h('input', { type: 'file', id: 'import-file', accept: 'application/json,.json', class: 'file-input' });
  fileInput.addEventListener('change', () => {
    if (fileInput.files?.[0]) importFile(fileInput.files[0], ctx);
  });
  return h('section', { class: 'card', 'aria-labelledby': 'transfer-title' },
    h('h2', { id: 'transfer-title' }, t('transfer_title')),
    h('p', {}, t('transfer_intro')),
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'button secondary', onclick: () => exportOutbox(ctx) }, t('export')),
      h('label', { class: 'button secondary', for: 'import-file' }, t('import')), fileInput));
}
