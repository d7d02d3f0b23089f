// The form logic engine of the PWA: the twin of server/forms/compiled.py,
// server/forms/coercion.py and server/forms/validation.py. No dependencies, no eval.
// forms/vectors/logic.json fixes the behaviour both sides share.
//
// Rules (the same on the server):
// 1. raw answers are coerced to their question's type; unknown names, nulls and values
//    that do not fit are left out (validateAnswers reports them);
// 2. questions are visited in dependency order; a question is visible when its group is
//    and its own `relevant` is true; a hidden answer is dropped and its name listed in
//    `skipped`; a visible calculate stores its value.

import { ExpressionError, evaluate, evaluateRaw, parse, references } from "./form-logic-expr.js";
import * as v from "./form-logic-values.js";

export { ExpressionError, evaluate, parse, references };
export const normalizeText = v.normalizeText;

const ANSWERABLE = new Set(["select_one", "select_multiple", "likert", "integer", "decimal", "text", "date"]);
const ANSWER_BEARING = new Set([...ANSWERABLE, "calculate"]);
export const MAX_TEXT_LENGTH = 5000;
const NOT_APPLICABLE = "na";
const DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;

// Every question in document order, with where it sits among the groups.
export function walkQuestions(definition) {
  const found = [];
  const visit = (questions, path, groups) => {
    (questions ?? []).forEach((question, index) => {
      const here = `${path}[${index}]`;
      found.push({
        name: question.name, type: question.type, question, path: here, groups: [...groups],
        parent: groups.length ? groups[groups.length - 1] : null, depth: groups.length,
      });
      if (question.type === "group") visit(question.questions, `${here}.questions`, [...groups, question.name]);
    });
  };
  visit(definition.questions, "questions", []);
  return found;
}

function parseOrNull(expr) {
  if (!expr) return null;
  try {
    return parse(expr);
  } catch (error) {
    if (error instanceof ExpressionError) return null; // definition validation reports it
    throw error;
  }
}

function compileForm(definition) {
  const lists = definition.choice_lists ?? {};
  const entries = walkQuestions(definition);
  const indexOf = new Map(entries.map((entry, i) => [entry.name, i]));
  const nodes = entries.map((entry, index) => {
    const { question } = entry;
    const choiceOrder = (lists[question.choices] ?? []).map((choice) => v.normalizeText(String(choice.value)));
    const node = {
      index, name: entry.name, type: entry.type, question,
      parent: entry.parent ? indexOf.get(entry.parent) ?? null : null,
      relevant: parseOrNull(question.relevant),
      calculation: parseOrNull(question.calculation),
      constraint: parseOrNull(question.constraint),
      choiceValues: new Set(choiceOrder), choiceOrder, dependsOn: new Set(),
    };
    for (const ast of [node.relevant, node.calculation]) {
      if (ast) for (const name of references(ast)) if (indexOf.has(name)) node.dependsOn.add(indexOf.get(name));
    }
    if (node.parent !== null) node.dependsOn.add(node.parent);
    return node;
  });
  return { nodes, byName: new Map(nodes.map((node) => [node.name, node])), order: dependencyOrder(nodes) };
}

function dependencyOrder(nodes) {
  const waiting = nodes.map((node) => node.dependsOn.size);
  const dependants = nodes.map(() => []);
  nodes.forEach((node) => node.dependsOn.forEach((dependency) => dependants[dependency].push(node.index)));
  const ready = nodes.filter((node) => waiting[node.index] === 0).map((node) => node.index);
  const order = [];
  while (ready.length) {
    ready.sort((a, b) => a - b);
    const index = ready.shift();
    order.push(nodes[index]);
    for (const dependant of dependants[index]) {
      waiting[dependant] -= 1;
      if (waiting[dependant] === 0) ready.push(dependant);
    }
  }
  if (order.length !== nodes.length) {
    const placed = new Set(order.map((node) => node.index));
    const names = nodes.filter((node) => !placed.has(node.index)).map((node) => node.name);
    throw new Error(`logic cycle between: ${names.join(", ")}`);
  }
  return order;
}

const compiledCache = new WeakMap();

function compiled(definition) {
  let form = compiledCache.get(definition);
  if (!form) {
    form = compileForm(definition);
    compiledCache.set(definition, form);
  }
  return form;
}

const ABSENT = Symbol("absent");

