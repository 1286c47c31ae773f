import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { whiteLabel } from '../../mock/families/index.js';
import { Clock } from '../../mock/ledger/clock.js';
import { books, call, demoApp } from '../mock/support.js';
import { ADMIN, CREDITS_ADMIN, specIssues, USER_KEY } from '../mock/white-label-support.js';

// docs/fidelity.md, white-label rows marked "implemented": each documented request of
// docs.autocalls.ai sent as the page shows it, and the documented answer checked (status, shape, strings).

const TOKEN = /^\d+\|[A-Za-z0-9]{40}$/;
const LARAVEL_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describe('api-reference/white-label/transfer-balance (seed page)', () => {
  it('"Example: Adding Credits to a User": by email, 100 credits', async () => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/transfer', {
      bearer: ADMIN,
      json: { email: 'user@example.com', transfer_type: 'credits', operation: 'add', amount: 100 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      message: 'Transfer completed successfully.',
      transfer: { type: 'credits', operation: 'add', amount: 100 },
      user: { id: 123, email: 'user@example.com', name: 'John Doe', credits_balance: 100 },
    });
    expect(specIssues('transferWhiteLabelBalance', res)).toEqual([]);
  });

  it('"Example: Removing Minutes from a User": user_id 123, 50 minutes', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/transfer', {
      bearer: ADMIN,
      json: { user_id: 123, transfer_type: 'minutes', operation: 'remove', amount: 50 },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: 123, minutes_balance: 0.5 });
    expect(res.body.your_balance).toEqual({ minutes: 1000.5 });
  });

  // The page's two 200 examples (both on user 123) and its six error examples, with their exact strings,
  // are asserted by test/mock/white-label.test.ts and test/mock/white-label-errors.test.ts.
});

describe('api-reference/white-label/get-users', () => {
  it('"200 Response": users with balances and Laravel `created_at`; after both seed examples, user 123 shows 150.5 / 500', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/white-label/transfer', {
      bearer: ADMIN,
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 100 },
    });
    await call(app, 'POST', '/api/white-label/transfer', {
      bearer: ADMIN,
      json: { user_id: 123, transfer_type: 'credits', operation: 'add', amount: 500 },
    });
    const res = await call(app, 'GET', '/api/white-label/users', { bearer: ADMIN });
    expect(res.status).toBe(200);
    expect(specIssues('listWhiteLabelUsers', res)).toEqual([]);
    const [john, jane] = res.body.data;
    expect(john).toMatchObject({ id: 123, name: 'John Doe', minutes_balance: 150.5, credits_balance: 500 });
    expect(jane).toMatchObject({
      id: 124,
      name: 'Jane Smith',
      email: 'jane@example.com',
      minutes_balance: 75.25,
      credits_balance: 250,
    });
    expect(john.created_at).toMatch(LARAVEL_TIME);
  });

  it('"200 Empty Response": {"data": []} for a platform without users', async () => {
    const app = new MockApp({
      clock: Clock.controlled('2025-06-01T12:00:00Z'),
      seed: { whiteLabel: { platforms: [{ adminKey: 'wl_empty', minutes: 0, users: [] }] } },
    });
    const res = await call(app, 'GET', '/api/white-label/users', { bearer: 'wl_empty' });
    expect(res).toMatchObject({ status: 200, body: { data: [] } });
  });

  it('"Regular users will receive a 403 Forbidden error."', async () => {
    const res = await call(demoApp(), 'GET', '/api/white-label/users', { bearer: USER_KEY });
    expect(res).toMatchObject({ status: 403, body: { error: 'You are not a white label admin.' } });
  });
});

describe('api-reference/white-label/register', () => {
  it('"Example Request" answers "201 Created" with `Registration successful.`', async () => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/register', {
      bearer: ADMIN,
      json: {
        name: 'John Roe',
        email: 'john.roe@example.com',
        password: 'securepassword123',
        timezone: 'America/New_York',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      message: 'Registration successful.',
      user: { id: 126, name: 'John Roe', email: 'john.roe@example.com' },
      token: expect.stringMatching(TOKEN),
    });
    expect(specIssues('registerWhiteLabelUser', res)).toEqual([]);
  });

  it('`timezone` "Defaults to \\"Europe/Bucharest\\""', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/white-label/register', {
      bearer: ADMIN,
      json: { name: 'No Zone', email: 'nozone@example.com', password: 'securepassword123' },
    });
    const state = app.stateOf(whiteLabel);
    expect(state.users['1:126']?.timezone).toBe('Europe/Bucharest');
  });

  it('"403 Not White Label Admin"', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/register', {
      bearer: USER_KEY,
      json: { name: 'X', email: 'x@example.com', password: 'securepassword123' },
    });
    expect(res).toMatchObject({ status: 403, body: { error: 'You are not a white label admin.' } });
  });
});

