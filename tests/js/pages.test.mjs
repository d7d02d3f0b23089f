import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPages, nextShownPage, pageOfQuestion, isShown } from '../../pwa/js/pages.js';

const q = (name, type = 'likert') => ({ name, type, label: { vi: name } });
const definition = {
  questions: [
    q('intro', 'note'),
    { name: 'small', type: 'group', questions: [q('a'), q('b')] },
    { name: 'big', type: 'group', questions: [q('c'), q('d'), q('e'), q('f')] },
    q('calc', 'calculate'),
    q('last', 'text'),
  ],
};

test('phone: one question or one small group per page; big groups are split', () => {
  const pages = buildPages(definition);
  assert.deepEqual(pages.map((p) => p.items.map((i) => i.name)), [['intro'], ['small'], ['c'], ['d'], ['e'], ['f'], ['last']]);
  assert.equal(pages[2].groups[0].name, 'big', 'split pages remember their group');
});

test('tablet: a whole top-level group per page', () => {
  const pages = buildPages(definition, { wide: true });
  assert.deepEqual(pages.map((p) => p.items[0].name), ['intro', 'small', 'big', 'last']);
  assert.deepEqual(pages[2].names, ['big', 'c', 'd', 'e', 'f']);
});

test('hidden pages are skipped in both directions', () => {
  const pages = buildPages(definition);
  const visible = new Set(['intro', 'a', 'b', 'c', 'last']);
  assert.equal(nextShownPage(pages, visible, 2, +1), 6);
  assert.equal(nextShownPage(pages, visible, 6, -1), 2);
  assert.equal(nextShownPage(pages, visible, 6, +1), -1);
});

test('a group shows when any child shows', () => {
  assert.equal(isShown(definition.questions[1], new Set(['b'])), true);
  assert.equal(isShown(definition.questions[1], new Set(['small'])), false);
  assert.equal(pageOfQuestion(buildPages(definition), 'b'), 1);
});