function asChoiceText(raw) {
  if (typeof raw === "string") return v.trim(v.normalizeText(raw));
  if (typeof raw === "number") return v.formatNumber(raw);
  return null;
}

function asNumber(raw) {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : null;
  if (typeof raw === "string") {
    if (v.trim(raw) === "") return ABSENT;
    const number = v.parseNumberText(raw);
    return Number.isNaN(number) ? null : number;
  }
  return null;
}

function daysInMonth(year, month) {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// [value, problem]: value ABSENT means no answer; problem is null or [code, params].
function coerceAnswer(node, raw) {
  const wrong = [ABSENT, ["wrong_type", {}]];
  switch (node.type) {
    case "select_one":
    case "likert": {
      const text = asChoiceText(raw);
      if (text === null) return wrong;
      if (text === "") return [ABSENT, null];
      const allowNa = node.type === "likert" && Boolean(node.question.allow_na);
      if (node.choiceValues.has(text) || (allowNa && text === NOT_APPLICABLE)) return [text, null];
      return [ABSENT, ["not_in_choices", { value: text }]];
    }
    case "select_multiple": {
      let items;
      if (typeof raw === "string") items = v.splitTokens(v.normalizeText(raw));
      else if (Array.isArray(raw)) {
        items = [];
        for (const item of raw) {
          const text = asChoiceText(item);
          if (text === null) return wrong;
          if (text !== "") items.push(text);
        }
      } else return wrong;
      if (!items.length) return [ABSENT, null];
      const stranger = items.find((item) => !node.choiceValues.has(item));
      if (stranger !== undefined) return [ABSENT, ["not_in_choices", { value: stranger }]];
      const chosen = new Set(items);
      return [node.choiceOrder.filter((value) => chosen.has(value)), null];
    }
    case "integer":
    case "decimal": {
      const number = asNumber(raw);
      if (number === ABSENT) return [ABSENT, null];
      if (number === null) return wrong;
      if (node.type === "integer" && (!Number.isInteger(number) || Math.abs(number) > v.MAX_SAFE_INTEGER)) return wrong;
      return [number === 0 ? 0 : number, null];
    }
    case "text": {
      if (typeof raw !== "string") return wrong;
      const text = v.trim(v.normalizeText(raw));
      if (text === "") return [ABSENT, null];
      if (Array.from(text).length > MAX_TEXT_LENGTH) return [ABSENT, ["too_long", { max: MAX_TEXT_LENGTH }]];
      return [text, null];
    }
    default: { // date
      if (typeof raw !== "string") return wrong;
      const text = v.trim(raw);
      if (text === "") return [ABSENT, null];
      const match = DATE.exec(text);
      if (match) {
        const [year, month, day] = match.slice(1).map(Number);
        if (year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) return [text, null];
      }
      return wrong;
    }
  }
}

function coerceAll(form, answers) {
  const values = {};
  const problems = new Map();
  const unknown = [];
  for (const [name, raw] of Object.entries(answers ?? {})) {
    if (raw === null || raw === undefined) continue;
    const node = form.byName.get(name);
    if (!node || !ANSWER_BEARING.has(node.type)) {
      unknown.push(name);
      continue;
    }
    if (node.type === "calculate") continue; // always recomputed, never trusted
    const [value, problem] = coerceAnswer(node, raw);
    if (problem) problems.set(name, problem);
    else if (value !== ABSENT) values[name] = value;
  }
  return { values, problems, unknown };
}

function runLogic(form, values, today) {
  const working = { ...values };
  const shown = new Array(form.nodes.length).fill(false);
  for (const node of form.order) {
    let visible = node.parent === null || shown[node.parent];
    if (visible && node.relevant) visible = v.toBoolean(evaluateRaw(node.relevant, working, { today }));
    shown[node.index] = visible;
    if (!visible) delete working[node.name];
    else if (node.type === "calculate" && node.calculation) {
      const value = v.exportValue(evaluateRaw(node.calculation, working, { today }));
      if (v.isEmpty(value)) delete working[node.name];
      else working[node.name] = value;
    }
  }
  const answers = {};
  const visible = new Set();
  const skipped = [];
  for (const node of form.nodes) {
    if (shown[node.index]) {
      visible.add(node.name);
      if (Object.hasOwn(working, node.name)) answers[node.name] = working[node.name];
    } else if (ANSWER_BEARING.has(node.type)) skipped.push(node.name);
  }
  return { answers, visible, skipped, shown };
}

// {answers, visible: Set, skipped: [...]}: hidden answers dropped, calculates computed.
export function applyLogic(definition, answers, { today = null } = {}) {
  const form = compiled(definition);
  const { values } = coerceAll(form, answers);
  const { answers: cleaned, visible, skipped } = runLogic(form, values, today);
  return { answers: cleaned, visible, skipped };
}

const MESSAGES = {
  unknown_question: ["Không có câu hỏi này trong phiếu: {name}.", "There is no such question in this form: {name}."],
  not_in_choices: ["Giá trị không có trong các lựa chọn: {value}.", "Not one of the choices: {value}."],
  required: ["Câu hỏi này bắt buộc phải trả lời.", "This question must be answered."],
  too_long: ["Câu trả lời quá dài (tối đa {max} ký tự).", "The answer is too long (at most {max} characters)."],
  range_both: ["Giá trị phải từ {min} đến {max}.", "The value must be from {min} to {max}."],
  range_min: ["Giá trị phải từ {min} trở lên.", "The value must be at least {min}."],
  range_max: ["Giá trị không được lớn hơn {max}.", "The value must be at most {max}."],
  constraint: ["Giá trị không hợp lệ.", "The value is not valid."],
};
const WRONG_TYPE = {
  select_one: ["Hãy chọn một lựa chọn.", "Choose one option."],
  likert: ["Hãy chọn một mức trên thang đo.", "Choose one point on the scale."],
  select_multiple: ["Hãy chọn một hoặc nhiều lựa chọn.", "Choose one or more options."],
  integer: ["Hãy nhập một số nguyên.", "Enter a whole number."],
  decimal: ["Hãy nhập một số.", "Enter a number."],
  text: ["Hãy nhập chữ.", "Enter text."],
  date: ["Hãy nhập ngày theo dạng NNNN-TT-NN.", "Enter a date as YYYY-MM-DD."],
};

function message(key, params = {}) {
  const fill = (text) => text.replace(/\{(\w+)\}/g, (_, name) => String(params[name]));
  const [vi, en] = MESSAGES[key];
  return { vi: fill(vi), en: fill(en) };
}

function rangeError(node, value) {
  const low = node.question.min ?? null;
  const high = node.question.max ?? null;
  if ((low === null || value >= low) && (high === null || value <= high)) return null;
  const params = { min: low === null ? "" : v.formatNumber(low), max: high === null ? "" : v.formatNumber(high) };
  const key = low !== null && high !== null ? "range_both" : low !== null ? "range_min" : "range_max";
  return { question: node.name, code: "out_of_range", message: message(key, params) };
}

function constraintError(node, value, answers, today) {
  if (!node.constraint) return null;
  if (v.toBoolean(evaluateRaw(node.constraint, answers, { today, current: value }))) return null;
  const custom = node.question.constraint_message;
  // A form's own message wins; English falls back to the Vietnamese one.
  const text = custom ? { vi: custom.vi, en: custom.en || custom.vi } : message("constraint");
  return { question: node.name, code: "constraint", message: text };
}

// [{question, code, message: {vi, en}}], in the same order as the server lists them.
export function validateAnswers(definition, answers, { today = null } = {}) {
  const form = compiled(definition);
  const { values, problems, unknown } = coerceAll(form, answers);
  const { answers: cleaned, shown } = runLogic(form, values, today);
  const errors = [...unknown].sort(v.compareCodePoints).map((name) => (
    { question: name, code: "unknown_question", message: message("unknown_question", { name }) }));
  for (const node of form.nodes) {
    if (!shown[node.index] || !ANSWERABLE.has(node.type)) continue;
    const problem = problems.get(node.name);
    if (problem) {
      const [code, params] = problem;
      const text = code === "wrong_type"
        ? { vi: WRONG_TYPE[node.type][0], en: WRONG_TYPE[node.type][1] } : message(code, params);
      errors.push({ question: node.name, code, message: text });
      continue;
    }
    if (!Object.hasOwn(cleaned, node.name)) {
      if (node.question.required) errors.push({ question: node.name, code: "required", message: message("required") });
      continue;
    }
    const value = cleaned[node.name];
    let error = null;
    if (node.type === "integer" || node.type === "decimal") error = rangeError(node, value);
    error = error || constraintError(node, value, cleaned, today);
    if (error) errors.push(error);
  }
  return errors;
}
