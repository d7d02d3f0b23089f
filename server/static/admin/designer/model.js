// The draft definition as the designer edits it: pure functions, no DOM, no state.
//
// A definition is never changed in place: every edit returns a new definition that shares
// what did not change (so undo keeps cheap snapshots and a 1,000-question form copies only
// the arrays on the path of an edit). A question is found by its path: the indexes from the
// top-level `questions` down through groups, e.g. [1, 0, 2].
// Names stay unique: adding or duplicating makes fresh names, renaming refuses a taken one.
import { EXPRESSION_FIELDS, referencedNames, renameInExpression } from "./references.js";

export const QUESTION_TYPES = [
  "select_one", "select_multiple", "likert", "integer", "decimal", "text", "date", "note", "group", "calculate",
];
export const CHOICE_TYPES = new Set(["select_one", "select_multiple", "likert"]);
export const NUMBER_TYPES = new Set(["integer", "decimal"]);
export const ANSWERABLE_TYPES = new Set(["select_one", "select_multiple", "likert", "integer", "decimal", "text", "date"]);
export const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const NAME_MAX = 64;
export const TEXT_FIELDS = ["label", "hint", "constraint_message"];
export const NOT_APPLICABLE = "na";

// property -> the question types that may carry it (server/forms/definition_rules.py ONLY_FOR)
const ONLY_FOR = {
  choices: CHOICE_TYPES, allow_na: new Set(["likert"]), min: NUMBER_TYPES, max: NUMBER_TYPES,
  multiline: new Set(["text"]), calculation: new Set(["calculate"]), questions: new Set(["group"]),
  required: ANSWERABLE_TYPES, constraint: ANSWERABLE_TYPES, constraint_message: ANSWERABLE_TYPES,
};

// Report keys naming one question, and lists of question names.
const REPORT_SINGLE = ["overall", "trend"];
const REPORT_LISTS = ["breakdowns", "comments"];

