// The form's counter, "Câu 4–6/30": which questions this screen holds among those the
// interview asks, out of how many it can still ask. Pure: no DOM, no storage.
//
// Why an upper bound for the total: the questions a branch opens are not known until it is
// answered. Counting only those visible now made the total grow as branches opened
// ("1–3/11" then "4–6/27"): the bar went backwards just when the resident was losing
// patience. Here the total is what was asked so far plus every question still ahead that
// is shown now or whose showing still hangs on a question not yet passed (this screen's or
// a later one's). So during a forward pass:
//  - the question numbers only grow (the questions of the screens passed, then this one's);
//  - the total is fixed on a screen (whatever is answered on it) and, on leaving it, can only
//    shrink: a branch closed by an answer drops out ("4–6/30" then "7–11/11");
//  - the bar (last / total) therefore never moves back, and on the last screen reads full
//    when nothing there is still conditional.
// Going back and changing an earlier answer may of course change everything again.
import { parse, references } from './form-logic.js';
import { questionsOf } from './pages.js';

const cache = new WeakMap();

function refsOf(expr) {
  if (!expr) return [];
  try {
    return [...references(parse(expr))];
  } catch {
    return []; // an invalid rule is reported by validation; the engine ignores it too
  }
}

/** name -> {question, parent}, every question of the form (groups and calculates included). */
function index(definition) {
  let known = cache.get(definition);
  if (known) return known;
  known = { byName: new Map(), closures: new Map() };
  const visit = (questions, parent) => {
    for (const question of questions ?? []) {
      known.byName.set(question.name, { question, parent });
      if (question.type === 'group') visit(question.questions, question.name);
    }
  };
  visit(definition.questions, null);
  cache.set(definition, known);
  return known;
}

/**
 * The names whose answers decide whether `name` is shown: those its own and its groups'
 * `relevant` refer to, and, through each of them, what decides that one's value (its own
 * showing and, for a calculate, its calculation).
 */
export function showingDependsOn(definition, name) {
  const known = index(definition);
  if (known.closures.has(name)) return known.closures.get(name);
  const found = new Set();
  const valueOf = (ref) => {
    if (found.has(ref)) return;
    found.add(ref);
    const entry = known.byName.get(ref);
    if (!entry) return;
    showing(ref);
    if (entry.question.type === 'calculate') refsOf(entry.question.calculation).forEach(valueOf);
  };
  const showing = (start) => {
    for (let at = start; at !== null && known.byName.has(at);) {
      const entry = known.byName.get(at);
      refsOf(entry.question.relevant).forEach(valueOf);
      at = entry.parent;
    }
  };
  showing(name);
  known.closures.set(name, found);
  return found;
}

/**
 * {first, last, total} for the screen `current` of `pages` (from buildPages), given the
 * engine's visible set for the answers so far. Notes are not counted.
 */
export function progressCount(definition, pages, visible, current) {
  const open = new Set(pages.slice(current).flatMap((page) => questionsOf(page.items).map((q) => q.name)));
  const { byName } = index(definition);
  // Hidden for good: hidden, and nothing that decides it is still to be answered.
  const settledHidden = (name) => !visible.has(name)
    && ![...showingDependsOn(definition, name)].some((ref) => open.has(ref));
  const mayBeAsked = (question) => {
    if (visible.has(question.name)) return true;
    // Shown only if it and all its groups are: one of them hidden for good hides it.
    for (let at = question.name; at !== null && byName.has(at); at = byName.get(at).parent) {
      if (settledHidden(at)) return false;
    }
    return true;
  };
  let done = 0;
  let here = 0;
  let ahead = 0;
  pages.forEach((page, i) => {
    const questions = questionsOf(page.items);
    if (i < current) done += questions.filter((q) => visible.has(q.name)).length;
    if (i === current) here = questions.filter((q) => visible.has(q.name)).length;
    if (i >= current) ahead += questions.filter(mayBeAsked).length;
  });
  return { first: done + Math.min(1, here), last: done + here, total: done + ahead };
}
