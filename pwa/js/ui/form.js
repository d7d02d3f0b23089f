// The form renderer: one screen at a time, every answer saved to IndexedDB as given.
import { h, mount, toast } from './dom.js';
import { t, pick } from '../i18n.js';
import * as storage from '../storage.js';
import { applyLogic, validateAnswers } from '../form-logic.js';
import { transition, DRAFT } from '../outbox.js';
import { buildPages, isShown, nextShownPage, pageOfQuestion, pageShown, questionsOf } from '../pages.js';
import { progressCount } from '../progress-count.js';
import { lockDraft } from '../lock.js';
import { renderQuestion } from './inputs.js';
import { unitName } from './home.js';
import { openJumpList } from './jump-list.js';
import { formLanguage, formLanguageSelect, inFormLanguage } from './language-switch.js';

const TYPING_SAVE_MS = 300;
// Long enough to see the choice taken, short enough not to wait for it.
const AUTO_ADVANCE_MS = 350;

export function isWide() {
  return globalThis.matchMedia?.('(min-width: 760px)').matches ?? false;
}

/** Saves in order, one write at a time; `flush()` waits for the last one. */
function saver(initial) {
  let record = initial;
  let chain = Promise.resolve();
  let timer = null;
  const write = () => {
    const snapshot = record;
    chain = chain.then(() => storage.putResponse(snapshot)).catch(() => toast(t('save_failed')));
    return chain;
  };
  return {
    get record() { return record; },
    update(changes, { soon = false } = {}) {
      record = transition(record, 'save', { ...changes, now: new Date().toISOString() });
      if (changes.form_language) record.form_language = changes.form_language;
      clearTimeout(timer);
      if (soon) timer = setTimeout(write, TYPING_SAVE_MS);
      else write();
    },
    flush() {
      if (timer) {
        clearTimeout(timer);
        timer = null;
        write();
      }
      return chain;
    },
  };
}

export async function renderForm(container, ctx, { uuid, question: jumpTo }) {
  const record = await storage.getResponse(uuid);
  if (!record || record.state !== DRAFT) {
    ctx.navigate('#/home', { replace: true });
    return null;
  }
  const definition = await ctx.session.definition(record.form_version_id);
  if (!definition) {
    mount(container, h('div', { class: 'screen' }, h('h1', {}, t('form_missing'))));
    return null;
  }
  const lock = await lockDraft(uuid);
  if (!lock) {
    mount(container, h('div', { class: 'screen' }, h('h1', {}, t('draft_locked')),
      h('a', { class: 'button secondary', href: '#/home' }, t('back_home'))));
    return null;
  }

  const save = saver(record);
  const lang = formLanguage(definition, record.form_language);
  const autoAdvance = (await storage.getMeta('auto_advance')) !== false;
  const view = formView(inFormLanguage(definition, lang), {
    answers: record.answers ?? {},
    page: record.page ?? 0,
    jumpTo,
    wide: isWide(),
    autoAdvance,
    onChange: (answers, page, { typing = false } = {}) => save.update({ answers, page }, { soon: typing }),
    flush: () => save.flush(),
    onLeave: async (direction, answers, page) => {
      if (direction > 0) {
        save.update({ answers, page });
        await save.flush();
        ctx.navigate(`#/review/${uuid}`);
      } else {
        ctx.navigate('#/home');
      }
    },
  });
  const round = ctx.session.round(record.round_id);
  // The resident's language for this interview only: the app keeps its own.
  const languageSelect = formLanguageSelect(definition, lang, async (picked) => {
    save.update({ answers: view.answers, page: view.page, form_language: picked });
    await save.flush();
    ctx.navigate(`#/form/${uuid}`, { replace: true });
  });
  view.body.lang = lang;

  const onHide = () => { save.flush(); };
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', onHide);
  // The status bar and the header shrink while filling (styled in app.css).
  document.body.classList.add('is-filling');

  mount(container,
    h('div', { class: 'screen form-screen' },
      h('div', { class: 'form-head' },
        h('h1', { class: 'form-title', lang }, pick(view.definition.title)),
        h('p', { class: 'meta' }, [round ? pick(round.title) : null, unitName(ctx.session.unit(record.round_id, record.unit_id))].filter(Boolean).join(' · ')),
        h('div', { class: 'form-head-row' }, view.progressText, languageSelect, view.jumpButton),
        view.progress),
      view.body,
      h('div', { class: 'form-nav' }, view.backButton, view.nextButton),
      h('a', { class: 'button link save-exit', href: '#/home' }, t('save_and_exit'))));
  view.show(true);

  return async () => {
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', onHide);
    document.body.classList.remove('is-filling');
    await save.flush();
    lock.release();
  };
}

