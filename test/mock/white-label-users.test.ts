import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { SeedError } from '../../mock/family-kit/family.js';
import { demoSeed } from '../../mock/seed.js';
import { call, demoApp } from './support.js';
import { ADMIN, books, CREDITS_ADMIN, specIssues, transfer, USER_KEY } from './white-label-support.js';

// Laravel's microsecond form, as the users page shows `created_at`.
const SEEDED_AT = '2025-06-01T12:00:00.000000Z';
const TOKEN = /^\d+\|[A-Za-z0-9]{40}$/;
const jane = {
  name: 'Jane Roe',
  email: 'jane.roe@example.com',
  password: 'correct-horse',
  timezone: 'Europe/Rome',
};

describe('white-label users list', () => {
  it("lists the admin's own platform users with balances", async () => {
    const res = await call(demoApp(), 'GET', '/api/white-label/users', { bearer: ADMIN });
    expect(res.status).toBe(200);
    expect(specIssues('listWhiteLabelUsers', res)).toEqual([]);
    expect(res.body).toEqual({
      data: [
        {
          id: 123,
          name: 'John Doe',
          email: 'user@example.com',
          minutes_balance: 50.5,
          credits_balance: 0,
          created_at: SEEDED_AT,
        },
        {
          id: 124,
          name: 'Jane Smith',
          email: 'jane@example.com',
          minutes_balance: 75.25,
          credits_balance: 250,
          created_at: SEEDED_AT,
        },
        {
          id: 125,
          name: 'Grace Hopper',
          email: 'grace@example.com',
          minutes_balance: 10,
          credits_balance: 25,
          created_at: SEEDED_AT,
        },
      ],
    });
  });

  it('refuses user tokens (403) and unknown keys (401)', async () => {
    const app = demoApp();
    expect(await call(app, 'GET', '/api/white-label/users', { bearer: USER_KEY })).toMatchObject({
      status: 403,
      body: { error: 'You are not a white label admin.' },
    });
    expect(await call(app, 'GET', '/api/white-label/users')).toMatchObject({
      status: 401,
      body: { message: 'Unauthenticated.' },
    });
  });
});

describe('white-label register', () => {
  it('creates a user in the platform and a token that authenticates /api/user/me only', async () => {
    const app = demoApp();
    const journalSize = app.world.ledger.journalSize;
    const res = await call(app, 'POST', '/api/white-label/register', { bearer: ADMIN, json: jane });
    expect(res.status).toBe(201);
    expect(specIssues('registerWhiteLabelUser', res)).toEqual([]);
    expect(res.body).toEqual({
      message: 'Registration successful.',
      user: { id: 126, name: 'Jane Roe', email: 'jane.roe@example.com' },
      token: expect.stringMatching(TOKEN),
    });
    expect(app.world.ledger.journalSize).toBe(journalSize);
    const list = await call(app, 'GET', '/api/white-label/users', { bearer: ADMIN });
    expect(list.body.data.at(-1)).toEqual({
      ...res.body.user,
      minutes_balance: 0,
      credits_balance: 0,
      created_at: SEEDED_AT,
    });
    const me = await call(app, 'GET', '/api/user/me', { bearer: res.body.token });
    expect(specIssues('getCurrentUser', me)).toEqual([]);
    expect(me.body).toEqual({
      name: 'Jane Roe',
      email: 'jane.roe@example.com',
      total_balance: 0,
      minutes_balance: 0,
      credits_balance: 0,
    });
    const asAdmin = await call(app, 'GET', '/api/white-label/users', { bearer: res.body.token });
    expect(asAdmin.status).toBe(403);
    const funded = await transfer(app, ADMIN, {
      email: 'JANE.ROE@example.com',
      transfer_type: 'minutes',
      operation: 'add',
      amount: 5,
    });
    expect(funded.body.user).toMatchObject({ id: 126, minutes_balance: 5 });
  });

  it('refuses an email already taken in the platform, case-insensitively', async () => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/register', {
      bearer: ADMIN,
      json: { ...jane, email: 'USER@example.com' },
    });
    expect(res.status).toBe(422);
    expect(specIssues('registerWhiteLabelUser', res)).toEqual([]);
    expect(res.body).toEqual({
      message: 'The email has already been taken.',
      errors: { email: ['The email has already been taken.'] },
    });
  });

  it('accepts an email taken in another platform only (emails are unique per platform)', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/register', {
      bearer: CREDITS_ADMIN,
      json: { ...jane, email: 'grace@example.com' },
    });
    expect(res.status).toBe(201);
  });

  it('refuses a short password and an unknown time zone, naming the field', async () => {
    const app = demoApp();
    const short = await call(app, 'POST', '/api/white-label/register', {
      bearer: ADMIN,
      json: { ...jane, password: 'short' },
    });
    expect(short.status).toBe(422);
    expect(short.body.errors).toEqual({
      password: ['The password field must be at least 8 characters long.'],
    });
    const zone = await call(app, 'POST', '/api/white-label/register', {
      bearer: ADMIN,
      json: { ...jane, timezone: 'Mars/Base' },
    });
    expect(zone.status).toBe(422);
    expect(zone.body).toEqual({
      message: 'The timezone field must be a valid timezone.',
      errors: { timezone: ['The timezone field must be a valid timezone.'] },
    });
  });
});

