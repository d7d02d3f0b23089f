// Unfinished responses, each labelled by when, where and its first answers (so the
// volunteer knows which doorstep it was): resume or discard (with a confirmation).
import { h, mount, toast, confirmDialog } from './dom.js';
import { t, formatDateTime } from '../i18n.js';
import * as storage from '../storage.js';
import { firstAnswers } from './inputs.js';
import { unitName } from './home.js';

export async function renderDrafts(container, ctx) {
  const drafts = (await storage.draftResponses())
    .filter((r) => r.user_id == null || r.user_id === ctx.session.user?.id)
    .sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)));
  const definitions = new Map();
  for (const draft of drafts) {
    if (!definitions.has(draft.form_version_id)) definitions.set(draft.form_version_id, await ctx.session.definition(draft.form_version_id).catch(() => null));
  }
  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('drafts_title')),
      drafts.length ? h('ul', { class: 'records' }, drafts.map((draft) => h('li', { class: 'record', dataset: { uuid: draft.uuid } },
        h('p', { class: 'record-title' }, unitName(ctx.session.unit(draft.round_id, draft.unit_id)) || t('unknown_unit')),
        h('p', { class: 'draft-answers' }, firstAnswers(definitions.get(draft.form_version_id), draft.answers) || t('draft_no_answers')),
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
