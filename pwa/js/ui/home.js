import { h, mount, toast } from './dom.js';
import { t, pick, formatDate } from '../i18n.js';
import * as storage from '../storage.js';
import { newDraft } from '../outbox.js';
import { roundPhase } from '../session.js';
import { unitKey } from '../phone-state.js';
import { installCard } from './install-card.js';

/** The home screen; its counts follow the phone's store and the server's list while it is
 *  shown (returns the cleanup that stops listening). */
export async function renderHome(container, ctx) {
  const { session, phoneState } = ctx;
  const [lastUnits, install] = await Promise.all([
    storage.getMeta('last_unit'), installCard(() => ctx.rerender()),
  ]);
  const now = new Date();
  const open = session.rounds.filter((round) => roundPhase(round, now) === 'open');
  const upcoming = session.rounds.filter((round) => roundPhase(round, now) === 'upcoming');
  const draftsLink = h('a', { class: 'banner-link', href: '#/drafts', id: 'drafts-link', hidden: true });

  mount(container,
    h('div', { class: 'screen' },
      h('h1', { class: 'greeting' }, t('hello', { name: session.user?.display_name || session.user?.username || '' })),
      draftsLink,
      open.length ? open.map((round) => roundCard(round, ctx, lastUnits?.[round.id])) : emptyState(ctx),
      upcoming.length ? h('section', { class: 'card muted', 'aria-labelledby': 'upcoming-title' },
        h('h2', { id: 'upcoming-title' }, t('upcoming_rounds')),
        h('ul', { class: 'plain' }, upcoming.map((round) => h('li', {},
          `${pick(round.title)} — ${t('opens_on', { date: formatDate(round.opens_at) })}`)))) : null,
      h('a', { class: 'sent-link', href: '#/sent', id: 'sent-link' }, t('sent_link')),
      install));

  const update = () => {
    const summary = phoneState.summary;
    draftsLink.hidden = !summary.saved;
    draftsLink.textContent = t('drafts_waiting', { n: summary.saved });
    for (const round of open) {
      for (const unit of round.units ?? []) updateUnitLine(container, round, unit, summary);
    }
  };
  update();
  phoneState.addEventListener('change', update);
  // A new round or unit needs the whole screen; new counts only the lines.
  const layout = layoutOf(open);
  const onSession = () => {
    const fresh = session.rounds.filter((round) => roundPhase(round, new Date()) === 'open');
    if (layoutOf(fresh) !== layout) {
      ctx.rerender();
      return;
    }
    open.splice(0, open.length, ...fresh);
    update();
  };
  session.addEventListener('change', onSession);
  return () => {
    phoneState.removeEventListener('change', update);
    session.removeEventListener('change', onSession);
  };
}

const layoutOf = (rounds) => JSON.stringify(rounds.map((round) => [round.id, (round.units ?? []).map((unit) => unit.id)]));

/** "Đã nhận 27 / 40 phiếu · máy này còn 2 phiếu chưa gửi": the server's count (from the
 *  assignments) and what this phone still holds for the unit. */
export function unitLine(unit, target, local) {
  const parts = [unit.received == null
    ? t('home_received_unknown', { target })
    : t('home_received', { received: unit.received, target })];
  // Refused ones are not sent either: counted in, and named, so the line does not read as more.
  if (local.unsent) {
    parts.push(t('home_unsent', { n: local.unsent })
      + (local.refused ? ` (${t('home_refused', { n: local.refused })})` : ''));
  }
  return parts.join(' · ');
}

function updateUnitLine(container, round, unit, summary) {
  const item = container.querySelector(`.progress-list li[data-unit="${unitKey(round.id, unit.id)}"]`);
  if (!item) return;
  const local = summary.perUnit.get(unitKey(round.id, unit.id)) ?? { unsent: 0, refused: 0 };
  const target = unit.target ?? round.target_per_unit ?? 0;
  item.dataset.received = String(unit.received ?? '');
  item.dataset.unsent = String(local.unsent);
  item.querySelector('.unit-count').textContent = unitLine(unit, target, local);
  const bar = item.querySelector('progress');
  bar.max = Math.max(target, 1);
  bar.value = Math.min(unit.received ?? 0, bar.max);
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

function roundCard(round, ctx, lastUnitId) {
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
    h('ul', { class: 'progress-list' }, units.map((unit) => h('li', { dataset: { unit: unitKey(round.id, unit.id) } },
      h('span', { class: 'unit-name' }, label(unit)),
      h('span', { class: 'unit-count' }),
      h('progress', { max: 1, value: 0, 'aria-label': label(unit) })))));
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