describe('api-reference/white-label/create-token', () => {
  it('"Example Request" by user_id: `Token created successfully.`, `token_name` "api-token"', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { user_id: 123 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: 'Token created successfully.',
      user: { id: 123, name: 'John Doe', email: 'user@example.com' },
      token: expect.stringMatching(TOKEN),
      token_name: 'api-token',
    });
  });

  it('"Or by email" with `token_name` "kpi-dashboard", and the token reads the user\'s `/api/user/me`', async () => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { email: 'jane@example.com', token_name: 'kpi-dashboard' },
    });
    expect(res.body).toMatchObject({ user: { id: 124, name: 'Jane Smith' }, token_name: 'kpi-dashboard' });
    const me = await call(app, 'GET', '/api/user/me', { bearer: res.body.token });
    expect(me.body).toMatchObject({ name: 'Jane Smith', email: 'jane@example.com' });
  });

  it.each([
    ['404 User Not Found', ADMIN, { user_id: 999 }, 404, { error: 'User not found.' }],
    [
      '403 Not White Label Admin',
      USER_KEY,
      { user_id: 123 },
      403,
      { error: 'You are not a white label admin.' },
    ],
  ])('"%s"', async (_, key, json, status, body) => {
    const res = await call(demoApp(), 'POST', '/api/white-label/token', { bearer: key, json });
    expect(res).toMatchObject({ status, body });
  });

  it('"422 Validation Error" without user_id and email', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/token', { bearer: ADMIN, json: {} });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe('Either user_id or email is required.');
  });
});

describe('api-reference/white-label/login', () => {
  const documented = { email: 'user@example.com', password: 'userpassword123', token_name: 'Mobile App' };

  it('"Example Request" answers `Login successful.` with the user and a token named "Mobile App"', async () => {
    const app = demoApp();
    const before = books(app);
    const res = await call(app, 'POST', '/api/white-label/login', { bearer: ADMIN, json: documented });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: 'Login successful.',
      user: { id: 123, name: 'John Doe', email: 'user@example.com' },
      token: expect.stringMatching(TOKEN),
      token_name: 'Mobile App',
    });
    expect(specIssues('loginWhiteLabelUser', res)).toEqual([]);
    expect(books(app)).toEqual(before);
  });

  it('"Using the User Token": the token reads `GET /api/user/me` of that user', async () => {
    const app = demoApp();
    const login = await call(app, 'POST', '/api/white-label/login', { bearer: ADMIN, json: documented });
    const me = await call(app, 'GET', '/api/user/me', { bearer: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'John Doe', email: 'user@example.com', total_balance: 5.05 });
    const admin = await call(app, 'GET', '/api/white-label/users', { bearer: login.body.token });
    expect(admin.status).toBe(403);
  });

  it('`token_name` "Defaults to \\"api-token\\""; a registered user logs in with the password it registered', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/white-label/register', {
      bearer: CREDITS_ADMIN,
      json: { name: 'New', email: 'new@example.com', password: 'long enough secret' },
    });
    const res = await call(app, 'POST', '/api/white-label/login', {
      bearer: CREDITS_ADMIN,
      json: { email: 'NEW@example.com', password: 'long enough secret' },
    });
    expect(res.body).toMatchObject({
      message: 'Login successful.',
      user: { id: 126 },
      token_name: 'api-token',
    });
  });

  it.each([
    ['a wrong password', ADMIN, { email: 'user@example.com', password: 'wrong password' }],
    ['an unknown email', ADMIN, { email: 'nobody@example.com', password: 'userpassword123' }],
    ['a user without a password', ADMIN, { email: 'grace@example.com', password: 'anything at all' }],
    ["another platform's user", CREDITS_ADMIN, { email: 'jane@example.com', password: 'userpassword123' }],
  ])('"401 Invalid Credentials" for %s, nothing issued', async (_, key, json) => {
    const app = demoApp();
    const tokensBefore = JSON.stringify(app.stateOf(whiteLabel));
    const res = await call(app, 'POST', '/api/white-label/login', { bearer: key, json });
    expect(res).toEqual({ status: 401, body: { error: 'Invalid credentials.' }, headers: expect.anything() });
    expect(specIssues('loginWhiteLabelUser', res)).toEqual([]);
    expect(JSON.stringify(app.stateOf(whiteLabel))).toBe(tokensBefore);
  });

  it('"403 Not White Label Admin" for a user token', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/login', {
      bearer: USER_KEY,
      json: documented,
    });
    expect(res).toMatchObject({ status: 403, body: { error: 'You are not a white label admin.' } });
  });

  it('"422 Validation Error" naming the missing field', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/login', {
      bearer: ADMIN,
      json: { email: 'user@example.com' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      message: 'The password field is required.',
      errors: { password: ['The password field is required.'] },
    });
    expect(specIssues('loginWhiteLabelUser', res)).toEqual([]);
  });
});