export class ModelError extends Error {
  constructor(code, message) {
    super(message.en);
    this.name = "ModelError";
    this.code = code;
    this.messages = message;
  }
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

/** Whether the designer can open a definition (else the page's JSON fallback edits it). */
export function designable(definition) {
  if (!isObject(definition)) return false;
  const ok = (questions) => Array.isArray(questions) && questions.every((question) => isObject(question)
    && (question.questions === undefined || ok(question.questions)));
  return definition.questions === undefined || ok(definition.questions);
}

// --- reading -------------------------------------------------------------------------

export function childrenOf(definition, parentPath) {
  if (!parentPath.length) return definition.questions ?? [];
  return questionAt(definition, parentPath)?.questions ?? [];
}

export function questionAt(definition, path) {
  let questions = definition.questions ?? [];
  let question = null;
  for (const index of path) {
    question = questions[index];
    if (!question) return null;
    questions = question.questions ?? [];
  }
  return question;
}

/**
 * Every question in document order as rows {path, depth, question}; the descendants of a
 * group for which `isCollapsed(group)` is true are left out.
 */
export function flatten(definition, isCollapsed = null) {
  const rows = [];
  const visit = (questions, parentPath) => {
    questions.forEach((question, index) => {
      const path = [...parentPath, index];
      rows.push({ path, depth: parentPath.length, question });
      if (Array.isArray(question.questions) && !(isCollapsed && isCollapsed(question))) {
        visit(question.questions, path);
      }
    });
  };
  visit(definition.questions ?? [], []);
  return rows;
}

export const pathKey = (path) => path.join(".");
export const samePath = (a, b) => Boolean(a && b) && a.length === b.length && a.every((x, i) => x === b[i]);
export const isInside = (path, ancestor) => path.length > ancestor.length && ancestor.every((x, i) => x === path[i]);

/** Every question name in the definition. */
export function allNames(definition) {
  const names = new Set();
  const visit = (questions) => {
    for (const question of questions) {
      names.add(question.name);
      if (Array.isArray(question.questions)) visit(question.questions);
    }
  };
  visit(definition.questions ?? []);
  return names;
}

export function findPath(definition, name) {
  return flatten(definition).find((row) => row.question.name === name)?.path ?? null;
}

/** `base` if free, else base_2, base_3, ... (within NAME_MAX). */
export function uniqueName(names, base) {
  const stem = (NAME_PATTERN.test(base) ? base : `q_${base}`.replace(/[^A-Za-z0-9_]/g, "_")).slice(0, NAME_MAX - 4);
  if (!names.has(stem)) return stem;
  const root = stem.replace(/_\d+$/, "") || stem;
  for (let n = 2; ; n += 1) {
    const candidate = `${root}_${n}`;
    if (!names.has(candidate)) return candidate;
  }
}

// --- changing the tree -----------------------------------------------------------------

function withChildren(definition, parentPath, change) {
  if (!parentPath.length) return { ...definition, questions: change([...(definition.questions ?? [])]) };
  return updateQuestion(definition, parentPath, (group) => ({ ...group, questions: change([...(group.questions ?? [])]) }));
}

/** The definition with the question at `path` replaced by fn(question). */
export function updateQuestion(definition, path, fn) {
  const rebuild = (questions, depth) => {
    const copy = [...questions];
    const index = path[depth];
    if (!copy[index]) throw new ModelError("no_question", { vi: "Không có câu hỏi này.", en: "No such question." });
    copy[index] = depth === path.length - 1 ? fn(copy[index]) : { ...copy[index], questions: rebuild(copy[index].questions ?? [], depth + 1) };
    return copy;
  };
  return { ...definition, questions: rebuild(definition.questions ?? [], 0) };
}

const DEFAULT_LABELS = {
  group: { vi: "Nhóm câu hỏi mới", en: "New group" },
  note: { vi: "Ghi chú mới", en: "New note" },
  calculate: null,
};

/** A new question of a type with a fresh name (its label in Vietnamese only). */
export function newQuestion(names, type) {
  if (!QUESTION_TYPES.includes(type)) throw new ModelError("bad_type", { vi: `Loại câu hỏi không hợp lệ: ${type}`, en: `Not a question type: ${type}` });
  const name = uniqueName(names, type === "group" ? "group_1" : "q_1");
  const question = { type, name };
  const label = type in DEFAULT_LABELS ? DEFAULT_LABELS[type] : { vi: "Câu hỏi mới", en: "New question" };
  if (label) question.label = { vi: label.vi };
  if (type === "group") question.questions = [];
  if (type === "calculate") question.calculation = "0";
  return question;
}

/** Inserts a question at `index` among the children of `parentPath`. */
export function insertQuestion(definition, parentPath, index, question) {
  const parent = parentPath.length ? questionAt(definition, parentPath) : null;
  if (parentPath.length && parent?.type !== "group") {
    throw new ModelError("not_a_group", { vi: "Chỉ thêm được câu hỏi vào một nhóm.", en: "Questions can only go inside a group." });
  }
  const names = allNames(definition);
  const clash = flatten({ questions: [question] }).find((row) => names.has(row.question.name));
  if (clash) throw nameTaken(clash.question.name);
  const siblings = childrenOf(definition, parentPath);
  const at = Math.max(0, Math.min(index, siblings.length));
  return { definition: withChildren(definition, parentPath, (list) => { list.splice(at, 0, question); return list; }), path: [...parentPath, at] };
}

/**
 * Adds a new question of `type`: after the question at `after`, inside the group at
 * `inside` (as its last child), or at the end of the form.
 */
export function addQuestion(definition, type, { after = null, inside = null } = {}) {
  const question = newQuestion(allNames(definition), type);
  if (inside) return insertQuestion(definition, inside, childrenOf(definition, inside).length, question);
  if (after) return insertQuestion(definition, after.slice(0, -1), after[after.length - 1] + 1, question);
  return insertQuestion(definition, [], (definition.questions ?? []).length, question);
}

/** Removes the question at `path` (with what is inside it) and its report metadata. */
export function deleteQuestion(definition, path) {
  const question = questionAt(definition, path);
  if (!question) return { definition };
  const gone = new Set(flatten({ questions: [question] }).map((row) => row.question.name));
  let next = withChildren(definition, path.slice(0, -1), (list) => { list.splice(path[path.length - 1], 1); return list; });
  next = dropFromReport(next, gone);
  return { definition: next, removed: [...gone] };
}

/**
 * A copy of the question right after it, with a fresh name (for a group: fresh names for
 * everything inside). Nothing else changes: its own expressions are copied as they are and
 * no other question or the report is rewritten.
 */
export function duplicateQuestion(definition, path) {
  const original = questionAt(definition, path);
  const names = allNames(definition);
  const rename = (question) => {
    const name = uniqueName(names, `${question.name}_copy`);
    names.add(name);
    const copy = { ...question, name };
    if (Array.isArray(question.questions)) copy.questions = question.questions.map(rename);
    return copy;
  };
  const copy = rename(structuredClone(original));
  return insertQuestion(definition, path.slice(0, -1), path[path.length - 1] + 1, copy);
}

/**
 * Moves the question at `from` to position `index` among the children of `toParent`
 * (index counted before the move, as a drop target is). Returns the new path.
 */
export function moveQuestion(definition, from, toParent, index) {
  if (samePath(from, toParent) || isInside(toParent, from)) {
    throw new ModelError("into_itself", { vi: "Không thể chuyển một nhóm vào chính nó.", en: "A group cannot go inside itself." });
  }
  const question = questionAt(definition, from);
  const fromParent = from.slice(0, -1);
  const fromIndex = from[from.length - 1];
  // Removing the question shifts later siblings (and the target, if it lies after it).
  const target = [...toParent];
  if (target.length > fromParent.length && samePath(target.slice(0, fromParent.length), fromParent) && target[fromParent.length] > fromIndex) {
    target[fromParent.length] -= 1;
  }
  let at = index;
  if (samePath(toParent, fromParent) && fromIndex < index) at -= 1;
  const removed = withChildren(definition, fromParent, (list) => { list.splice(fromIndex, 1); return list; });
  const parent = target.length ? questionAt(removed, target) : null;
  if (target.length && parent?.type !== "group") {
    throw new ModelError("not_a_group", { vi: "Chỉ chuyển được vào một nhóm.", en: "Questions can only go inside a group." });
  }
  const siblings = childrenOf(removed, target);
  at = Math.max(0, Math.min(at, siblings.length));
  return { definition: withChildren(removed, target, (list) => { list.splice(at, 0, question); return list; }), path: [...target, at] };
}

/**
 * The keyboard moves: "up"/"down" past the previous/next sibling (out of the group at its
 * edge), "in" into the previous sibling when it is a group (as its last child), "out" to
 * just after its group. Returns {definition, path} or null when it cannot move that way.
 */
export function moveByKey(definition, path, direction) {
  const parent = path.slice(0, -1);
  const index = path[path.length - 1];
  const siblings = childrenOf(definition, parent);
  switch (direction) {
    case "up":
      if (index > 0) return moveQuestion(definition, path, parent, index - 1);
      return parent.length ? moveQuestion(definition, path, parent.slice(0, -1), parent[parent.length - 1]) : null;
    case "down":
      if (index < siblings.length - 1) return moveQuestion(definition, path, parent, index + 2);
      return parent.length ? moveQuestion(definition, path, parent.slice(0, -1), parent[parent.length - 1] + 1) : null;
    case "in": {
      const previous = siblings[index - 1];
      if (index === 0 || previous?.type !== "group") return null;
      const into = [...parent, index - 1];
      return moveQuestion(definition, path, into, (previous.questions ?? []).length);
    }
    case "out":
      return parent.length ? moveQuestion(definition, path, parent.slice(0, -1), parent[parent.length - 1] + 1) : null;
    default:
      return null;
  }
}

// --- changing one question ---------------------------------------------------------------

const isBlank = (value) => value === undefined || value === null || value === "";

/** Sets a property of a question (undefined, null or "" removes it). */
export function setProperty(definition, path, key, value) {
  return updateQuestion(definition, path, (question) => {
    const copy = { ...question };
    if (isBlank(value) || value === false && (key === "required" || key === "multiline" || key === "allow_na")) delete copy[key];
    else copy[key] = value;
    return copy;
  });
}

/**
 * Sets one language of a text field ({vi, en, km}); empty text removes that language, and
 * the field goes when no language is left. A language the form does not list yet is added
 * to its languages.
 */
export function setText(definition, path, field, language, text) {
  const next = updateQuestion(definition, path, (question) => {
    const copy = { ...question };
    const label = { ...(isObject(question[field]) ? question[field] : {}) };
    if (text === "") delete label[language];
    else label[language] = text;
    if (Object.keys(label).length) copy[field] = label;
    else delete copy[field];
    return copy;
  });
  return text === "" ? next : withLanguage(next, language);
}

/** The form's own text fields (title, description): the same rules as setText. */
export function setFormText(definition, field, language, text) {
  const label = { ...(isObject(definition[field]) ? definition[field] : {}) };
  if (text === "") delete label[language];
  else label[language] = text;
  const next = { ...definition };
  if (Object.keys(label).length) next[field] = label;
  else delete next[field];
  return text === "" ? next : withLanguage(next, language);
}

export function withLanguage(definition, language) {
  const languages = Array.isArray(definition.languages) ? definition.languages : [];
  return languages.includes(language) ? definition : { ...definition, languages: [...languages, language] };
}

/**
 * Changes a question's type, dropping what the new type cannot carry (a group keeps its
 * questions only as a group; another type turning into a group starts empty).
 */
export function changeType(definition, path, type) {
  if (!QUESTION_TYPES.includes(type)) throw new ModelError("bad_type", { vi: `Loại câu hỏi không hợp lệ: ${type}`, en: `Not a question type: ${type}` });
  const current = questionAt(definition, path);
  if (current.type === "group" && type !== "group" && (current.questions ?? []).length) {
    throw new ModelError("group_not_empty", { vi: "Nhóm còn câu hỏi: hãy chuyển hoặc xóa chúng trước.", en: "The group still holds questions: move or delete them first." });
  }
  return updateQuestion(definition, path, (question) => {
    const copy = { ...question, type };
    for (const [key, types] of Object.entries(ONLY_FOR)) if (key in copy && !types.has(type)) delete copy[key];
    if (type === "group" && !copy.questions) copy.questions = [];
    if (type === "calculate" && !copy.calculation) copy.calculation = "0";
    if (type !== "calculate" && !copy.label) copy.label = { vi: "Câu hỏi mới" };
    return copy;
  });
}

export function nameProblem(definition, path, name) {
  if (!NAME_PATTERN.test(name)) {
    return { vi: "Tên chỉ gồm chữ cái không dấu, chữ số và dấu gạch dưới, không bắt đầu bằng chữ số.", en: "A name holds only unaccented letters, digits and underscores, and does not start with a digit." };
  }
  if (name.length > NAME_MAX) return { vi: `Tên dài tối đa ${NAME_MAX} ký tự.`, en: `A name has at most ${NAME_MAX} characters.` };
  const current = questionAt(definition, path);
  if (current?.name !== name && allNames(definition).has(name)) return nameTaken(name).messages;
  return null;
}

function nameTaken(name) {
  return new ModelError("name_taken", { vi: `Đã có câu hỏi tên '${name}'.`, en: `A question named '${name}' exists already.` });
}

/**
 * Renames a question, and rewrites the ${old} references in every expression (only those
 * tokens; the rest of each text stays as it is) and in the report metadata.
 */
export function renameQuestion(definition, path, name) {
  const problem = nameProblem(definition, path, name);
  if (problem) throw new ModelError("bad_name", problem);
  const old = questionAt(definition, path).name;
  if (old === name) return { definition, references: 0 };
  let references = 0;
  const visit = (questions) => questions.map((question) => {
    let copy = question;
    for (const field of EXPRESSION_FIELDS) {
      const text = question[field];
      const renamed = renameInExpression(text, old, name);
      if (renamed !== text) {
        copy = copy === question ? { ...question } : copy;
        copy[field] = renamed;
        references += 1;
      }
    }
    if (Array.isArray(question.questions)) {
      const children = visit(question.questions);
      if (children.some((child, i) => child !== question.questions[i])) copy = { ...copy, questions: children };
    }
    return copy;
  });
  let next = { ...definition, questions: visit(definition.questions ?? []) };
  next = updateQuestion(next, path, (question) => ({ ...question, name }));
  const report = renameInReport(next.report, old, name);
  if (report !== next.report) {
    next = { ...next, report };
    references += 1;
  }
  return { definition: next, references };
}

/** Where a question is referred to: [{name, field}] for expressions, [{report: key}] for the report. */
export function referencesTo(definition, name) {
  const found = [];
  for (const { question } of flatten(definition)) {
    for (const field of EXPRESSION_FIELDS) {
      if (referencedNames(question[field]).has(name)) found.push({ name: question.name, field });
    }
  }
  return found;
}

/** How many questions, and which kinds, a definition holds. */
export function counts(definition) {
  const rows = flatten(definition);
  return { questions: rows.filter((row) => row.question.type !== "group").length, groups: rows.filter((row) => row.question.type === "group").length };
}

/** The languages (of `languages`) a text field of a question lacks while Vietnamese has it. */
export function missingTranslations(question, languages) {
  const missing = [];
  for (const field of TEXT_FIELDS) {
    const label = question[field];
    if (!isObject(label) || !label.vi) continue;
    for (const language of languages) if (language !== "vi" && !label[language]) missing.push({ field, language });
  }
  return missing;
}

// --- choice lists ------------------------------------------------------------------------

export function choiceLists(definition) {
  return isObject(definition.choice_lists) ? definition.choice_lists : {};
}

/** The names of the questions using a choice list. */
export function listUsage(definition, listName) {
  return flatten(definition).filter((row) => CHOICE_TYPES.has(row.question.type) && row.question.choices === listName)
    .map((row) => row.question.name);
}

export function listNameProblem(definition, name, current = null) {
  if (!NAME_PATTERN.test(name)) return { vi: "Tên danh sách chỉ gồm chữ cái không dấu, chữ số và dấu gạch dưới.", en: "A list name holds only unaccented letters, digits and underscores." };
  if (name !== current && name in choiceLists(definition)) return { vi: `Đã có danh sách '${name}'.`, en: `A list named '${name}' exists already.` };
  return null;
}

/** Adds a choice list under a fresh name made from `base`; returns {definition, name}. */
export function addChoiceList(definition, base, choices = []) {
  const lists = choiceLists(definition);
  const name = uniqueName(new Set(Object.keys(lists)), base || "list");
  return { definition: { ...definition, choice_lists: { ...lists, [name]: structuredClone(choices) } }, name };
}

export function setChoiceList(definition, name, choices) {
  return { ...definition, choice_lists: { ...choiceLists(definition), [name]: choices } };
}

/** Renames a list and every question that uses it (keeping the lists' order). */
export function renameChoiceList(definition, from, to) {
  const problem = listNameProblem(definition, to, from);
  if (problem) throw new ModelError("bad_name", problem);
  if (from === to) return definition;
  const lists = Object.fromEntries(Object.entries(choiceLists(definition)).map(([key, value]) => [key === from ? to : key, value]));
  let next = { ...definition, choice_lists: lists };
  for (const row of flatten(next)) {
    if (CHOICE_TYPES.has(row.question.type) && row.question.choices === from) next = setProperty(next, row.path, "choices", to);
  }
  return next;
}

/** Deletes a list no question uses. */
export function deleteChoiceList(definition, name) {
  const users = listUsage(definition, name);
  if (users.length) throw new ModelError("list_in_use", { vi: `Danh sách đang được dùng bởi: ${users.join(", ")}`, en: `The list is used by: ${users.join(", ")}` });
  const lists = { ...choiceLists(definition) };
  delete lists[name];
  return { ...definition, choice_lists: lists };
}

function updateChoices(definition, listName, change) {
  const choices = [...(choiceLists(definition)[listName] ?? [])];
  return setChoiceList(definition, listName, change(choices));
}

/** Adds a choice with a fresh value (1, 2, ... or value_2 ...). */
export function addChoice(definition, listName) {
  return updateChoices(definition, listName, (choices) => {
    const values = new Set(choices.map((choice) => choice.value));
    let n = choices.length + 1;
    while (values.has(String(n))) n += 1;
    return [...choices, { value: String(n), label: { vi: `Lựa chọn ${n}` } }];
  });
}

export function removeChoice(definition, listName, index) {
  return updateChoices(definition, listName, (choices) => { choices.splice(index, 1); return choices; });
}

export function moveChoice(definition, listName, index, offset) {
  return updateChoices(definition, listName, (choices) => {
    const to = index + offset;
    if (to < 0 || to >= choices.length) return choices;
    const [choice] = choices.splice(index, 1);
    choices.splice(to, 0, choice);
    return choices;
  });
}

export function setChoiceValue(definition, listName, index, value) {
  return updateChoices(definition, listName, (choices) => {
    choices[index] = { ...choices[index], value };
    return choices;
  });
}

export function setChoiceText(definition, listName, index, language, text) {
  const next = updateChoices(definition, listName, (choices) => {
    const label = { ...(choices[index].label ?? {}) };
    if (text === "") delete label[language];
    else label[language] = text;
    choices[index] = { ...choices[index], label };
    return choices;
  });
  return text === "" ? next : withLanguage(next, language);
}

/** Problems of a choice list: duplicate or empty values. */
export function choiceProblems(choices) {
  const seen = new Set();
  return choices.map((choice) => {
    const value = choice.value ?? "";
    if (!/^\S+$/.test(value)) return { vi: "Giá trị không được trống hay chứa khoảng trắng.", en: "A value cannot be empty or hold spaces." };
    if (seen.has(value)) return { vi: `Giá trị bị trùng: ${value}`, en: `Duplicate value: ${value}` };
    seen.add(value);
    return null;
  });
}

// --- report metadata ----------------------------------------------------------------------

function reportOf(definition) {
  return isObject(definition.report) ? definition.report : null;
}

const groupsOf = (report) => (Array.isArray(report?.groups) ? report.groups : []);

/** What the report says about a question. */
export function reportRole(definition, name) {
  const report = reportOf(definition);
  if (!report) return { group: null, conduct: false, overall: false, trend: false, breakdown: false, comment: false, incidents: [] };
  return {
    group: groupsOf(report).find((group) => (group.questions ?? []).includes(name))?.key ?? null,
    conduct: Boolean(report.conduct?.questions?.includes(name)),
    overall: report.overall === name,
    trend: report.trend === name,
    breakdown: (report.breakdowns ?? []).includes(name),
    comment: (report.comments ?? []).includes(name),
    incidents: (report.incidents ?? []).filter((incident) => incident.question === name),
  };
}

/** The report, created with what a satisfaction report needs when the form has none yet. */
export function ensureReport(definition) {
  if (reportOf(definition)) return definition;
  return { ...definition, report: { satisfied_values: ["4", "5"], not_applicable_value: NOT_APPLICABLE, groups: [] } };
}

/**
 * Puts a likert question in one satisfaction (SIPAS) group, or the "5 biết" conduct group
 * (key "conduct" with the conduct group's key), or none (null).
 */
export function setReportGroup(definition, name, key) {
  let next = key === null ? definition : ensureReport(definition);
  const report = reportOf(next);
  if (!report) return next;
  const without = (group) => ({ ...group, questions: (group.questions ?? []).filter((q) => q !== name) });
  const groups = groupsOf(report).map((group) => {
    const cleaned = without(group);
    return group.key === key ? { ...cleaned, questions: [...cleaned.questions, name] } : cleaned;
  });
  const updated = { ...report, groups };
  if (report.conduct) {
    const cleaned = without(report.conduct);
    updated.conduct = report.conduct.key === key && !groupsOf(report).some((group) => group.key === key)
      ? { ...cleaned, questions: [...cleaned.questions, name] } : cleaned;
  }
  next = { ...next, report: updated };
  return next;
}

/** Adds a report group {key, label, questions: []}; returns {definition, key}. */
export function addReportGroup(definition, label) {
  const next = ensureReport(definition);
  const report = reportOf(next);
  const keys = new Set([...groupsOf(report).map((group) => group.key), report.conduct?.key].filter(Boolean));
  const key = uniqueName(keys, "group_1");
  return { definition: { ...next, report: { ...report, groups: [...groupsOf(report), { key, label, questions: [] }] } }, key };
}

export function updateReport(definition, change) {
  const next = ensureReport(definition);
  return { ...next, report: change({ ...reportOf(next) }) };
}

/** Sets or clears a question's single-question role (overall, trend). */
export function setReportSingle(definition, key, name, on) {
  if (!on && reportOf(definition)?.[key] !== name) return definition;
  return updateReport(definition, (report) => {
    if (on) report[key] = name;
    else delete report[key];
    return report;
  });
}

/** Adds or removes a question in a report list (breakdowns, comments). */
export function setReportListed(definition, key, name, on) {
  if (!on && !reportOf(definition)?.[key]?.includes(name)) return definition;
  return updateReport(definition, (report) => {
    const list = (report[key] ?? []).filter((item) => item !== name);
    if (on) list.push(name);
    if (list.length) report[key] = list;
    else delete report[key];
    return report;
  });
}

/** Sets the incident (3 không) a select_one answer value counts as; null label removes it. */
export function setIncident(definition, name, value, label) {
  return updateReport(definition, (report) => {
    const incidents = (report.incidents ?? []).filter((incident) => incident.question !== name);
    if (label) incidents.push({ question: name, value, label });
    if (incidents.length) report.incidents = incidents;
    else delete report.incidents;
    return report;
  });
}

function dropFromReport(definition, names) {
  const report = reportOf(definition);
  if (!report) return definition;
  const keep = (list) => (list ?? []).filter((name) => !names.has(name));
  const next = { ...report, groups: groupsOf(report).map((group) => ({ ...group, questions: keep(group.questions) })) };
  if (report.conduct) next.conduct = { ...report.conduct, questions: keep(report.conduct.questions) };
  for (const key of REPORT_SINGLE) if (names.has(report[key])) delete next[key];
  for (const key of REPORT_LISTS) if (report[key]) next[key] = keep(report[key]);
  if (report.incidents) next.incidents = report.incidents.filter((incident) => !names.has(incident.question));
  return { ...definition, report: next };
}

function renameInReport(report, from, to) {
  if (!isObject(report)) return report;
  let changed = false;
  const swap = (name) => {
    if (name !== from) return name;
    changed = true;
    return to;
  };
  const next = { ...report };
  if (Array.isArray(report.groups)) next.groups = report.groups.map((group) => ({ ...group, questions: (group.questions ?? []).map(swap) }));
  if (report.conduct) next.conduct = { ...report.conduct, questions: (report.conduct.questions ?? []).map(swap) };
  for (const key of REPORT_SINGLE) if (key in report) next[key] = swap(report[key]);
  for (const key of REPORT_LISTS) if (Array.isArray(report[key])) next[key] = report[key].map(swap);
  if (Array.isArray(report.incidents)) next.incidents = report.incidents.map((incident) => ({ ...incident, question: swap(incident.question) }));
  return changed ? next : report;
}
