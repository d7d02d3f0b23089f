// The condition builder against the shared vectors of forms/vectors/condition_builder.json
// (tests/forms/test_condition_vectors.py checks the same expressions with the Python engine).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import "./served-paths.mjs";   // /static/admin/designer/ -> /app/js/ resolved to pwa/js/

const builder = await import("../../server/static/admin/designer/condition-builder.js");
const { parse } = await import("../../pwa/js/form-logic-expr.js");
const VECTORS = JSON.parse(readFileSync(new URL("../../forms/vectors/condition_builder.json", import.meta.url), "utf8"));

test("there are vectors of every kind", () => {
  const kinds = new Set(VECTORS.read.map((vector) => (typeof vector.builder === "string" ? vector.builder : "model")));
  assert.deepEqual([...kinds].sort(), ["error", "model", "text_only"]);
  assert.ok(VECTORS.read.length >= 60);
  assert.deepEqual(builder.OPERATORS, VECTORS.operators);
});

for (const vector of VECTORS.read) {
  test(`read ${vector.id}`, () => {
    const reading = builder.readExpression(vector.text);
    if (vector.builder === "error") {
      assert.equal(reading.status, "error");
      assert.equal(reading.error.code, vector.error);
      assert.ok(reading.error.message.vi && reading.error.message.en);
    } else if (vector.builder === "text_only") {
      assert.equal(reading.status, "text");
    } else {
      assert.equal(reading.status, "builder");
      assert.deepEqual(reading.model, vector.builder);
      // The canonical text means the same: the engine reads it as the same rows.
      const canonical = builder.writeModel(reading.model);
      assert.equal(canonical, vector.canonical);
      assert.deepEqual(builder.readExpression(canonical).model, vector.builder);
      assert.deepEqual(builder.modelOfAst(parse(canonical)), builder.modelOfAst(parse(vector.text)));
    }
    // Lossless: opened and stored again with what the builder shows, the text is identical.
    const condition = builder.openCondition(vector.text);
    const shown = reading.status === "builder" ? reading.model : builder.emptyModel();
    assert.equal(condition.textFor(shown), vector.text);
    assert.equal(condition.editable, reading.status === "builder");
  });
}

for (const vector of VECTORS.write) {
  test(`write ${vector.id}`, () => {
    if (vector.error) {
      assert.throws(() => builder.writeModel(vector.model), (error) => {
        assert.ok(error instanceof builder.BuilderError);
        assert.equal(error.code, vector.error);
        assert.equal(error.row, vector.row);
        return true;
      });
      assert.equal(builder.modelProblem(vector.model).code, vector.error);
      return;
    }
    assert.equal(builder.writeModel(vector.model), vector.text);
    assert.equal(builder.modelProblem(vector.model), null);
    if (vector.text) assert.deepEqual(builder.readExpression(vector.text).model.rows, vector.model.rows);
  });
}

for (const vector of VECTORS.edits) {
  test(`edit ${vector.id}`, () => {
    assert.equal(builder.openCondition(vector.text).textFor(vector.model), vector.expect);
  });
}

test("an empty expression is an empty builder and stays empty", () => {
  for (const text of ["", null, undefined]) {
    const reading = builder.readExpression(text);
    assert.equal(reading.status, "empty");
    assert.deepEqual(reading.model, { combinator: "and", rows: [] });
    assert.equal(builder.openCondition(text).textFor(builder.emptyModel()), "");
  }
});

test("every builder model read from a vector survives text -> builder -> text -> builder", () => {
  for (const vector of VECTORS.read.filter((v) => typeof v.builder === "object")) {
    let text = vector.text;
    for (let round = 0; round < 3; round += 1) {
      const condition = builder.openCondition(text);
      const next = condition.textFor(condition.reading.model);
      assert.equal(next, text, vector.id);
      text = next;
    }
  }
});
