// Review before finishing: one line per answer, by group (folded unless something is
// wrong there), each line a way back to its question; "Hoàn thành" stays in reach and
// moves the response to the outbox.
import { h, mount, toast } from './dom.js';
import { t, pick } from '../i18n.js';
import * as storage from '../storage.js';
import { applyLogic, validateAnswers } from '../form-logic.js';
import { transition, DRAFT } from '../outbox.js';
import { isShown } from '../pages.js';
import { describeAnswer } from './inputs.js';
import { unitName } from './home.js';
import { formLanguage, inFormLanguage } from './language-switch.js';

export async function renderReview(container, ctx, { uuid }) {
  const record = await storage.getResponse(uuid);
  if (!record || record.state !== DRAFT) {
    ctx.navigate('#/home', { replace: true });
    return;
  }
  const definition = await ctx.session.definition(record.form_version_id);
  if (!definition) {
    ctx.navigate('#/home', { replace: true });
    return;
  }
  const lang = formLanguage(definition, record.form_language);
  const shown = inFormLanguage(definition, lang);
  const logic = applyLogic(definition, record.answers ?? {});
  // Validate what was typed (a wrong-type value is dropped by the engine, not reported).
  const errors = validateAnswers(definition, record.answers ?? {});
  const errorsByQuestion = new Map(errors.map((e) => [e.question, e]));

  const line = (question) => {
    const answer = describeAnswer(question, shown, logic.answers[question.name]);
    const error = errorsByQuestion.get(question.name);
    if (!answer && !error) return null;
    return h('li', { class: `review-item${error ? ' invalid' : ''}`, dataset: { name: question.name } },
      h('a', { class: 'review-line', href: `#/form/${uuid}?q=${encodeURIComponent(question.name)}` },
        h('span', { class: 'review-q' }, pick(question.label)),
        h('span', { class: 'review-a' }, answer ?? pick(error.message))));
  };
  const lines = (questions) => (questions ?? []).flatMap((question) => {
    if (question.type === 'calculate' || question.type === 'note' || !isShown(question, logic.visible)) return [];
    if (question.type !== 'group') return [line(question)].filter(Boolean);
    const inner = lines(question.questions);
    return inner.length ? [h('li', { class: 'review-subgroup' }, pick(question.label)), ...inner] : [];
  });
  const sections = shown.questions.map((question) => {
    if (question.type !== 'group') return lines([question]).map((item) => h('ol', { class: 'review-list' }, item));
    const items = lines(question.questions);
    if (!items.length) return null;
    const bad = items.filter((item) => item.classList.contains('invalid')).length;
    const answered = items.filter((item) => item.classList.contains('review-item')).length - bad;
    return h('details', { class: 'review-section', open: bad > 0 },
      h('summary', {}, h('span', { class: 'review-title' }, pick(question.label)), h('span', { class: bad ? 'review-count bad' : 'review-count' }, bad ? t('review_section_errors', { n: bad }) : t('review_section_count', { n: answered }))),
      h('ol', { class: 'review-list' }, items));
  });

  const finish = h('button', { type: 'button', id: 'finish', class: 'button primary huge', disabled: errors.length > 0 }, t('finish'));
  finish.addEventListener('click', async () => {
    finish.disabled = true;
    const done = transition(record, 'complete', { answers: logic.answers, now: new Date().toISOString() });
    await storage.putResponse(done);
    toast(t('finished_toast'));
    ctx.onCompleted();
    ctx.navigate('#/home', { replace: true });
  });

  mount(container,
    h('div', { class: 'screen' },
      h('h1', {}, t('review_title')),
      h('p', { class: 'meta' }, unitName(ctx.session.unit(record.round_id, record.unit_id))),
      errors.length ? h('p', { class: 'notice warn', role: 'alert' }, t('review_has_errors', { n: errors.length })) : h('p', { class: 'lead' }, t('review_intro')),
      h('div', { class: 'review-sections', lang }, sections),
      h('div', { class: 'form-nav review-nav' },
        h('a', { class: 'button secondary', href: `#/form/${uuid}` }, t('back')),
        finish)));
}
