// The form designer's own speed in the browser's language: test answers for a 1,000-question
// form, and 200 label edits plus a move on it (each edit copies only its path).
// Run: node bench/designer_js.mjs   Prints figures; never passes or fails.
import { readFileSync } from "node:fs";

import "../tests/js/served-paths.mjs";   // /static/admin/designer/ -> /app/js/ resolved to pwa/js/

const { testAnswers } = await import("../server/static/admin/designer/test-answers.js");
const model = await import("../server/static/admin/designer/model.js");
const SURVEY = JSON.parse(readFileSync(new URL("../forms/resident_survey.json", import.meta.url), "utf8"));

function bigForm(question) {
  return Array.from({ length: 50 }, (_, g) => ({
    type: "group", name: `g${g}`, label: { vi: "G" },
    questions: Array.from({ length: 19 }, (_, i) => question(g, i)),
  }));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(runs, work) {
  const times = [];
  for (let run = 0; run < runs; run += 1) {
    const start = performance.now();
    work();
    times.push(performance.now() - start);
  }
  return `median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (${runs} runs)`;
}

const likert = { ...SURVEY, report: undefined, questions: bigForm((g, i) => ({
  type: "likert", name: `q${g}_${i}`, label: { vi: "Q" }, choices: "satisfaction", allow_na: true,
  relevant: i ? `\${q${g}_${i - 1}} != ''` : undefined,
})) };
console.log(`test answers, 1,000-question form (950 chained Likert): ${timed(5, () => testAnswers(likert, { seed: 1 }))}`);

const plain = { schema_version: 1, name: "big", title: { vi: "B" }, languages: ["vi"], default_language: "vi",
  questions: bigForm((g, i) => ({ type: "text", name: `q${g}_${i}`, label: { vi: "Q" } })) };
console.log(`200 label edits + a move, 1,000-question form: ${timed(5, () => {
  let next = plain;
  for (let i = 0; i < 200; i += 1) next = model.setText(next, [25, 7], "label", "vi", `Q ${i}`);
  model.moveByKey(next, [25, 7], "down");
})}`);
