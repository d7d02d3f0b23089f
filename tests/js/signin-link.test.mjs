import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  takeSigninCode, redeemSigninCode, refusalOf, signInWithCode, unsentOf,
} from '../../pwa/js/signin-link.js';
import { ApiError } from '../../pwa/js/api.js';

const CODE = 'Abc_def-123456789012345678901234567890123';

function address(hash, pathname = '/app/', search = '') {
  const calls = [];
  return {
    loc: { hash, pathname, search },
    hist: { replaceState: (...args) => calls.push(args) },
    calls,
  };
}

test('the code is taken from the address and the address forgets it at once', () => {
  const { loc, hist, calls } = address(`#signin=${CODE}`, '/app/', '?lang=en');
  assert.equal(takeSigninCode(loc, hist), CODE);
  assert.deepEqual(calls, [[null, '', '/app/?lang=en']]);
});

test('no code: the address is left alone', () => {
  for (const hash of ['', '#/home', '#/form/1', '#sign=x']) {
    const { loc, hist, calls } = address(hash);
    assert.equal(takeSigninCode(loc, hist), null);
    assert.equal(calls.length, 0);
  }
});

test('something that cannot be a code is taken out too, as an empty code', () => {
  for (const hash of ['#signin=', '#signin=short', '#signin=%E0%A4%A', '#signin=<script>alert(1)</script>xxxxxxxxxxxx']) {
    const { loc, hist, calls } = address(hash);
    assert.equal(takeSigninCode(loc, hist), '');
    assert.equal(calls.length, 1);
  }
});

function reply(status, body, type = 'application/json') {
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (name) => (name.toLowerCase() === 'content-type' ? type : null) },
    json: async () => body,
  };
}

test('redeeming posts the code and gives the login body', async () => {
  const sent = [];
  const login = { token: 'tok', expires_at: '2026-01-01T00:00:00Z', user: { id: 7, username: 'tnv.lan' } };
  const body = await redeemSigninCode(CODE, {
    deviceName: 'Điện thoại', onlyForUserId: 7,
    fetchImpl: async (url, init) => { sent.push([url, init]); return reply(201, login); },
  });
  assert.deepEqual(body, login);
  assert.equal(sent[0][0], '/api/v1/auth/signin-code');
  assert.equal(sent[0][1].method, 'POST');
  assert.equal(sent[0][1].credentials, 'omit');
  assert.deepEqual(JSON.parse(sent[0][1].body), { code: CODE, device_name: 'Điện thoại', only_for_user_id: 7 });
});

test('no only_for_user_id is sent when the phone holds nothing', async () => {
  let sent = null;
  await redeemSigninCode(CODE, {
    fetchImpl: async (url, init) => { sent = JSON.parse(init.body); return reply(201, { token: 't', user: { id: 1 } }); },
  });
  assert.equal('only_for_user_id' in sent, false);
});

test('refusals, a portal page and no signal are told apart', async () => {
  const cases = [
    [reply(401, { error: { code: 'signin_code_invalid', message: 'x' } }), 'invalid'],
    [reply(409, { error: { code: 'signin_code_other_user', message: 'x' } }), 'other_user'],
    [reply(429, { error: { code: 'too_many_attempts', message: 'x' } }), 'throttled'],
    [reply(400, { error: { code: 'bad_request', message: 'x' } }), 'invalid'],
    [reply(500, null, 'text/html'), 'failed'],
    [reply(200, null, 'text/html'), 'failed'],          // a captive portal's 200
  ];
  for (const [response, outcome] of cases) {
    const error = await redeemSigninCode(CODE, { fetchImpl: async () => response }).catch((e) => e);
    assert.ok(error instanceof ApiError);
    assert.equal(refusalOf(error), outcome, `${response.status}`);
  }
  const offline = await redeemSigninCode(CODE, { fetchImpl: async () => { throw new TypeError('Failed to fetch'); } }).catch((e) => e);
  assert.equal(refusalOf(offline), 'offline');
});

function store(records = [], exported = []) {
  return {
    async responsesInStates(states) { return records.filter((r) => states.includes(r.state)); },
    async getMeta(key) { return key === 'last_export' ? { uuids: exported } : undefined; },
  };
}

function session(user = null) {
  return {
    user,
    adopted: [],
    async adoptLogin(body) { this.adopted.push(body); this.user = body.user; },
  };
}

const LOGIN = { token: 'tok', user: { id: 8, username: 'tnv.binh', display_name: 'Trần Văn Bình' } };

test('a fresh phone signs in with the card', async () => {
  const s = session();
  const calls = [];
  const result = await signInWithCode(CODE, {
    session: s, store: store(), device: 'Phone',
    redeem: async (code, options) => { calls.push([code, options]); return LOGIN; },
  });
  assert.equal(result.outcome, 'signed_in');
  assert.deepEqual(s.adopted, [LOGIN]);
  assert.deepEqual(calls, [[CODE, { deviceName: 'Phone', onlyForUserId: null }]]);
});

test('a phone holding unsent responses asks for its own person only, and keeps them', async () => {
  const lan = { id: 7, username: 'tnv.lan', display_name: 'Nguyễn Thị Lan' };
  const s = session(lan);
  const records = [
    { uuid: 'a', state: 'queued', user_id: 7 },
    { uuid: 'b', state: 'draft', user_id: 7 },
    { uuid: 'c', state: 'acknowledged', user_id: 7 },
    { uuid: 'd', state: 'queued', user_id: 9 },
  ];
  let asked = null;
  const result = await signInWithCode(CODE, {
    session: s, store: store(records),
    redeem: async (code, options) => {
      asked = options.onlyForUserId;
      throw new ApiError('rejected', { status: 409, code: 'signin_code_other_user' });
    },
  });
  assert.equal(asked, 7);
  assert.deepEqual(result, { outcome: 'other_user', current: lan, waiting: 2 });
  assert.deepEqual(s.adopted, []);
  assert.equal(s.user, lan);
});

test('exported responses do not hold the phone back (the rule of logging out)', async () => {
  const records = [{ uuid: 'a', state: 'queued', user_id: 7 }];
  assert.equal(await unsentOf(store(records, ['a']), 7), 0);
  assert.equal(await unsentOf(store(records), 7), 1);
  let asked;
  await signInWithCode(CODE, {
    session: session({ id: 7 }), store: store(records, ['a']),
    redeem: async (code, options) => { asked = options.onlyForUserId; return LOGIN; },
  });
  assert.equal(asked, null);
});

test('an empty or refused code signs nobody in', async () => {
  const s = session();
  let called = false;
  const empty = await signInWithCode('', { session: s, store: store(), redeem: async () => { called = true; } });
  assert.equal(empty.outcome, 'invalid');
  assert.equal(called, false);
  const used = await signInWithCode(CODE, {
    session: s, store: store(),
    redeem: async () => { throw new ApiError('auth', { status: 401, code: 'signin_code_invalid' }); },
  });
  assert.equal(used.outcome, 'invalid');
  assert.deepEqual(s.adopted, []);
});