describe('api-reference/user/me', () => {
  it("answers `name`, `email` and `total_balance` for the caller's own token", async () => {
    const res = await call(demoApp(), 'GET', '/api/user/me', { bearer: USER_KEY });
    expect(res.status).toBe(200);
    // 50.5 minutes at the demo platform's 0.10 USD a minute.
    expect(res.body).toMatchObject({ name: 'John Doe', email: 'user@example.com', total_balance: 5.05 });
    expect(specIssues('getCurrentUser', res)).toEqual([]);
  });

  it('"total_balance ... The user\'s current account balance in USD": minutes and credits at the platform\'s price', async () => {
    const seed = (usdPerMinute?: number) => ({
      whiteLabel: {
        platforms: [
          {
            adminKey: 'wl_priced',
            minutes: 0,
            ...(usdPerMinute === undefined ? {} : { usdPerMinute }),
            users: [{ id: 7, email: 'p@example.com', name: 'P', minutes: 1000, credits: 5 }],
          },
        ],
        userKeys: ['wl_priced_user'],
      },
    });
    const clock = Clock.controlled('2025-06-01T12:00:00Z');
    const priced = new MockApp({ clock, seed: seed(0.125) });
    const res = await call(priced, 'GET', '/api/user/me', { bearer: 'wl_priced_user' });
    // (1000 + 5 / 9) x 0.125 = 125.069... -> 125.07 USD, beside the minutes and credits themselves.
    expect(res.body).toMatchObject({ total_balance: 125.07, minutes_balance: 1000, credits_balance: 5 });
    const fallback = new MockApp({ clock, seed: seed() });
    const byDefault = await call(fallback, 'GET', '/api/user/me', { bearer: 'wl_priced_user' });
    expect(byDefault.body).toMatchObject({ total_balance: 100.06 });
  });
});

describe('api-reference/white-label/logout', () => {
  it('"Example: Logout by Email (All Tokens)": 200 "User logged out successfully."; every token of the user answers 401 afterwards', async () => {
    const app = demoApp();
    const issued = await call(app, 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { user_id: 123 },
    });
    expect((await call(app, 'GET', '/api/user/me', { bearer: issued.body.token })).status).toBe(200);
    const before = books(app);
    const res = await call(app, 'POST', '/api/white-label/logout', {
      bearer: ADMIN,
      json: { email: 'user@example.com' },
    });
    expect(res).toMatchObject({ status: 200, body: { message: 'User logged out successfully.' } });
    expect(specIssues('logoutWhiteLabelUser', res)).toEqual([]);
    // The seed's user key is one of the user's tokens too.
    for (const token of [issued.body.token, USER_KEY]) {
      const me = await call(app, 'GET', '/api/user/me', { bearer: token });
      expect(me).toMatchObject({ status: 401, body: { message: 'Unauthenticated.' } });
    }
    // Balances and the journal are untouched: a logout guards them, it moves nothing.
    expect(books(app)).toEqual(before);
  });

  it('"Example: Logout Specific Token": user_id and token_id revoke that token only', async () => {
    const app = demoApp();
    const first = await call(app, 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { user_id: 123 },
    });
    const second = await call(app, 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { user_id: 123 },
    });
    const tokenId = Number(String(first.body.token).split('|')[0]);
    const res = await call(app, 'POST', '/api/white-label/logout', {
      bearer: ADMIN,
      json: { user_id: 123, token_id: tokenId },
    });
    expect(res.status).toBe(200);
    expect((await call(app, 'GET', '/api/user/me', { bearer: first.body.token })).status).toBe(401);
    expect((await call(app, 'GET', '/api/user/me', { bearer: second.body.token })).status).toBe(200);
    expect((await call(app, 'GET', '/api/user/me', { bearer: USER_KEY })).status).toBe(200);
  });

  it.each([
    [{ email: 'nobody@example.com' }, ADMIN, 404, { error: 'User not found.' }],
    [{ user_id: 123 }, USER_KEY, 403, { error: 'You are not a white label admin.' }],
    [{ user_id: 124 }, CREDITS_ADMIN, 403, { error: 'User does not belong to your white label platform.' }],
    [
      { token_id: 1 },
      ADMIN,
      422,
      {
        message: 'Either user_id or email is required.',
        errors: { user_id: ['Either user_id or email is required.'] },
      },
    ],
  ])("answers %j from %s with the page's %s body and revokes nothing", async (json, key, status, body) => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/logout', { bearer: key, json });
    expect(res).toMatchObject({ status, body });
    expect(specIssues('logoutWhiteLabelUser', res)).toEqual([]);
    expect((await call(app, 'GET', '/api/user/me', { bearer: USER_KEY })).status).toBe(200);
  });

  it('keeps revoked tokens revoked across a snapshot', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/white-label/logout', { bearer: ADMIN, json: { user_id: 123 } });
    const restored = new MockApp({ snapshot: JSON.parse(JSON.stringify(app.snapshot())) });
    expect((await call(restored, 'GET', '/api/user/me', { bearer: USER_KEY })).status).toBe(401);
  });
});