describe('white-label token', () => {
  it('issues a token for a user by id, named "api-token" by default (documented), which reads that user', async () => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/token', { bearer: ADMIN, json: { user_id: 125 } });
    expect(res.status).toBe(200);
    expect(specIssues('createWhiteLabelToken', res)).toEqual([]);
    expect(res.body).toEqual({
      message: 'Token created successfully.',
      user: { id: 125, name: 'Grace Hopper', email: 'grace@example.com' },
      token: expect.stringMatching(TOKEN),
      token_name: 'api-token',
    });
    const me = await call(app, 'GET', '/api/user/me', { bearer: res.body.token });
    expect(specIssues('getCurrentUser', me)).toEqual([]);
    // In USD: (10 minutes + 25 / 9) x 0.10 per minute = 1.2777... -> 1.28
    expect(me.body).toEqual({
      name: 'Grace Hopper',
      email: 'grace@example.com',
      total_balance: 1.28,
      minutes_balance: 10,
      credits_balance: 25,
    });
  });

  it('finds the user by email in the caller platform and echoes token_name', async () => {
    const res = await call(demoApp(), 'POST', '/api/white-label/token', {
      bearer: CREDITS_ADMIN,
      json: { email: 'user@example.com', token_name: 'crm-sync' },
    });
    // The credits platform's own user 123 (user ids are per platform).
    expect(res.body).toMatchObject({ user: { id: 123 }, token_name: 'crm-sync' });
  });

  it.each([
    [{ user_id: 125 }, CREDITS_ADMIN, 403, { error: 'User does not belong to your white label platform.' }],
    [{ email: 'nobody@example.com' }, ADMIN, 404, { error: 'User not found.' }],
    [
      {},
      ADMIN,
      422,
      {
        message: 'Either user_id or email is required.',
        errors: {
          user_id: ['Either user_id or email is required.'],
          email: ['Either user_id or email is required.'],
        },
      },
    ],
    [{ user_id: 123 }, USER_KEY, 403, { error: 'You are not a white label admin.' }],
  ])('refuses %j from %s', async (json, key, status, body) => {
    const app = demoApp();
    const before = books(app);
    const res = await call(app, 'POST', '/api/white-label/token', { bearer: key, json });
    expect(res).toMatchObject({ status, body });
    expect(specIssues('createWhiteLabelToken', res)).toEqual([]);
    expect(books(app)).toEqual(before);
  });
});

describe('white-label current user', () => {
  it("answers the admin's own figures for an admin key", async () => {
    const res = await call(demoApp(), 'GET', '/api/user/me', { bearer: ADMIN });
    expect(res.body).toEqual({
      name: 'Demo Platform Admin',
      email: 'admin@demo-platform.example',
      total_balance: 95.05,
      minutes_balance: 950.5,
      credits_balance: 0,
    });
  });

  it('maps seed userKeys to the first user of the first platform', async () => {
    const res = await call(demoApp(), 'GET', '/api/user/me', { bearer: USER_KEY });
    expect(res.body).toEqual({
      name: 'John Doe',
      email: 'user@example.com',
      total_balance: 5.05,
      minutes_balance: 50.5,
      credits_balance: 0,
    });
  });

  it('keeps issued tokens across a snapshot and restore', async () => {
    const app = demoApp();
    const { body } = await call(app, 'POST', '/api/white-label/token', {
      bearer: ADMIN,
      json: { user_id: 123 },
    });
    const restored = new MockApp({ snapshot: app.snapshot() });
    const me = await call(restored, 'GET', '/api/user/me', { bearer: body.token });
    expect(me.body.email).toBe('user@example.com');
  });
});

describe('white-label seed', () => {
  const wl = demoSeed.whiteLabel as { platforms: { users: { id: number; email: string }[] }[] };
  const withUsers = (platform: number, users: unknown[]) => ({
    whiteLabel: {
      ...wl,
      platforms: wl.platforms.map((p, i) => (i === platform ? { ...p, users: [...p.users, ...users] } : p)),
    },
  });
  const user = { id: 500, email: 'new@example.com', name: 'New', minutes: 0, credits: 0 };

  it('refuses a user id used twice in the family, naming the field', () => {
    expect(() => demoApp({ seed: withUsers(1, [{ ...user, id: 123 }]) })).toThrow(
      expect.objectContaining({ name: 'SeedError', path: 'whiteLabel.platforms[1].users[1].id' }),
    );
  });

  it('refuses an email used twice in one platform, case-insensitively', () => {
    expect(() => demoApp({ seed: withUsers(0, [{ ...user, email: 'GRACE@example.com' }]) })).toThrow(
      SeedError,
    );
  });

  it('refuses more than 2 decimals in a balance', () => {
    expect(() => demoApp({ seed: withUsers(0, [{ ...user, minutes: 1.005 }]) })).toThrow(/minutes/);
  });
});
