// node --test tests/js/kiosk-queue.test.mjs — the kiosk outbox's retry delays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../server/static/kiosk/queue.js';

const middle = () => 0.5;   // no jitter

test('the delay doubles with each failed try', () => {
  assert.deepEqual([0, 1, 2, 3, 4].map((n) => backoffDelay(n, middle)), [1000, 2000, 4000, 8000, 16000]);
});

test('the delay stops growing at a minute, however long the line is down', () => {
  assert.equal(backoffDelay(6, middle), 60_000);
  assert.equal(backoffDelay(500, middle), 60_000);
});

test('jitter keeps the delay within a quarter either way', () => {
  assert.equal(backoffDelay(3, () => 0), 6000);
  assert.equal(backoffDelay(3, () => 0.999999), 10000);
});
