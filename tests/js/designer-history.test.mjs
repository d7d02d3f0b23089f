// Undo and redo of the form designer (server/static/admin/designer/history.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { History } from "../../server/static/admin/designer/history.js";

function clock() {
  let now = 0;
  return { now: () => now, advance: (ms) => { now += ms; } };
}

test("undo and redo walk the states back and forth", () => {
  const history = new History("a");
  assert.equal(history.canUndo, false);
  history.push("b");
  history.push("c");
  assert.equal(history.undo(), "b");
  assert.equal(history.undo(), "a");
  assert.equal(history.undo(), null);
  assert.equal(history.present, "a");
  assert.equal(history.redo(), "b");
  assert.equal(history.redo(), "c");
  assert.equal(history.redo(), null);
  assert.equal(history.canRedo, false);
});

test("a new edit after undo drops the redo steps", () => {
  const history = new History(1);
  history.push(2);
  history.push(3);
  history.undo();
  history.push(4);
  assert.equal(history.canRedo, false);
  assert.equal(history.undo(), 2);
  assert.equal(history.undo(), 1);
});

test("typing into one field is one step; another field or a pause starts a new one", () => {
  const time = clock();
  const history = new History("", { coalesceMs: 1000, now: time.now });
  for (const text of ["T", "Th", "Thô", "Thôn"]) {
    history.push(text, { coalesce: "label:vi" });
    time.advance(200);
  }
  assert.equal(history.present, "Thôn");
  assert.equal(history.past.length, 1);
  history.push("Thôn 1", { coalesce: "label:en" });
  assert.equal(history.past.length, 2);
  time.advance(5000);
  history.push("Thôn 12", { coalesce: "label:en" });
  assert.equal(history.past.length, 3);
  assert.equal(history.undo(), "Thôn 1");
  assert.equal(history.undo(), "Thôn");
  assert.equal(history.undo(), "");
});

test("an undo ends the typing run: the next keystroke is a new step", () => {
  const time = clock();
  const history = new History("a", { now: time.now });
  history.push("ab", { coalesce: "x" });
  history.undo();
  history.push("ac", { coalesce: "x" });
  assert.equal(history.undo(), "a");
  history.push("b", { coalesce: "y" });
  history.seal();
  history.push("bc", { coalesce: "y" });
  assert.equal(history.undo(), "b");
});

test("replace changes the present without a step (the selection moved)", () => {
  const history = new History({ d: 1, s: null });
  history.push({ d: 2, s: [0] });
  history.replace({ d: 2, s: [1] });
  assert.deepEqual(history.undo(), { d: 1, s: null });
  assert.deepEqual(history.redo(), { d: 2, s: [1] });
});

test("the oldest steps go past the limit", () => {
  const history = new History(0, { limit: 3 });
  for (let i = 1; i <= 10; i += 1) history.push(i);
  assert.equal(history.undo(), 9);
  assert.equal(history.undo(), 8);
  assert.equal(history.undo(), 7);
  assert.equal(history.undo(), null);
  history.reset("fresh");
  assert.equal(history.canUndo, false);
  assert.equal(history.present, "fresh");
});
