// Runs every shared vector of forms/vectors/logic.json on the JavaScript side.
// tests/forms/test_logic_vectors.py runs the same file on the Python side.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  ExpressionError, applyLogic, evaluate, normalizeText, parse, validateAnswers, walkQuestions,
} from "../../pwa/js/form-logic.js";

const VECTORS = JSON.parse(readFileSync(new URL("../../forms/vectors/logic.json", import.meta.url), "utf8"));
const DEFINITIONS = VECTORS.definitions;

test("there are enough vectors", () => {
  assert.ok(VECTORS.expressions.length >= 200);
  assert.ok(VECTORS.apply_logic.length > 0 && VECTORS.validation.length > 0);
});

for (const vector of VECTORS.expressions) {
  test(`expression ${vector.id}`, () => {
    const options = { today: vector.today ?? VECTORS.today, current: vector.current ?? null };
    const run = () => evaluate(vector.expr, vector.answers ?? {}, options);
    if ("error" in vector) {
      assert.throws(run, (error) => {
        assert.ok(error instanceof ExpressionError, String(error));
        assert.equal(error.code, vector.error);
        assert.ok(error.messages.vi && error.messages.en);
        return true;
      });
    } else {
      assert.deepEqual(run(), vector.expect, vector.expr);
    }
  });
}

for (const vector of VECTORS.apply_logic) {
  test(`apply_logic ${vector.id}`, () => {
    const result = applyLogic(DEFINITIONS[vector.definition], vector.answers, { today: vector.today ?? VECTORS.today });
    assert.deepEqual(result.answers, vector.expect.answers);
    assert.deepEqual(result.skipped, vector.expect.skipped);
    assert.ok(result.visible instanceof Set);
    for (const name of vector.expect.visible_includes ?? []) assert.ok(result.visible.has(name), name);
    for (const name of vector.expect.hidden_includes ?? []) assert.ok(!result.visible.has(name), name);
  });
}

for (const vector of VECTORS.validation) {
  test(`validation ${vector.id}`, () => {
    const definition = DEFINITIONS[vector.definition];
    const today = vector.today ?? VECTORS.today;
    const errors = validateAnswers(definition, vector.answers, { today });
    assert.equal(errors.length, vector.expect.errors.length, JSON.stringify(errors));
    const picked = errors.map((error, i) => Object.fromEntries(
      Object.keys(vector.expect.errors[i]).map((key) => [key, error[key]])));
    assert.deepEqual(picked, vector.expect.errors);
    if (vector.expect.answers) assert.deepEqual(applyLogic(definition, vector.answers, { today }).answers, vector.expect.answers);
    if (vector.expect.skipped) assert.deepEqual(applyLogic(definition, vector.answers, { today }).skipped, vector.expect.skipped);
  });
}

test("parse caches its AST", () => {
  assert.equal(parse("${a} = 1"), parse("${a} = 1"));
  assert.deepEqual(parse("${a} = 1"), ["op", "=", ["ref", "a"], ["num", 1]]);
});

test("walkQuestions flattens groups with their nesting", () => {
  const walked = walkQuestions(DEFINITIONS.logic_demo);
  const praise = walked.find((entry) => entry.name === "praise");
  assert.deepEqual(praise.groups, ["service", "praise_group"]);
  assert.equal(praise.parent, "praise_group");
  assert.equal(praise.depth, 2);
  assert.equal(praise.path, "questions[3].questions[3].questions[0]");
});

test("normalizeText composes decomposed Vietnamese", () => {
  assert.equal(normalizeText("Ha\u0300"), "Hà");
});

test("the engine uses neither eval nor new Function", () => {
  for (const file of ["form-logic.js", "form-logic-expr.js", "form-logic-values.js"]) {
    const source = readFileSync(new URL(`../../pwa/js/${file}`, import.meta.url), "utf8").replace(/\/\/.*$/gm, "");
    assert.doesNotMatch(source, /\beval\s*\(|new\s+Function/);
  }
});
