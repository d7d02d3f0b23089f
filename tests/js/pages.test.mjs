import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  buildPages, nextShownPage, pageOfQuestion, isShown, pageShown,
} from '../../pwa/js/pages.js';

const q = (name, type = 'likert', extra = {}) => ({ name, type, label: { vi: name }, ...extra });
const definition = {
  questions: [
    q('intro', 'note'),
    { name: 'small', type: 'group', questions: [q('a'), q('b')] },
    { name: 'big', type: 'group', questions: [q('c'), q('d'), q('e'), q('f'), q('g'), q('h'), q('i')] },
    { name: 'split', type: 'group', appearance: 'one-per-screen', questions: [q('j'), q('k')] },
    { name: 'listed', type: 'group', appearance: 'field-list', questions: [q('l'), q('m'), q('n'), q('o'), q('p'), q('r'), q('s')] },
    q('calc', 'calculate'),
    q('last', 'text'),
    q('bye', 'note'),
  ],
};
const names = (pages) => pages.map((p) => p.items.map((i) => i.name));

test('phone: a group of questions is one screen (field-list); notes go with the next screen', () => {
  assert.deepEqual(names(buildPages(definition)), [
    ['intro', 'small'], ['c'], ['d'], ['e'], ['f'], ['g'], ['h'], ['i'], ['j'], ['k'], ['listed'], ['last', 'bye'],
  ]);
});

test('more than six questions are split unless the group says field-list; one-per-screen splits', () => {
  const pages = buildPages(definition);
  assert.equal(pages[1].groups[0].name, 'big', 'split pages remember their group');
  assert.equal(pages[8].groups[0].name, 'split');
  assert.deepEqual(pages[10].names, ['listed', 'l', 'm', 'n', 'o', 'p', 'r', 's']);
});

test('a group with subgroups is split into them', () => {
  const nested = { questions: [{ name: 'outer', type: 'group', questions: [
    q('outer_intro', 'note'),
    { name: 'g1', type: 'group', questions: [q('a'), q('b'), q('c')] },
    { name: 'g2', type: 'group', questions: [q('d'), q('e')] },
  ] }] };
  const pages = buildPages(nested);
  assert.deepEqual(names(pages), [['outer_intro', 'g1'], ['g2']]);
  assert.deepEqual(pages[1].groups.map((g) => g.name), ['outer']);
});

test('tablet: a whole top-level group per page, unless one-per-screen', () => {
  const pages = buildPages(definition, { wide: true });
  assert.deepEqual(pages.map((p) => p.items.at(-1).name), ['small', 'big', 'j', 'k', 'listed', 'bye']);
  assert.deepEqual(pages[1].names, ['big', 'c', 'd', 'e', 'f', 'g', 'h', 'i']);
});

test('hidden pages are skipped in both directions; a note alone does not keep a page', () => {
  const pages = buildPages(definition);
  const visible = new Set(['intro', 'a', 'b', 'c', 'last', 'bye']);
  assert.equal(nextShownPage(pages, visible, 1, +1), 11);
  assert.equal(nextShownPage(pages, visible, 11, -1), 1);
  assert.equal(nextShownPage(pages, visible, 11, +1), -1);
  assert.equal(pageShown({ items: [q('intro', 'note'), definition.questions[1]] }, new Set(['intro'])), false);
  assert.equal(pageShown({ items: [q('intro', 'note')] }, new Set(['intro'])), true);
});

test('a group shows when any child shows', () => {
  assert.equal(isShown(definition.questions[1], new Set(['b'])), true);
  assert.equal(isShown(definition.questions[1], new Set(['small'])), false);
  assert.equal(pageOfQuestion(buildPages(definition), 'b'), 0);
});

test('the default resident survey fills in fewer than 12 screens', () => {
  const survey = JSON.parse(readFileSync(new URL('../../forms/resident_survey.json', import.meta.url), 'utf8'));
  const pages = buildPages(survey);
  assert.ok(pages.length < 12, `${pages.length} screens: ${JSON.stringify(names(pages))}`);
  assert.equal(pageOfQuestion(pages, 'services_intro'), pageOfQuestion(pages, 'access_location'));
});
