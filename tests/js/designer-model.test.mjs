// The designer's model (server/static/admin/designer/model.js): pure edits of a definition.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import "./served-paths.mjs";   // /static/admin/designer/ -> /app/js/ resolved to pwa/js/

const m = await import("../../server/static/admin/designer/model.js");
const SURVEY = JSON.parse(readFileSync(new URL("../../forms/resident_survey.json", import.meta.url), "utf8"));
const survey = () => structuredClone(SURVEY);
const names = (definition) => m.flatten(definition).map((row) => row.question.name);
const frozen = (value) => {
  if (value && typeof value === "object") {
    Object.freeze(value);
    Object.values(value).forEach(frozen);
  }
  return value;
};

test("flatten lists every question in document order with its path and depth", () => {
  const rows = m.flatten(survey());
  assert.equal(rows[0].question.name, "sec_profile");
  assert.deepEqual(rows[1].path, [0, 0]);
  assert.equal(rows[1].depth, 1);
  const access = rows.find((row) => row.question.name === "access_location");
  assert.deepEqual(access.path, [1, 1, 0]);
  assert.equal(access.depth, 2);
  const closed = m.flatten(survey(), (group) => group.name === "sec_services");
  assert.ok(!closed.some((row) => row.question.name === "access_location"));
  assert.ok(closed.some((row) => row.question.name === "sec_five_knows"));
});

test("edits never change the definition they are given, and share what did not change", () => {
  const before = frozen(survey());
  const after = m.setText(before, [0, 1], "label", "en", "Age group");
  assert.equal(after.questions[0].questions[1].label.en, "Age group");
  assert.equal(before.questions[0].questions[1].label.en, "Which age group are you in?");
  assert.equal(after.questions[1], before.questions[1]);
  assert.equal(after.choice_lists, before.choice_lists);
  m.addQuestion(before, "text", { after: [0, 1] });
  m.duplicateQuestion(before, [1]);
  m.deleteQuestion(before, [1]);
  m.moveQuestion(before, [0, 1], [], 0);
  m.renameQuestion(before, [0, 3], "dealt");
});

test("adding gives fresh unique names, after a question or inside a group", () => {
  let d = survey();
  let result = m.addQuestion(d, "text", { after: [0, 1] });
  assert.deepEqual(result.path, [0, 2]);
  assert.equal(m.questionAt(result.definition, [0, 2]).name, "q_1");
  d = result.definition;
  result = m.addQuestion(d, "integer", { inside: [0] });
  assert.deepEqual(result.path, [0, 5]);
  assert.equal(m.questionAt(result.definition, result.path).name, "q_2");
  result = m.addQuestion(result.definition, "group");
  const group = m.questionAt(result.definition, result.path);
  assert.equal(group.type, "group");
  assert.deepEqual(group.questions, []);
  assert.equal(new Set(names(result.definition)).size, names(result.definition).length);
  assert.throws(() => m.addQuestion(d, "text", { inside: [0, 1] }), m.ModelError);
});

test("a new form with no questions gets its first one", () => {
  const empty = { schema_version: 1, name: "f", title: { vi: "F" }, languages: ["vi"], default_language: "vi", choice_lists: {}, questions: [] };
  const { definition, path } = m.addQuestion(empty, "select_one");
  assert.deepEqual(path, [0]);
  assert.deepEqual(definition.questions[0], { type: "select_one", name: "q_1", label: { vi: "Câu hỏi mới" } });
});

test("duplicating gives the copy a fresh name and rewrites nothing else", () => {
  const d = survey();
  const { definition, path } = m.duplicateQuestion(d, [3, 1]); // harassment_detail, relevant ${harassment} = 'yes'
  const copy = m.questionAt(definition, path);
  assert.deepEqual(path, [3, 2]);
  assert.equal(copy.name, "harassment_detail_copy");
  assert.equal(copy.relevant, "${harassment} = 'yes'");
  const { name, ...rest } = copy;
  const { name: _original, ...originalRest } = m.questionAt(d, [3, 1]);
  assert.deepEqual(rest, originalRest);
  // Every other question and the report are as they were.
  const others = m.flatten(definition).filter((row) => row.question !== copy).map((row) => row.question);
  assert.deepEqual(others.filter((q) => q.type !== "group"), m.flatten(d).map((row) => row.question).filter((q) => q.type !== "group"));
  assert.deepEqual(definition.report, d.report);
  // Twice: another fresh name.
  const again = m.duplicateQuestion(definition, [3, 1]);
  assert.equal(m.questionAt(again.definition, again.path).name, "harassment_detail_copy_2");
  assert.equal(name, "harassment_detail_copy");
});

