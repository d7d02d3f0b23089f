// "Fill with test answers" for the phone preview: answers that fit each question's type,
// range, choices and constraint, found by trying candidates with the volunteer app's own
// logic engine. Pure: no DOM. A seed makes each fill different yet repeatable.
import { applyLogic, evaluate, walkQuestions } from "../../../app/js/form-logic.js";

const CHOICE_TYPES = new Set(["select_one", "select_multiple", "likert"]);
const TEXTS = { vi: "Câu trả lời thử", en: "A test answer", km: "ចម្លើយសាកល្បង" };

/** A small deterministic random number generator (mulberry32). */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function choicesOf(question, definition) {
  const list = definition.choice_lists?.[question.choices] ?? [];
  const values = list.map((choice) => String(choice.value));
  if (question.type === "likert" && question.allow_na && !values.includes("na")) values.push("na");
  return values;
}

function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

function candidates(question, definition, next, { today, language }) {
  const pick = (list) => list[Math.floor(next() * list.length)];
  switch (question.type) {
    case "select_one":
    case "likert": {
      const values = choicesOf(question, definition);
      return values.length ? [pick(values), ...values] : [];
    }
    case "select_multiple": {
      const values = choicesOf(question, definition);
      const some = values.filter(() => next() < 0.5);
      return values.length ? [some.length ? some : [pick(values)], ...values.map((value) => [value])] : [];
    }
    case "integer":
    case "decimal": {
      const low = typeof question.min === "number" ? question.min : 0;
      const high = typeof question.max === "number" ? question.max : Math.max(low, 0) + 100;
      const spread = high - low;
      const raw = low + next() * spread;
      const value = question.type === "integer" ? Math.round(raw) : Math.round(raw * 10) / 10;
      const fixed = [low, high, 0, 1, 18, 30, 60, Math.ceil(low), Math.floor(high)];
      return [value, ...fixed].filter((n) => n >= low && n <= high && (question.type === "decimal" || Number.isInteger(n)));
    }
    case "date": {
      const base = today ? new Date(`${today}T00:00:00Z`) : new Date();
      const days = Math.floor(next() * 365);
      return [isoDate(new Date(base.getTime() - days * 86400000)), isoDate(base)];
    }
    case "text":
      return [TEXTS[language] ?? TEXTS.vi, "1", "ok"];
    default:
      return [];
  }
}

function fits(question, value, answers, today) {
  if (!question.constraint) return true;
  try {
    return Boolean(evaluate(question.constraint, answers, { today, current: value }));
  } catch {
    return true; // an expression that does not parse is the designer's error to show, not ours
  }
}

function isVisible(definition, answers, name, today) {
  try {
    return applyLogic(definition, answers, { today }).visible.has(name);
  } catch {
    return true; // a logic cycle: answer everything
  }
}

/**
 * Answers for every question the logic shows (relevance follows the answers given so far),
 * e.g. {age_band: "30_44", access_location: "4"}.
 */
export function testAnswers(definition, { seed = 1, today = null, language = "vi" } = {}) {
  const next = random(seed);
  const answers = {};
  const entries = walkQuestions(definition);
  const byName = new Map(entries.map((entry) => [entry.name, entry.question]));
  for (const entry of entries) {
    const { question } = entry;
    if (question.type === "group" || question.type === "note" || question.type === "calculate") continue;
    // Only a question under some `relevant` needs the engine (keeps 1,000 questions quick).
    const conditional = question.relevant || entry.groups.some((name) => byName.get(name)?.relevant);
    if (conditional && !isVisible(definition, answers, question.name, today)) continue;
    const options = candidates(question, definition, next, { today, language });
    const found = options.find((value) => fits(question, value, answers, today));
    if (found !== undefined && !(CHOICE_TYPES.has(question.type) && !options.length)) answers[question.name] = found;
  }
  try {
    return applyLogic(definition, answers, { today }).answers;
  } catch {
    return answers;
  }
}
