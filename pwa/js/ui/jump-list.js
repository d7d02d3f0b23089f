// Every question that will be asked, by screen (as ODK's hierarchy): answered, not yet,
// required; a tap goes to the question.
import { h } from './dom.js';
import { t, pick } from '../i18n.js';
import { questionsOf } from '../pages.js';

const MARKS = { answered: '✓', required: '!', unanswered: '○' };

export function openJumpList({ pages, visible, answers, current, onPick }) {
  const rows = [];
  pages.forEach((page, index) => {
    const questions = questionsOf(page.items).filter((q) => visible.has(q.name));
    const title = [...page.groups, ...page.items.filter((q) => q.type === 'group')].map((g) => pick(g.label)).join(' › ');
    if (questions.length && title) rows.push(h('li', { class: 'jump-group' }, title));
    for (const question of questions) {
      const state = answers[question.name] !== undefined ? 'answered' : question.required ? 'required' : 'unanswered';
      rows.push(h('li', {}, h('button', {
        type: 'button', class: `jump-item ${state}`, dataset: { name: question.name },
        'aria-current': index === current ? 'step' : null,
        onclick: () => { dialog.close(); onPick(question.name); },
      }, h('span', { class: 'jump-mark', 'aria-hidden': 'true' }, MARKS[state]),
      h('span', { class: 'jump-label' }, pick(question.label)),
      h('span', { class: 'visually-hidden' }, ` (${t(`jump_${state}`)})`))));
    }
  });
  const dialog = h('dialog', { class: 'dialog jump-list', 'aria-labelledby': 'jump-title' },
    h('div', { class: 'jump-head' }, h('h2', { id: 'jump-title' }, t('jump_title')),
      h('button', { type: 'button', class: 'button secondary small', onclick: () => dialog.close() }, t('jump_close'))),
    h('ul', { class: 'jump-items' }, rows));
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('[aria-current]')?.focus();
}
