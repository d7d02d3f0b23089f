// "Fill with test answers" and the preview's one-language view of a draft
// (server/static/admin/designer/test-answers.js, preview.js).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import "./served-paths.mjs";   // /static/admin/designer/ -> /app/js/ resolved to pwa/js/

const { testAnswers } = await import("../../server/static/admin/designer/test-answers.js");
const { inLanguage } = await import("../../server/static/admin/designer/preview-language.js");
const { validateAnswers, applyLogic } = await import("../../pwa/js/form-logic.js");
const SURVEY = JSON.parse(readFileSync(new URL("../../forms/resident_survey.json", import.meta.url), "utf8"));
const TODAY = "2025-07-15";

test("test answers pass the form's own checks, for many seeds", () => {
  for (let seed = 1; seed <= 30; seed += 1) {
    const answers = testAnswers(SURVEY, { seed, today: TODAY });
    assert.deepEqual(validateAnswers(SURVEY, answers, { today: TODAY }), [], `seed ${seed}`);
    assert.ok(Object.keys(answers).length >= 4);
  }
});

test("test answers follow the logic: what the answers hide is not answered", () => {
  const seen = new Set();
  for (let seed = 1; seed <= 30; seed += 1) {
    const answers = testAnswers(SURVEY, { seed, today: TODAY });
    seen.add(answers.dealt_with_commune);
    if (answers.dealt_with_commune === "no") assert.ok(!("access_location" in answers));
    if (answers.dealt_with_commune === "yes") assert.ok("access_location" in answers);
    assert.deepEqual(applyLogic(SURVEY, answers, { today: TODAY }).answers, answers);
  }
  assert.deepEqual([...seen].sort(), ["no", "yes"]);
});

test("test answers respect ranges and constraints, and are repeatable", () => {
  const form = {
    schema_version: 1, name: "f", title: { vi: "F" }, languages: ["vi"], default_language: "vi",
    choice_lists: { c: [{ value: "a", label: { vi: "A" } }, { value: "b", label: { vi: "B" } }] },
    questions: [
      { type: "integer", name: "age", label: { vi: "Tuổi" }, min: 18, max: 99, required: true },
      { type: "decimal", name: "share", label: { vi: "Tỷ lệ" }, constraint: ". >= 0.5 and . <= 0.6" },
      { type: "select_multiple", name: "many", label: { vi: "Nhiều" }, choices: "c", constraint: "count-selected(.) = 1" },
      { type: "date", name: "when", label: { vi: "Ngày" }, constraint: ". <= today()" },
      { type: "text", name: "note", label: { vi: "Ghi chú" }, relevant: "${age} > 200" },
    ],
  };
  for (let seed = 1; seed <= 20; seed += 1) {
    const answers = testAnswers(form, { seed, today: TODAY });
    assert.ok(answers.age >= 18 && answers.age <= 99);
    assert.equal(answers.many.length, 1);
    assert.ok(!("note" in answers));
    assert.deepEqual(validateAnswers(form, answers, { today: TODAY }), []);
  }
  assert.deepEqual(testAnswers(form, { seed: 4, today: TODAY }), testAnswers(form, { seed: 4, today: TODAY }));
});

test("test answers for a 1,000-question form fill every question its logic shows", () => {
  const questions = Array.from({ length: 50 }, (_, g) => ({
    type: "group", name: `g${g}`, label: { vi: "G" },
    questions: Array.from({ length: 19 }, (_, i) => ({
      type: "likert", name: `q${g}_${i}`, label: { vi: "Q" }, choices: "satisfaction", allow_na: true,
      relevant: i ? `\${q${g}_${i - 1}} != ''` : undefined,
    })),
  }));
  const form = { ...SURVEY, questions, report: undefined };
  // its speed is printed by bench/designer_js.mjs, not asserted here
  const answers = testAnswers(form, { seed: 1 });
  assert.equal(Object.keys(answers).length, 950);
});

test("the preview shows one language, Vietnamese where a translation is missing", () => {
  const form = structuredClone(SURVEY);
  form.questions[0].questions[1].label.km = "ក្រុមអាយុ";
  const km = inLanguage(form, "km");
  assert.deepEqual(km.questions[0].questions[1].label, { vi: "ក្រុមអាយុ" });
  assert.deepEqual(km.questions[0].questions[2].label, { vi: "Giới tính của ông/bà" });
  const en = inLanguage(form, "en");
  assert.deepEqual(en.title, { vi: SURVEY.title.en });
  assert.deepEqual(en.choice_lists.yes_no[0].label, { vi: "Yes" });
  assert.equal(en.questions[1].relevant, SURVEY.questions[1].relevant);
  assert.deepEqual(SURVEY.questions[0].questions[1].label.vi, form.questions[0].questions[1].label.vi);
});
