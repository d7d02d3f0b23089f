import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { applyLogic } from '../../pwa/js/form-logic.js';
import { buildPages, nextShownPage, questionsOf } from '../../pwa/js/pages.js';
import { progressCount, showingDependsOn } from '../../pwa/js/progress-count.js';

const survey = JSON.parse(readFileSync(new URL('../../forms/resident_survey.json', import.meta.url), 'utf8'));
const q = (name, type = 'select_one', extra = {}) => ({ name, type, label: { vi: name }, choices: 'yn', ...extra });

// A form that branches three ways: a whole group on an answer, a detail on the same
// screen as its question, and a later screen through a calculate and a nested group.
const branchy = {
  choice_lists: { yn: [{ value: 'yes', label: { vi: 'Có' } }, { value: 'no', label: { vi: 'Không' } }] },
  questions: [
    q('hello', 'note'),
    { name: 'start', type: 'group', questions: [q('a'), q('b'), q('b_detail', 'text', { relevant: "${b} = 'yes'" })] },
    { name: 'branch', type: 'group', relevant: "${a} = 'yes'", appearance: 'one-per-screen',
      questions: [q('c'), q('d'), { name: 'inner', type: 'group', relevant: "${d} = 'no'", questions: [q('e'), q('f')] }] },
    q('score', 'calculate', { calculation: "if(${c} = 'yes', 1, 0)" }),
    q('g', 'select_one', { relevant: '${score} = 1' }),
    q('h'),
    q('bye', 'note'),
  ],
};

function counterAt(definition, answers, index) {
  const pages = buildPages(definition);
  return progressCount(definition, pages, applyLogic(definition, answers).visible, index);
}

test('what decides whether a question shows: its rules, its groups\', through calculates', () => {
  assert.deepEqual([...showingDependsOn(branchy, 'e')].sort(), ['a', 'd']);
  assert.deepEqual([...showingDependsOn(branchy, 'g')].sort(), ['a', 'c', 'score']);
  assert.deepEqual([...showingDependsOn(branchy, 'h')], []);
});

test('the first screen counts every question a branch may still open', () => {
  // a, b, (b_detail), c, d, (e, f), (g), h: nothing is settled yet.
  assert.deepEqual(counterAt(branchy, {}, 0), { first: 1, last: 2, total: 9 });
  // Answers on the screen do not move the total: the volunteer may still change them.
  assert.deepEqual(counterAt(branchy, { a: 'no', b: 'no' }, 0), { first: 1, last: 2, total: 9 });
  assert.deepEqual(counterAt(branchy, { a: 'no', b: 'yes' }, 0), { first: 1, last: 3, total: 9 });
});

test('leaving a screen drops the branches its answers closed', () => {
  const pages = buildPages(branchy);
  const answers = { a: 'no', b: 'no' };
  const next = nextShownPage(pages, applyLogic(branchy, answers).visible, 0, +1);
  assert.deepEqual(pages[next].names, ['h', 'bye']);
  assert.deepEqual(counterAt(branchy, answers, next), { first: 3, last: 3, total: 3 });
});

test('a question not shown whose rule looks only at passed screens is not counted', () => {
  const pages = buildPages(branchy);
  const at = pages.findIndex((p) => p.names.includes('d'));
  // c = 'no' on the screen passed: g (through the calculate) is out; e, f hang on d, here.
  assert.deepEqual(counterAt(branchy, { a: 'yes', b: 'no', c: 'no' }, at), { first: 4, last: 4, total: 7 });
  assert.deepEqual(counterAt(branchy, { a: 'yes', b: 'no', c: 'yes' }, at), { first: 4, last: 4, total: 8 });
});

/** Every forward pass of a form for the answers `choose` gives, screen by screen. */
function forwardPass(definition, choose) {
  const pages = buildPages(definition);
  let answers = {};
  let index = nextShownPage(pages, applyLogic(definition, answers).visible, -1, +1);
  const seen = [];
  while (index >= 0) {
    const onScreen = [progressCount(definition, pages, applyLogic(definition, answers).visible, index)];
    // Answer the screen one question at a time, as shown (an answer may reveal the next).
    for (;;) {
      const { visible } = applyLogic(definition, answers);
      const todo = questionsOf(pages[index].items).find((x) => visible.has(x.name) && !(x.name in answers));
      if (!todo) break;
      answers = applyLogic(definition, { ...answers, [todo.name]: choose(todo) }).answers;
      onScreen.push(progressCount(definition, pages, applyLogic(definition, answers).visible, index));
    }
    seen.push(onScreen);
    index = nextShownPage(pages, applyLogic(definition, answers).visible, index, +1);
  }
  return { seen, answers };
}

function assertMonotone(seen, asked) {
  const flat = seen.flat();
  for (let i = 1; i < flat.length; i += 1) {
    assert.ok(flat[i].total <= flat[i - 1].total, `the total grew: ${JSON.stringify(flat.slice(i - 1, i + 1))}`);
  }
  for (const screen of seen) {
    assert.ok(new Set(screen.map((c) => c.total)).size === 1, `the total moved on a screen: ${JSON.stringify(screen)}`);
  }
  const arrivals = seen.map((screen) => screen[0]);
  const departures = seen.map((screen) => screen.at(-1));
  for (let i = 1; i < seen.length; i += 1) {
    assert.ok(arrivals[i].first > departures[i - 1].last, `numbers went back: ${JSON.stringify(seen)}`);
    assert.ok(arrivals[i].last / arrivals[i].total >= departures[i - 1].last / departures[i - 1].total,
      `the bar went back: ${JSON.stringify(seen)}`);
  }
  assert.equal(departures.at(-1).last, asked, 'the last number is the count of questions asked');
}

function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

function chooser(definition, random) {
  return (question) => {
    if (question.type === 'text') return 'Chờ lâu.';
    if (question.type === 'integer') return 40;
    if (question.type === 'date') return '2026-01-02';
    const values = definition.choice_lists[question.choices].map((c) => c.value);
    const value = values[Math.floor(random() * values.length)];
    return question.type === 'select_multiple' ? [value] : value;
  };
}

test('the resident survey: both branches, the counter never goes back and ends at the questions asked', () => {
  for (const dealt of ['yes', 'no']) {
    const { seen, answers } = forwardPass(survey, (question) => (
      question.name === 'dealt_with_commune' ? dealt : chooser(survey, () => 0)(question)));
    const asked = Object.keys(answers).length;
    assertMonotone(seen, asked);
    assert.equal(seen[0][0].total, 30, 'at the start: every question the survey may ask');
    const second = seen[1][0];
    assert.equal(second.total, dealt === 'yes' ? 30 : 11, JSON.stringify(second));
    assert.equal(seen.at(-1).at(-1).total, asked, 'full at the end');
  }
});

test('random forward passes through branching forms never move the counter back', () => {
  for (const definition of [survey, branchy]) {
    for (let seed = 1; seed <= 60; seed += 1) {
      const { seen, answers } = forwardPass(definition, chooser(definition, seeded(seed)));
      assertMonotone(seen, Object.keys(answers).filter((name) => name !== 'score').length);
    }
  }
});
