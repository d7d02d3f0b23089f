import { h, mount, toast } from './dom.js';
import { t, pick, formatDate } from '../i18n.js';
import * as storage from '../storage.js';
import { newDraft, progressCounts, DRAFT } from '../outbox.js';
import { roundPhase } from '../session.js';

export async function renderHome(container, ctx) {
  const { session } = ctx;
  const [records, lastUnits, persisted] = await Promise.all([
    storage.allResponses(), storage.getMeta('last_unit'), storage.getMeta('persisted'),
  ]);
  const mine = records.filter((r) => r.user_id == null || r.user_id === session.user?.id);
  const counts = progressCounts(mine);
  const drafts = mine.filter((r) => r.state === DRAFT).length;
  const now = new Date();
  const open = session.rounds.filter((round) => roundPhase(round, now) === 'open');
  const upcoming = session.rounds.filter((round) => roundPhase(round, now) === 'upcoming');

  mount(container,
    h('div', { class: 'screen' },
      h('h1', { class: 'greeting' }, t('hello', { name: session.user?.display_name || session.user?.username || '' })),
      drafts ? h('a', { class: 'banner-link', href: '#/drafts' }, t('drafts_waiting', { n: drafts })) : null,
      persisted === false ? h('a', { class: 'storage-warning', href: '#/settings', id: 'storage-warning' }, t('storage_unprotected')) : null,
      open.length ? open.map((round) => roundCard(round, ctx, counts, lastUnits?.[round.id])) : emptyState(ctx),
      upcoming.length ? h('section', { class: 'card muted', 'aria-labelledby': 'upcoming-title' },
        h('h2', { id: 'upcoming-title' }, t('upcoming_rounds')),
        h('ul', { class: 'plain' }, upcoming.map((round) => h('li', {},
          `${pick(round.title)} — ${t('opens_on', { date: formatDate(round.opens_at) })}`)))) : null));
}

function emptyState(ctx) {
  return h('section', { class: 'card' },
    h('h2', {}, t('no_rounds_title')),
    h('p', {}, t('no_rounds_text')),
    h('button', {
      type: 'button', class: 'button secondary',
      onclick: async () => {
        try {
          await ctx.session.refresh();
          ctx.rerender();
        } catch {
          toast(t('refresh_failed'));
        }
      },
    }, t('refresh')));
}

function roundCard(round, ctx, counts, lastUnitId) {
  const units = round.units ?? [];
  const titleId = `round-${round.id}`;
  const selectId = `unit-${round.id}`;
  const defaultUnit = units.find((unit) => unit.id === lastUnitId) ?? units[0];
  // The commune's name only helps when the units are in different communes.
  const oneParent = new Set(units.map((unit) => pick(unit.parent_name))).size <= 1;
  const label = (unit) => (oneParent ? pick(unit.name) : unitName(unit));
  const select = h('select', { id: selectId, class: 'select' },
    units.map((unit) => h('option', { value: unit.id, selected: unit === defaultUnit }, label(unit))));

  return h('section', { class: 'card round', 'aria-labelledby': titleId },
    h('h2', { id: titleId }, pick(round.title)),
    round.closes_at ? h('p', { class: 'meta' }, t('closes_on', { date: formatDate(round.closes_at) })) : null,
    h('div', { class: 'field' }, h('label', { for: selectId }, t('choose_unit')), select),
    h('button', {
      type: 'button', class: 'button primary huge new-response',
      onclick: () => startResponse(ctx, round, Number(select.value)),
    }, t('new_response')),
    h('h3', { class: 'progress-title' }, t('progress_title')),
    h('ul', { class: 'progress-list' }, units.map((unit) => {
      const count = counts.get(`${round.id}:${unit.id}`) ?? { collected: 0, synced: 0 };
      const target = unit.target ?? round.target_per_unit ?? 0;
      return h('li', {},
        h('span', { class: 'unit-name' }, label(unit)),
        h('span', { class: 'unit-count' }, t('progress_line', { collected: count.collected, synced: count.synced, target })),
        h('progress', { max: Math.max(target, 1), value: Math.min(count.collected, Math.max(target, 1)), 'aria-label': label(unit) }));
    })));
}

export function unitName(unit) {
  if (!unit) return '';
  return unit.parent_name ? `${pick(unit.name)} · ${pick(unit.parent_name)}` : pick(unit.name);
}

async function startResponse(ctx, round, unitId) {
  const definition = await ctx.session.definition(round.form_version_id);
  if (!definition) {
    toast(t('form_missing'));
    return;
  }
  const draft = newDraft({
    uuid: crypto.randomUUID(),
    roundId: round.id,
    formVersionId: round.form_version_id,
    unitId,
    userId: ctx.session.user?.id ?? null,
    now: new Date().toISOString(),
  });
  await storage.putResponse(draft);
  const lastUnits = (await storage.getMeta('last_unit')) ?? {};
  await storage.setMeta('last_unit', { ...lastUnits, [round.id]: unitId });
  ctx.navigate(`#/form/${draft.uuid}`);
}
