// Splits a form definition into screens: one question (or one small group) per
// screen on a phone, a whole top-level group per screen on a tablet. Pure: no DOM.

const SMALL_GROUP = 2;

function leafCount(question) {
  if (question.type !== 'group') return question.type === 'calculate' ? 0 : 1;
  return (question.questions ?? []).reduce((sum, child) => sum + leafCount(child), 0);
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
  const walk = (questions, groups) => {
    for (const question of questions ?? []) {
      if (question.type === 'calculate') continue;
      const isGroup = question.type === 'group';
      if (isGroup && leafCount(question) === 0) continue;
      const fits = !isGroup || leafCount(question) <= SMALL_GROUP || (wide && groups.length === 0);
      if (fits) {
        pages.push({ items: [question], groups, names: namesWithin(question) });
      } else {
        walk(question.questions, [...groups, question]);
      }
    }
  };
  walk(definition.questions, []);
  return pages;
}

/** Whether a question shows, given the engine's visible set (a group: when any child shows). */
export function isShown(question, visible) {
  if (question.type === 'group') return (question.questions ?? []).some((child) => isShown(child, visible));
  if (question.type === 'calculate') return false;
  return visible.has(question.name);
}

export function pageShown(page, visible) {
  return page.items.some((question) => isShown(question, visible));
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
