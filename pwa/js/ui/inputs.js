// One question as DOM: label, hint, the widget, a place for its error message.
// Calls `onAnswer(name, value, {typing})` with the answer in the contract's encoding
// (undefined = no answer).
import { h } from './dom.js';
import { t, pick } from '../i18n.js';
import { evaluate, walkQuestions } from '../form-logic.js';

export function choicesOf(question, definition) {
  const list = definition.choice_lists?.[question.choices] ?? [];
  if (question.type === 'likert' && question.allow_na && !list.some((choice) => choice.value === 'na')) {
    return [...list, { value: 'na', label: { vi: 'Không áp dụng', en: 'Not applicable' } }];
  }
  return list;
}

function header(question, forId) {
  const label = pick(question.label);
  const required = question.required ? h('span', { class: 'required', 'aria-hidden': 'true' }, ' *') : null;
  return forId ? h('label', { class: 'q-label', for: forId }, label, required)
    : h('p', { class: 'q-label', id: `label-${question.name}` }, label, required);
}

function hint(question) {
  const text = pick(question.hint);
  return text ? h('p', { class: 'hint', id: `hint-${question.name}` }, text) : null;
}

function describedBy(question) {
  return [pick(question.hint) ? `hint-${question.name}` : null, `err-${question.name}`].filter(Boolean).join(' ');
}

function errorSlot(question) {
  return h('p', { class: 'q-error', id: `err-${question.name}`, hidden: true });
}

export function renderQuestion(question, definition, answers, onAnswer, depth = 0) {
  const wrap = (body) => h('div', { class: `q q-${question.type}`, dataset: { name: question.name } }, body);
  switch (question.type) {
    case 'group':
      return wrap(h('fieldset', { class: 'group' },
        h('legend', { class: depth ? 'group-title small' : 'group-title' }, pick(question.label)),
        hint(question),
        likertBlocks((question.questions ?? []).filter((child) => child.type !== 'calculate'))
          .map((run) => (Array.isArray(run)
            ? h('div', { class: 'likert-block' }, scaleHeader(run[0], definition),
              run.map((child) => renderQuestion(child, definition, answers, onAnswer, depth + 1)))
            : renderQuestion(run, definition, answers, onAnswer, depth + 1)))));
    case 'note':
      return wrap(h('div', { class: 'note' }, h('p', { class: 'note-text' }, pick(question.label)), hint(question)));
    case 'select_one':
    case 'likert':
    case 'select_multiple':
      return wrap(choiceWidget(question, definition, answers[question.name], onAnswer));
    default:
      return wrap(fieldWidget(question, answers, onAnswer));
  }
}

/** Runs of two or more Likert questions on one scale become arrays (a grid on a tablet). */
export function likertBlocks(questions) {
  const scale = (q) => (q.type === 'likert' ? `${q.choices}|${Boolean(q.allow_na)}` : null);
  const out = [];
  for (const question of questions) {
    const last = out[out.length - 1];
    const lastScale = scale(Array.isArray(last) ? last[0] : last ?? {});
    if (lastScale && lastScale === scale(question)) out[out.length - 1] = [...(Array.isArray(last) ? last : [last]), question];
    else out.push(question);
  }
  return out;
}

function scaleHeader(question, definition) {
  return h('div', { class: 'likert-scale', 'aria-hidden': 'true' }, h('span'),
    h('span', { class: 'options' }, choicesOf(question, definition).map((c) => h('span', {}, pick(c.label)))));
}