test("duplicating a group makes fresh names for everything inside", () => {
  const d = survey();
  const { definition, path } = m.duplicateQuestion(d, [1, 1]); // sec_access
  const copy = m.questionAt(definition, path);
  assert.equal(copy.name, "sec_access_copy");
  assert.deepEqual(copy.questions.map((q) => q.name), ["access_location_copy", "access_facilities_copy", "access_online_copy"]);
  const all = names(definition);
  assert.equal(new Set(all).size, all.length);
  assert.deepEqual(definition.report.groups[0].questions, ["access_location", "access_facilities", "access_online"]);
});

test("deleting removes the question, what is inside it and its report metadata, not expressions", () => {
  const d = survey();
  const { definition, removed } = m.deleteQuestion(d, [1, 1]); // sec_access
  assert.deepEqual(removed, ["sec_access", "access_location", "access_facilities", "access_online"]);
  assert.ok(!names(definition).includes("access_location"));
  assert.deepEqual(definition.report.groups[0].questions, []);
  const gone = m.deleteQuestion(d, [0, 3]).definition; // dealt_with_commune: others refer to it
  assert.equal(m.questionAt(gone, [0]).questions.length, 3);
  assert.equal(gone.questions[1].relevant, "${dealt_with_commune} = 'yes'");
  assert.deepEqual(m.referencesTo(d, "dealt_with_commune").map((r) => r.name), ["sec_services", "sec_three_nos"]);
  const noOverall = m.deleteQuestion(d, m.findPath(d, "overall_satisfaction")).definition;
  assert.ok(!("overall" in noOverall.report));
});

test("moving keeps every question once and returns where it went", () => {
  const d = survey();
  // down within its group
  let r = m.moveQuestion(d, [0, 1], [0], 3);
  assert.deepEqual(r.path, [0, 2]);
  assert.deepEqual(m.questionAt(r.definition, [0]).questions.map((q) => q.name), ["intro", "sex", "age_band", "dealt_with_commune"]);
  // up to the top level, before everything
  r = m.moveQuestion(d, [1, 1, 2], [], 0);
  assert.deepEqual(r.path, [0]);
  assert.equal(r.definition.questions[0].name, "access_online");
  // into a later group: the target path is counted before the move
  r = m.moveQuestion(d, [0], [2], 0);
  assert.deepEqual(r.path, [1, 0]);
  assert.equal(m.questionAt(r.definition, [1, 0]).name, "sec_profile");
  assert.deepEqual(names(r.definition).sort(), names(d).sort());
  assert.throws(() => m.moveQuestion(d, [1], [1, 1], 0), m.ModelError);
  assert.throws(() => m.moveQuestion(d, [0, 1], [0, 2], 0), m.ModelError);
});

test("keyboard moves: up/down past a sibling and out at the edges, in and out of groups", () => {
  const d = survey();
  let r = m.moveByKey(d, [0, 2], "up");
  assert.deepEqual(r.path, [0, 1]);
  assert.equal(m.questionAt(r.definition, [0, 1]).name, "sex");
  r = m.moveByKey(d, [0, 2], "down");
  assert.deepEqual(r.path, [0, 3]);
  assert.equal(m.questionAt(r.definition, [0, 3]).name, "sex");
  r = m.moveByKey(d, [0, 0], "up"); // first in its group: out, before the group
  assert.deepEqual(r.path, [0]);
  assert.equal(r.definition.questions[0].name, "intro");
  r = m.moveByKey(d, [0, 3], "down"); // last in its group: out, after the group
  assert.deepEqual(r.path, [1]);
  assert.equal(r.definition.questions[1].name, "dealt_with_commune");
  assert.equal(m.moveByKey(d, [0], "up"), null);
  assert.equal(m.moveByKey(d, [d.questions.length - 1], "down"), null);
  r = m.moveByKey(d, [1, 2], "in"); // into sec_access, the group above it
  assert.deepEqual(r.path, [1, 1, 3]);
  assert.equal(m.moveByKey(d, [1, 1], "in"), null); // services_intro is not a group
  r = m.moveByKey(d, [1, 1, 1], "out");
  assert.deepEqual(r.path, [1, 2]);
  assert.equal(m.questionAt(r.definition, [1, 2]).name, "access_facilities");
});

