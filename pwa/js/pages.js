// Splits a form definition into screens (the rules: docs/CONTRACTS.md, a group's
// `appearance`): a small group on one screen as ODK's field-list. Pure: no DOM.

const FIELD_LIST_MAX = 6;
const ANSWERABLE = new Set(['select_one', 'select_multiple', 'likert', 'integer', 'decimal', 'text', 'date']);

export function isAnswerable(question) {
  return ANSWERABLE.has(question.type);
}

function leafCount(question) {
  if (question.type !== 'group') return question.type === 'calculate' ? 0 : 1;
  return (question.questions ?? []).reduce((sum, child) => sum + leafCount(child), 0);
}

function appearance(question, token) {
  return String(question.appearance ?? '').split(/\s+/).includes(token);
}

function screenAtOnce(group, depth, wide) {
  if (appearance(group, 'one-per-screen')) return false;
  if (appearance(group, 'field-list') || (wide && depth === 0)) return true;
  const children = group.questions ?? [];
  return !children.some((child) => child.type === 'group')
    && children.filter(isAnswerable).length <= FIELD_LIST_MAX;
}

/** Every name inside a question (itself included), depth first. */
export function namesWithin(question) {
  const names = [question.name];
  for (const child of question.questions ?? []) names.push(...namesWithin(child));
  return names;
}

/** Pages as [{items: [question], groups: [ancestor groups], names: [..]}]. */
export function buildPages(definition, { wide = false } = {}) {
  const pages = [];
  let notes = [];
  const add = (items, groups) => {
    const all = [...notes, ...items];
    notes = [];
    pages.push({ items: all, groups, names: all.flatMap(namesWithin) });
  };
  const walk = (questions, groups) => {
    for (const question of questions ?? []) {
      if (question.type === 'calculate') continue;
      if (question.type === 'note') notes.push(question);
      else if (question.type !== 'group') add([question], groups);
      else if (!leafCount(question)) continue;
      else if (screenAtOnce(question, groups.length, wide)) add([question], groups);
      else walk(question.questions, [...groups, question]);
    }
  };
  walk(definition.questions, []);
  if (notes.length && pages.length) {
    const last = pages[pages.length - 1];
    last.items.push(...notes);
    last.names.push(...notes.flatMap(namesWithin));
  } else if (notes.length) add([], []);
  return pages;
}

/** Whether a question shows, given the engine's visible set (a group: when any child shows). */
export function isShown(question, visible) {
  if (question.type === 'group') return (question.questions ?? []).some((child) => isShown(child, visible));
  if (question.type === 'calculate') return false;
  return visible.has(question.name);
}

/** The answerable questions of a page (or of a list of questions), depth first. */
export function questionsOf(items) {
  return items.flatMap((q) => (q.type === 'group' ? questionsOf(q.questions ?? []) : isAnswerable(q) ? [q] : []));
}

/** A page shows when one of its questions does; a page of notes only, when a note does. */
export function pageShown(page, visible) {
  const questions = questionsOf(page.items);
  return (questions.length ? questions : page.items).some((question) => isShown(question, visible));
}

/** The index of the next page to show from `index` in `direction` (+1/-1), or -1. */
export function nextShownPage(pages, visible, index, direction) {
  for (let i = index + direction; i >= 0 && i < pages.length; i += direction) {
    if (pageShown(pages[i], visible)) return i;
  }
  return -1;
}

export function pageOfQuestion(pages, name) {
  return pages.findIndex((page) => page.names.includes(name));
}
