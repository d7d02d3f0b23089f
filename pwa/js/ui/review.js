// Review before finishing: every shown answer, a way back to each question, then
// "Hoàn thành" moves the response to the outbox.
import { h, mount, toast } from './dom.js';
import { t, pick } from '../i18n.js';
import * as storage from '../storage.js';
import { applyLogic, validateAnswers } from '../form-logic.js';
import { transition, DRAFT } from '../outbox.js';
import { isShown } from '../pages.js';
import { describeAnswer } from './inputs.js';
import { unitName } from './home.js';

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
  const logic = applyLogic(definition, record.answers ?? {});
  // Validate what was typed (a wrong-type value is dropped by the engine, not reported).
  const errors = validateAnswers(definition, record.answers ?? {});
  const errorsByQuestion = new Map(errors.map((e) => [e.question, e]));

  const rows = [];
  const walk = (questions, depth) => {
    for (const question of questions ?? []) {
      if (question.type === 'calculate' || question.type === 'note') continue;
      if (!isShown(question, logic.visible)) continue;
      if (question.type === 'group') {
        rows.push(h('li', { class: `review-group depth-${Math.min(depth, 2)}` }, pick(question.label)));
        walk(question.questions, depth + 1);
        continue;
      }
      const answer = describeAnswer(question, definition, logic.answers[question.name]);
      const error = errorsByQuestion.get(question.name);
      rows.push(h('li', { class: `review-item${error ? ' invalid' : ''}` },
        h('p', { class: 'review-q' }, pick(question.label)),
        h('p', { class: answer ? 'review-a' : 'review-a empty' }, answer ?? t('no_answer')),
        error ? h('p', { class: 'q-error' }, pick(error.message)) : null,
        h('a', {
          class: 'button link', href: `#/form/${uuid}?q=${encodeURIComponent(question.name)}`,
          'aria-label': `${t('edit')}: ${pick(question.label)}`,
        }, t('edit'))));
    }
  };
  walk(definition.questions, 0);

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
      h('ol', { class: 'review-list' }, rows),
      h('div', { class: 'form-nav' },
        h('a', { class: 'button secondary', href: `#/form/${uuid}` }, t('back')),
        finish)));
}