/**
 * The pages of a form and their logic: the page body, the progress and the back / next
 * buttons, kept up to date as answers are given. Knows nothing of storage: `onChange` gets
 * every change of the answers or the page, `flush` is awaited before moving, `onLeave` is
 * called when moving past the first or last page. renderForm uses it, and so does the
 * form designer's phone preview (server/static/admin/designer/preview.js).
 */
export function formView(definition, {
  answers: initial = {}, page = 0, jumpTo = null, wide = false, today = null, autoAdvance = false,
  onChange = () => {}, flush = async () => {}, onLeave = async () => {},
  scrollTop = () => window.scrollTo(0, 0),
} = {}) {
  const pages = buildPages(definition, { wide });
  let logic = applyLogic(definition, initial, { today });
  let index = Math.min(page, pages.length - 1);
  if (jumpTo && pageOfQuestion(pages, jumpTo) >= 0) index = pageOfQuestion(pages, jumpTo);
  if (!pages.length) index = 0;
  else if (!isPageShown(index)) {
    index = nextShownPage(pages, logic.visible, index, +1);
    if (index < 0) index = Math.max(0, nextShownPage(pages, logic.visible, pages.length, -1));
  }
  let answers = { ...initial };
  let pageEl = null;

  function isPageShown(i) {
    return Boolean(pages[i]) && pageShown(pages[i], logic.visible);
  }

  const progress = h('progress', { class: 'form-progress', max: 1, value: 0, 'aria-label': t('progress') });
  const progressText = h('p', { class: 'progress-text' });
  const body = h('div', { class: 'form-page' });
  const backButton = h('button', { type: 'button', id: 'form-back', class: 'button secondary', onclick: () => go(-1) }, t('back'));
  const nextButton = h('button', { type: 'button', id: 'form-next', class: 'button primary', onclick: () => go(+1) }, t('next'));
  const jumpButton = h('button', {
    type: 'button', id: 'form-jump', class: 'button secondary small',
    onclick: () => openJumpList({ pages, visible: logic.visible, answers, current: index, onPick: jump }),
  }, t('jump_open'));

  function onAnswer(name, value, { typing = false, picked = false } = {}) {
    const raw = { ...answers };
    if (value === undefined) delete raw[name];
    else raw[name] = value;
    logic = applyLogic(definition, raw, { today });
    // Keep the answer being typed even if the engine would trim it; drop hidden ones.
    answers = { ...logic.answers };
    if (value !== undefined && logic.visible.has(name)) answers[name] = value;
    onChange(answers, index, { typing });
    clearError(name);
    refreshVisibility();
    if (picked && autoAdvance) advanceSoon(name);
  }

  // One Likert question on the screen: its answer is the whole screen's work.
  function advanceSoon(name) {
    const onPage = questionsOf(pages[index].items).filter((q) => logic.visible.has(q.name));
    if (onPage.length !== 1 || onPage[0].name !== name || onPage[0].type !== 'likert') return;
    const at = index;
    setTimeout(() => {
      if (index === at && body.isConnected) go(+1);
    }, AUTO_ADVANCE_MS);
  }

  function jump(name) {
    const target = pageOfQuestion(pages, name);
    if (target < 0 || !isPageShown(target)) return;
    index = target;
    onChange(answers, index);
    showPage(false);
    focusQuestion(name);
  }

  function focusQuestion(name) {
    const label = pageEl.querySelector(`.q[data-name="${CSS.escape(name)}"] .q-label`);
    label?.setAttribute('tabindex', '-1');
    label?.focus();
  }

  function refreshVisibility() {
    if (!pageEl) return;
    for (const el of pageEl.querySelectorAll('.q[data-name]')) {
      const question = findQuestion(definition, el.dataset.name);
      el.hidden = question ? !isShown(question, logic.visible) : false;
    }
    updateProgress();
  }

  function updateProgress() {
    // An upper bound that only shrinks going forward (why: progress-count.js).
    const { first, last, total } = progressCount(definition, pages, logic.visible, index);
    progress.max = total || 1;
    progress.value = last;
    progressText.textContent = first < last ? t('questions_of', { first, last, total }) : t('page_of', { n: last, total });
  }

  function clearError(name) {
    const slot = pageEl?.querySelector(`#err-${CSS.escape(name)}`);
    if (slot) {
      slot.hidden = true;
      slot.textContent = '';
      slot.closest('.q')?.classList.remove('invalid');
    }
  }

  function showPage(focusQuestion = true) {
    if (!pages.length) return;
    const page = pages[index];
    pageEl = h('div', { class: 'page' },
      page.groups.length ? h('p', { class: 'section-title' }, page.groups.map((g) => pick(g.label)).join(' › ')) : null,
      page.items.map((q) => renderQuestion(q, definition, answers, onAnswer)));
    body.replaceChildren(pageEl);
    refreshVisibility();
    backButton.textContent = t('back');
    nextButton.textContent = nextShownPage(pages, logic.visible, index, +1) < 0 ? t('to_review') : t('next');
    if (focusQuestion) {
      // Move focus to the new question so a screen reader announces it.
      const target = pageEl.querySelector('.q:not([hidden]) legend, .q:not([hidden]) .q-label, .q:not([hidden]) .note-text');
      if (target) {
        target.setAttribute('tabindex', '-1');
        target.focus();
      }
      scrollTop();
    }
  }

  function pageErrors() {
    const names = new Set(pages[index].names);
    return validateAnswers(definition, answers, { today }).filter((error) => names.has(error.question) && logic.visible.has(error.question));
  }

  async function go(direction) {
    await flush();
    if (direction > 0 && pages.length) {
      const errors = pageErrors();
      if (errors.length) {
        for (const error of errors) {
          const slot = pageEl.querySelector(`#err-${CSS.escape(error.question)}`);
          if (!slot) continue;
          slot.textContent = pick(error.message);
          slot.hidden = false;
          slot.closest('.q')?.classList.add('invalid');
        }
        const first = pageEl.querySelector('.q.invalid input, .q.invalid textarea');
        first?.focus();
        return;
      }
    }
    const next = nextShownPage(pages, logic.visible, index, direction);
    if (next < 0) {
      await onLeave(direction, answers, index);
      return;
    }
    index = next;
    onChange(answers, index);
    showPage();
  }

  return {
    progress, progressText, body, backButton, nextButton, jumpButton, pages, definition,
    show(focus) {
      showPage(focus && !jumpTo);
      // Back from the review to one question: that question, not the top of its screen.
      if (focus && jumpTo) focusQuestion(jumpTo);
    },
    go,
    jump,
    get answers() { return answers; },
    get page() { return index; },
  };
}

export function findQuestion(definition, name) {
  const stack = [...(definition.questions ?? [])];
  while (stack.length) {
    const question = stack.shift();
    if (question.name === name) return question;
    stack.push(...(question.questions ?? []));
  }
  return null;
}
