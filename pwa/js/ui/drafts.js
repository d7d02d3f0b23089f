// Unfinished responses: resume or discard (with a confirmation).
import { h, mount, toast, confirmDialog } from './dom.js';
import { t, formatDateTime } from '../i18n.js';
import * as storage from '../storage.js';
import { unitName } from './home.js';

export async function renderDrafts(container, ctx) {
  const drafts = (await storage.draftResponses())
    .filter((r) => r.user_id == null || r.user_id === ctx.session.user?.id)
    .sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('drafts_title')),
      drafts.length ? h('ul', { class: 'records' }, drafts.map((draft) => h('li', { class: 'record', dataset: { uuid: draft.uuid } },
        h('p', { class: 'record-title' }, unitName(ctx.session.unit(draft.round_id, draft.unit_id)) || t('unknown_unit')),
        h('p', { class: 'meta' }, t('draft_meta', { time: formatDateTime(draft.updated_at), n: Object.keys(draft.answers ?? {}).length })),
        h('div', { class: 'actions' },
          h('a', { class: 'button primary', href: `#/form/${draft.uuid}` }, t('resume')),
          h('button', {
            type: 'button', class: 'button danger',
            onclick: async () => {
              const ok = await confirmDialog({
                title: t('discard_draft_title'), message: t('discard_confirm_text'),
                confirmLabel: t('discard'), cancelLabel: t('cancel'), danger: true,
              });
              if (!ok) return;
              await storage.deleteResponse(draft.uuid);
              toast(t('discarded'));
              ctx.rerender();
            },
          }, t('discard')))))) : h('p', { class: 'lead' }, t('no_drafts'))));
}
