import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBytes } from '../../pwa/js/i18n.js';

test('storage sizes read as a person says them: KB, MB, then GB', () => {
  assert.equal(formatBytes(246 * 1024), '246 KB');
  assert.equal(formatBytes(12.5 * 1024 * 1024), '12.5 MB');
  assert.equal(formatBytes(10240.2 * 1024 * 1024), '10.0 GB');
  assert.equal(formatBytes(Number.NaN), '?');
});
