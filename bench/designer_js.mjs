// The form designer's own speed in the browser's language: test answers for a 1,000-question
// form, and 200 label edits plus a move on it (each edit copies only its path).
// Run: node bench/designer_js.mjs   Prints figures; never passes or fails.
import { register } from "node:module";
import { readFileSync } from "node:fs";

// The designer imports the volunteer app's modules relative to where both are served
// (/static/admin/designer/ -> /app/js/); in the repository they are in pwa/js/.
const ROOT = new URL("../", import.meta.url).href;
register(`data:text/javascript,${encodeURIComponent(`
  const ROOT = ${JSON.stringify(ROOT)};
  export async function resolve(specifier, context, next) {
    if (context.parentURL && specifier.startsWith(".")) {
      const url = new URL(specifier, context.parentURL).href;
      const served = ROOT + "server/app/";
      if (url.startsWith(served)) return { url: ROOT + "pwa/" + url.slice(served.length), shortCircuit: true };
    }
    return next(specifier, context);
  }`)}`);

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