describe('api-reference/authentication: create, list and delete API keys', () => {
  it('"API key created successfully." (201), listed by id and name without the token, deleted at once', async () => {
    const app = demoApp();
    const created = await call(app, 'POST', '/api/user/api-keys', {
      bearer: USER_KEY,
      json: { name: 'Production API Key' },
    });
    expect(created.status).toBe(201);
    expect(specIssues('createUserApiKey', created)).toEqual([]);
    expect(created.body).toEqual({
      message: 'API key created successfully.',
      api_key: {
        name: 'Production API Key',
        token: expect.stringMatching(TOKEN),
        created_at: expect.stringMatching(LARAVEL_TIME),
      },
    });
    const key = created.body.api_key.token;
    // "a persistent API key that can be used for long-term API access"
    expect(await call(app, 'GET', '/api/user/me', { bearer: key })).toMatchObject({
      status: 200,
      body: { name: 'John Doe' },
    });
    const list = await call(app, 'GET', '/api/user/api-keys', { bearer: key });
    expect(specIssues('listUserApiKeys', list)).toEqual([]);
    const id = Number(String(key).split('|')[0]);
    expect(list.body).toEqual({
      api_keys: [
        { id, name: 'Production API Key', last_used_at: null, created_at: created.body.api_key.created_at },
      ],
    });
    // "For security reasons, the actual API key tokens are not returned."
    expect(JSON.stringify(list.body)).not.toContain(key);
    const deleted = await call(app, 'DELETE', `/api/user/api-keys/${id}`, { bearer: USER_KEY });
    expect(deleted).toMatchObject({ status: 200, body: { message: 'API key deleted successfully.' } });
    expect(specIssues('deleteUserApiKey', deleted)).toEqual([]);
    // "Any applications using this API key will stop working immediately."
    expect((await call(app, 'GET', '/api/user/me', { bearer: key })).status).toBe(401);
    expect((await call(app, 'GET', '/api/user/api-keys', { bearer: USER_KEY })).body).toEqual({
      api_keys: [],
    });
  });

  it('"The name field is required." (422); another user\'s key is 404 and stays usable', async () => {
    const app = demoApp();
    const missing = await call(app, 'POST', '/api/user/api-keys', { bearer: USER_KEY, json: {} });
    expect(missing).toMatchObject({
      status: 422,
      body: { message: 'The name field is required.', errors: { name: ['The name field is required.'] } },
    });
    const grace = await call(app, 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { user_id: 125 },
    });
    const id = Number(String(grace.body.token).split('|')[0]);
    const res = await call(app, 'DELETE', `/api/user/api-keys/${id}`, { bearer: USER_KEY });
    expect(res).toMatchObject({ status: 404, body: { error: 'API key not found.' } });
    expect((await call(app, 'GET', '/api/user/me', { bearer: grace.body.token })).status).toBe(200);
  });
});

