// The filling helpers that need no DOM: date bounds from constraints, Likert blocks,
// the form's own language, draft labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { firstAnswers, latestDate, likertBlocks } from '../../pwa/js/ui/inputs.js';
import { formLanguage, inFormLanguage } from '../../pwa/js/ui/language-switch.js';

const survey = JSON.parse(readFileSync(new URL('../../forms/resident_survey.json', import.meta.url), 'utf8'));
const date = (constraint) => ({ name: 'd', type: 'date', label: { vi: 'Ngày' }, constraint });

test('a date question that forbids the future gets today (or yesterday) as its max', () => {
  assert.equal(latestDate(date('. <= today()'), {}, '2026-03-01'), '2026-03-01');
  assert.equal(latestDate(date('. < today()'), {}, '2026-03-01'), '2026-02-28');
  assert.equal(latestDate(date(". <= today() and . >= '2020-01-01'"), {}, '2026-12-31'), '2026-12-31');
});

test('no max when the constraint allows the future or says nothing of today', () => {
  assert.equal(latestDate(date(". >= '2020-01-01'"), {}, '2026-03-01'), null);
  assert.equal(latestDate(date(null), {}, '2026-03-01'), null);
  assert.equal(latestDate(date(". = '2026-01-01'"), {}, '2026-03-01'), null);
  assert.equal(latestDate(date('. <= today('), {}, '2026-03-01'), null, 'a broken expression is not a bound');
});

test('runs of Likert questions on one scale become blocks; others stay single', () => {
  const l = (name, choices = 'sat', allowNa = true) => ({ name, type: 'likert', choices, allow_na: allowNa });
  const runs = likertBlocks([l('a'), l('b'), { name: 'n', type: 'note' }, l('c'), l('d', 'other'), l('e', 'other'), l('f', 'other', false)]);
  assert.deepEqual(runs.map((r) => (Array.isArray(r) ? r.map((q) => q.name) : r.name)), [['a', 'b'], 'n', 'c', ['d', 'e'], 'f']);
});

test('the form language: the chosen one if the form has it, else the app language, else the default', () => {
  assert.equal(formLanguage(survey, 'en'), 'en');
  assert.equal(formLanguage(survey, 'km'), 'vi');
  assert.equal(formLanguage({ ...survey, languages: ['vi', 'km'] }, 'km'), 'km');
});

test('a form in Khmer: texts with km become Khmer; texts without stay as they were', () => {
  const form = {
    ...survey, languages: ['vi', 'km'],
    title: { vi: 'Phiếu', km: 'សំណួរ' },
    choice_lists: { yes_no: [{ value: 'yes', label: { vi: 'Có', km: 'បាទ/ចាស' } }, { value: 'no', label: { vi: 'Không' } }] },
    questions: [{ name: 'g', type: 'group', label: { vi: 'Nhóm', km: 'ក្រុម' }, questions: [
      { name: 'q', type: 'select_one', choices: 'yes_no', label: { vi: 'Câu hỏi', km: 'សំណួរ' }, hint: { vi: 'Gợi ý' } }] }],
  };
  const shown = inFormLanguage(form, 'km');
  assert.equal(shown.title, 'សំណួរ');
  assert.equal(shown.questions[0].label, 'ក្រុម');
  assert.equal(shown.questions[0].questions[0].label, 'សំណួរ');
  assert.deepEqual(shown.questions[0].questions[0].hint, { vi: 'Gợi ý' });
  assert.deepEqual(shown.choice_lists.yes_no.map((c) => c.label), ['បាទ/ចាស', { vi: 'Không' }]);
  assert.equal(form.questions[0].label.km, 'ក្រុម', 'the definition itself is not changed');
  assert.equal(inFormLanguage(form, 'vi'), form, 'the app language needs no copy');
});

test('a draft is labelled by its first answers in the form order', () => {
  const answers = { sex: 'female', age_band: '30_44', dealt_with_commune: 'yes', access_location: '4' };
  assert.equal(firstAnswers(survey, answers), 'Từ 30 đến 44 tuổi · Nữ · Có');
  assert.equal(firstAnswers(survey, {}), '');
  assert.equal(firstAnswers(null, answers), '');
});