test("renaming rewrites only the ${name} tokens, and the report", () => {
  const d = survey();
  d.questions[2].relevant = "${dealt_with_commune}='yes'  or '${dealt_with_commune}' = ${dealt_with_commune_x}";
  const { definition, references } = m.renameQuestion(d, [0, 3], "dealt");
  assert.equal(definition.questions[1].relevant, "${dealt} = 'yes'");
  assert.equal(definition.questions[2].relevant, "${dealt}='yes'  or '${dealt_with_commune}' = ${dealt_with_commune_x}");
  assert.equal(references, 3);
  const renamed = m.renameQuestion(d, m.findPath(d, "access_location"), "access_place").definition;
  assert.deepEqual(renamed.report.groups[0].questions, ["access_place", "access_facilities", "access_online"]);
  const incident = m.renameQuestion(d, m.findPath(d, "harassment"), "harassed").definition;
  assert.equal(incident.report.incidents[0].question, "harassed");
  assert.equal(incident.questions[3].questions[1].relevant, "${harassed} = 'yes'");
});

test("names stay unique and well-formed", () => {
  const d = survey();
  assert.throws(() => m.renameQuestion(d, [0, 1], "sex"), (error) => error.code === "bad_name");
  assert.throws(() => m.renameQuestion(d, [0, 1], "1abc"), m.ModelError);
  assert.throws(() => m.renameQuestion(d, [0, 1], "tuổi"), m.ModelError);
  assert.throws(() => m.renameQuestion(d, [0, 1], "a".repeat(65)), m.ModelError);
  assert.equal(m.nameProblem(d, [0, 1], "age_band"), null);
  assert.equal(m.renameQuestion(d, [0, 1], "age_band").definition, d);
  assert.equal(m.uniqueName(new Set(["q_1", "q_2"]), "q_1"), "q_3");
});

test("texts per language: empty removes, a new language joins the form's languages", () => {
  const d = survey();
  let next = m.setText(d, [0, 1], "label", "km", "ក្រុមអាយុ");
  assert.equal(m.questionAt(next, [0, 1]).label.km, "ក្រុមអាយុ");
  assert.deepEqual(next.languages, ["vi", "en", "km"]);
  next = m.setText(next, [0, 1], "hint", "vi", "Chọn một");
  next = m.setText(next, [0, 1], "hint", "vi", "");
  assert.ok(!("hint" in m.questionAt(next, [0, 1])));
  assert.deepEqual(m.missingTranslations(m.questionAt(next, [0, 2]), next.languages), [{ field: "label", language: "km" }]);
  assert.deepEqual(m.missingTranslations(m.questionAt(next, [0, 1]), next.languages), []);
  const title = m.setFormText(d, "title", "en", "");
  assert.deepEqual(Object.keys(title.title), ["vi"]);
});

test("properties: blanks and false flags go; a type change drops what the type cannot carry", () => {
  const d = survey();
  let next = m.setProperty(d, [0, 1], "required", false);
  assert.ok(!("required" in m.questionAt(next, [0, 1])));
  next = m.setProperty(next, [0, 1], "relevant", "");
  assert.ok(!("relevant" in m.questionAt(next, [0, 1])));
  next = m.changeType(d, [1, 1, 0], "integer"); // a likert item
  const changed = m.questionAt(next, [1, 1, 0]);
  assert.equal(changed.type, "integer");
  assert.ok(!("choices" in changed) && !("allow_na" in changed));
  assert.equal(changed.required, true);
  assert.throws(() => m.changeType(d, [0], "text"), (error) => error.code === "group_not_empty");
  const calc = m.changeType(d, [0, 0], "calculate");
  assert.equal(m.questionAt(calc, [0, 0]).calculation, "0");
});