describe('api-reference/calls/get-calls and the control route that records a call', () => {
  const record = (app: MockApp, json: Record<string, unknown>) =>
    call(app, 'POST', '/_mock/white-label/calls', { json });

  it("a recorded call draws the user's minutes (double entry, journaled) and is listed with carrier_cost and total_cost", async () => {
    const app = demoApp();
    const res = await record(app, {
      userId: 123,
      durationSeconds: 245,
      carrierCostUsd: 0.02,
      clientPhoneNumber: '+1987654321',
    });
    // 245 s = 4.0833... -> 4.09 minutes; 0.02 USD at 0.10 a minute = 0.20 minutes: 4.29 minutes, 0.429 USD.
    expect(res.status).toBe(201);
    expect(specIssues('mockRecordWhiteLabelCall', res)).toEqual([]);
    expect(res.body).toMatchObject({ minutesCharged: 4.29, minutesBalance: 46.21 });
    const entry = app.world.ledger.entry(app.world.ledger.journalSize);
    expect(entry?.postings).toEqual([
      { debit: 'white-label:user:1:123', credit: 'white-label:usage', asset: 'minutes', amount: 429n },
    ]);
    const me = await call(app, 'GET', '/api/user/me', { bearer: USER_KEY });
    expect(me.body).toMatchObject({ minutes_balance: 46.21, total_balance: 4.62 });
    // The create-token page's own request: GET /api/user/calls?date_from=2026-03-01&per_page=100.
    const listed = await call(app, 'GET', '/api/user/calls', {
      query: { date_from: '2025-06-01', per_page: 100 },
      bearer: USER_KEY,
    });
    expect(listed.status).toBe(200);
    expect(specIssues('listUserCalls', listed)).toEqual([]);
    expect(listed.body).toMatchObject({
      current_page: 1,
      per_page: 100,
      total: 1,
      last_page: 1,
      from: 1,
      to: 1,
    });
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: 1,
        type: 'outbound',
        duration: 245,
        status: 'completed',
        client_phone_number: '+1987654321',
        carrier_cost: 0.02,
        total_cost: 0.429,
        created_at: '2025-06-01 12:00:00',
      }),
    ]);
    const later = await call(app, 'GET', '/api/user/calls', {
      query: { date_from: '2026-03-01', per_page: 100 },
      bearer: USER_KEY,
    });
    expect(later.body).toMatchObject({ total: 0, data: [], from: null, to: null });
  });

  it("pages as the page shows (per_page, page, newest first, page URLs), and only the caller's calls", async () => {
    const app = demoApp();
    for (const seconds of [60, 120, 180]) await record(app, { userId: 123, durationSeconds: seconds });
    await record(app, { userId: 124, durationSeconds: 30 });
    const second = await call(app, 'GET', '/api/user/calls', {
      query: { per_page: 2, page: 2 },
      bearer: USER_KEY,
    });
    expect(second.body).toMatchObject({
      current_page: 2,
      last_page: 2,
      total: 3,
      from: 3,
      to: 3,
      per_page: 2,
    });
    expect(second.body.data.map((c: { duration: number }) => c.duration)).toEqual([60]);
    expect(second.body.prev_page_url).toMatch(/\/api\/user\/calls\?page=1$/);
    expect(second.body.next_page_url).toBeNull();
    const first = await call(app, 'GET', '/api/user/calls', { query: { per_page: 2 }, bearer: USER_KEY });
    expect(first.body.data.map((c: { duration: number }) => c.duration)).toEqual([180, 120]);
    const tooMany = await call(app, 'GET', '/api/user/calls', { query: { per_page: 101 }, bearer: USER_KEY });
    expect(tooMany.status).toBe(422);
  });

  it('refuses a call the user cannot cover (402, nothing recorded), and a repeated reference moves nothing', async () => {
    const app = demoApp();
    const before = books(app);
    const refused = await record(app, { userId: 123, durationSeconds: 3031 });
    expect(refused).toMatchObject({
      status: 402,
      body: { error: 'User has insufficient minutes balance.', user_minutes_balance: 50.5 },
    });
    expect(books(app)).toEqual(before);
    const once = { userId: 123, durationSeconds: 60, reference: 'call-1' };
    expect((await record(app, once)).status).toBe(201);
    const again = await record(app, once);
    expect(again).toMatchObject({ status: 200, body: { minutesCharged: 1, minutesBalance: 49.5 } });
    expect((await record(app, { ...once, durationSeconds: 61 })).status).toBe(409);
    const strict = await record(app, { userId: 123, durationSeconds: 60, minutes: 1 });
    expect(strict.status).toBe(400);
    expect((await call(app, 'GET', '/api/user/calls', { bearer: USER_KEY })).body.total).toBe(1);
  });
});