function choiceWidget(question, definition, value, onAnswer) {
  const multiple = question.type === 'select_multiple';
  const selected = new Set(multiple ? (Array.isArray(value) ? value : []) : value != null ? [value] : []);
  const choices = choicesOf(question, definition);
  const inputs = [];
  const options = choices.map((choice, index) => {
    const id = `${question.name}-${index}`;
    const input = h('input', {
      id, type: multiple ? 'checkbox' : 'radio', name: question.name, value: choice.value,
      checked: selected.has(choice.value),
    });
    inputs.push(input);
    input.addEventListener('change', () => {
      if (multiple) {
        const chosen = choices.filter((_, i) => inputs[i].checked).map((c) => c.value);
        onAnswer(question.name, chosen.length ? chosen : undefined);
      } else {
        onAnswer(question.name, input.value, { picked: true });
      }
      if (clearButton) clearButton.hidden = !inputs.some((i) => i.checked);
    });
    return h('label', { class: `choice${choice.value === 'na' ? ' choice-na' : ''}`, for: id }, input, h('span', {}, pick(choice.label)));
  });
  // An optional single choice can be taken back; radios alone cannot be unticked.
  // A required one cannot: an empty answer there only leads to an error.
  const clearButton = question.required || multiple ? null : h('button', {
    type: 'button', class: 'button link clear-answer', hidden: !selected.size,
    onclick: () => {
      for (const input of inputs) input.checked = false;
      clearButton.hidden = true;
      onAnswer(question.name, undefined);
    },
  }, t('clear_answer'));
  // role=radiogroup carries the required state (a fieldset's group role may not).
  return h('div', { class: `choices${question.type === 'likert' ? ' likert' : ''}` },
    header(question), hint(question), errorSlot(question),
    h('div', {
      class: 'options', role: multiple ? 'group' : 'radiogroup', 'aria-labelledby': `label-${question.name}`,
      'aria-describedby': describedBy(question), 'aria-required': question.required && !multiple ? 'true' : null,
    }, options),
    clearButton);
}

function fieldWidget(question, answers, onAnswer) {
  const value = answers[question.name];
  const id = `field-${question.name}`;
  const common = { id, name: question.name, 'aria-describedby': describedBy(question), 'aria-required': question.required ? 'true' : null };
  let input;
  if (question.type === 'text' && question.multiline) {
    input = h('textarea', { ...common, rows: 4 });
    input.value = value ?? '';
  } else if (question.type === 'date') {
    input = h('input', { ...common, type: 'date', value: value ?? '', max: latestDate(question, answers) });
  } else if (question.type === 'integer' || question.type === 'decimal') {
    input = h('input', {
      ...common, type: 'text', inputmode: question.type === 'integer' ? 'numeric' : 'decimal',
      autocomplete: 'off', value: value ?? '',
    });
  } else {
    input = h('input', { ...common, type: 'text', autocomplete: 'off', value: value ?? '' });
  }
  const read = () => encodeField(question, input.value);
  input.addEventListener('input', () => onAnswer(question.name, read(), { typing: true }));
  input.addEventListener('change', () => onAnswer(question.name, read()));
  return h('div', { class: 'field' }, header(question, id), hint(question), input, errorSlot(question));
}

const isoDay = (date) => [date.getFullYear(), date.getMonth() + 1, date.getDate()].map((n) => String(n).padStart(2, '0')).join('-');

/** The last day a date question's constraint allows when it forbids the future (as
 * `. <= today()` does), found by trying days around today; null when there is no such bound. */
export function latestDate(question, answers, today = isoDay(new Date())) {
  if (!question.constraint) return null;
  const day = (offset) => {
    const date = new Date(`${today}T12:00:00`);
    date.setDate(date.getDate() + offset);
    return isoDay(date);
  };
  const allows = (offset) => {
    try {
      return evaluate(question.constraint, answers, { today, current: day(offset) }) === true;
    } catch {
      return false;
    }
  };
  if (allows(400)) return null;
  const offset = [0, -1].find((o) => allows(o) && !allows(o + 1));
  return offset === undefined ? null : day(offset);
}

/** Field text to the contract's encoding; unparseable numbers stay text for the validator. */
export function encodeField(question, raw) {
  const text = raw.normalize('NFC').trim();
  if (!text) return undefined;
  if (question.type === 'integer' && /^-?\d+$/.test(text)) return Number(text);
  if (question.type === 'decimal') {
    const normal = text.replace(',', '.');
    if (/^-?(\d+\.?\d*|\.\d+)$/.test(normal)) return Number(normal);
  }
  return text;
}

/** An answer as words, for the review screen. */
export function describeAnswer(question, definition, value) {
  if (value === undefined || value === null || value === '') return null;
  if (['select_one', 'likert', 'select_multiple'].includes(question.type)) {
    const choices = choicesOf(question, definition);
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => pick(choices.find((c) => c.value === String(v))?.label) || String(v)).join(', ');
  }
  return String(value);
}

/** The first few answers in words, in the form's order ("Từ 30 đến 44 tuổi · Nữ · Có"): a draft's label. */
export function firstAnswers(definition, answers = {}, count = 3) {
  if (!definition) return '';
  return walkQuestions(definition).filter(({ type }) => type !== 'calculate')
    .map(({ question }) => describeAnswer(question, definition, answers[question.name]))
    .filter(Boolean).slice(0, count).join(' · ');
}