test("choice lists are shared: usage, rename (with the questions), safe delete, choices", () => {
  const d = survey();
  assert.equal(m.listUsage(d, "satisfaction").length, 19);
  let next = m.renameChoiceList(d, "yes_no", "co_khong");
  assert.deepEqual(Object.keys(next.choice_lists), ["satisfaction", "co_khong", "sex", "age_bands", "trend"]);
  assert.equal(m.questionAt(next, [0, 3]).choices, "co_khong");
  assert.throws(() => m.renameChoiceList(d, "yes_no", "sex"), m.ModelError);
  assert.throws(() => m.deleteChoiceList(d, "sex"), (error) => error.code === "list_in_use");
  const added = m.addChoiceList(d, "sex", [{ value: "a", label: { vi: "A" } }]);
  assert.equal(added.name, "sex_2");
  next = m.deleteChoiceList(added.definition, "sex_2");
  assert.ok(!("sex_2" in next.choice_lists));
  next = m.addChoice(d, "yes_no");
  assert.deepEqual(next.choice_lists.yes_no[2], { value: "3", label: { vi: "Lựa chọn 3" } });
  next = m.moveChoice(next, "yes_no", 2, -1);
  assert.deepEqual(next.choice_lists.yes_no.map((c) => c.value), ["yes", "3", "no"]);
  next = m.setChoiceValue(next, "yes_no", 1, "yes");
  assert.deepEqual(m.choiceProblems(next.choice_lists.yes_no).map((p) => p && p.en), [null, "Duplicate value: yes", null]);
  next = m.setChoiceText(next, "yes_no", 0, "km", "បាទ");
  assert.ok(next.languages.includes("km"));
  assert.equal(d.choice_lists.yes_no.length, 2);
});

test("report metadata: SIPAS group, conduct group, single roles, lists, incidents", () => {
  const d = survey();
  assert.deepEqual(m.reportRole(d, "access_location").group, "access");
  let next = m.setReportGroup(d, "access_location", "results");
  assert.ok(!next.report.groups[0].questions.includes("access_location"));
  assert.deepEqual(next.report.groups[3].questions, ["res_on_time", "res_correct", "access_location"]);
  next = m.setReportGroup(next, "access_location", "five_knows");
  assert.ok(next.report.conduct.questions.includes("access_location"));
  assert.equal(m.reportRole(next, "access_location").conduct, true);
  next = m.setReportGroup(next, "access_location", null);
  assert.equal(m.reportRole(next, "access_location").group, null);
  assert.equal(m.reportRole(next, "access_location").conduct, false);
  next = m.setReportSingle(d, "overall", "know_listen", true);
  assert.equal(next.report.overall, "know_listen");
  next = m.setReportListed(d, "breakdowns", "sex", false);
  assert.deepEqual(next.report.breakdowns, ["age_band"]);
  next = m.setIncident(d, "harassment", "yes", null);
  assert.deepEqual(next.report.incidents.map((i) => i.question), ["avoided_responsibility", "missed_appointment"]);
  const bare = { schema_version: 1, name: "f", title: { vi: "F" }, languages: ["vi"], default_language: "vi", questions: [] };
  const withGroup = m.addReportGroup(bare, { vi: "Tiếp cận" });
  assert.deepEqual(withGroup.definition.report, { satisfied_values: ["4", "5"], not_applicable_value: "na", groups: [{ key: "group_1", label: { vi: "Tiếp cận" }, questions: [] }] });
});

test("what the designer cannot open is recognised", () => {
  assert.equal(m.designable(survey()), true);
  assert.equal(m.designable({ questions: [] }), true);
  assert.equal(m.designable({}), true);
  assert.equal(m.designable([]), false);
  assert.equal(m.designable({ questions: {} }), false);
  assert.equal(m.designable({ questions: ["x"] }), false);
  assert.equal(m.designable({ questions: [{ type: "group", questions: "no" }] }), false);
});

test("a 1,000-question form: an edit copies only its path", () => {
  const questions = Array.from({ length: 50 }, (_, g) => ({
    type: "group", name: `g${g}`, label: { vi: "G" },
    questions: Array.from({ length: 19 }, (_, i) => ({ type: "text", name: `q${g}_${i}`, label: { vi: "Q" } })),
  }));
  const d = { schema_version: 1, name: "big", title: { vi: "B" }, languages: ["vi"], default_language: "vi", questions };
  // its speed is printed by bench/designer_js.mjs, not asserted here
  let next = d;
  for (let i = 0; i < 200; i += 1) next = m.setText(next, [25, 7], "label", "vi", `Q ${i}`);
  const moved = m.moveByKey(next, [25, 7], "down");
  assert.equal(m.flatten(moved.definition).length, 1000);
  assert.equal(moved.definition.questions[3], d.questions[3]);
});
