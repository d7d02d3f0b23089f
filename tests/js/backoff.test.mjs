import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../pwa/js/backoff.js';

const noJitter = { baseMs: 1000, capMs: 60_000, jitter: 0 };

test('no failures means no wait', () => {
  assert.equal(backoffDelay(0, noJitter), 0);
});

test('delay doubles with each failure', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, noJitter)), [1000, 2000, 4000, 8000]);
});

test('delay is capped, even after very many failures', () => {
  assert.equal(backoffDelay(7, noJitter), 60_000);
  assert.equal(backoffDelay(500, noJitter), 60_000);
  assert.ok(backoffDelay(500, { baseMs: 1000, capMs: 60_000, jitter: 0.5 }, () => 0.999) <= 60_000);
});

test('jitter spreads the delay around the exponential value', () => {
  const options = { baseMs: 1000, capMs: 60_000, jitter: 0.2 };
  assert.equal(backoffDelay(3, options, () => 0), 3200);
  assert.equal(backoffDelay(3, options, () => 1), 4800);
});

test('the default cap is a few minutes', () => {
  assert.ok(backoffDelay(100, undefined, () => 1) <= 5 * 60_000);
  assert.ok(backoffDelay(100, undefined, () => 1) >= 60_000);
});
