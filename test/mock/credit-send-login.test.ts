import { decodeJwt, decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { cfOf } from '../../mock/families/credit-send/login.js';
import { demoSeed } from '../../mock/seed.js';
import { ADA, books, invalid, login, specIssues } from './credit-send-support.js';
import { demoApp } from './support.js';

const NOW_SECONDS = Date.parse('2025-06-01T12:00:00Z') / 1000;

describe('credit-send login', () => {
  it('issues an HS256 JWT stamped with the server clock', async () => {
    const app = demoApp();
    const res = await login(app, { ...ADA, ttl: '3600' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'OK',
      data: {
        id: 10,
        cf: 'ADA0000010',
        email: 'ada@example.com',
        sandbox: true,
        status: 'USER_LOGGED',
        ttl: '3600',
        // Unix seconds, as the login page's example (`"issued": 1590561214`; an ISO string before the fidelity audit).
        issued: NOW_SECONDS,
        token: expect.any(String),
      },
    });
    expect(specIssues('login', res)).toEqual([]);
    expect(decodeProtectedHeader(res.body.data.token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
    expect(decodeJwt(res.body.data.token)).toEqual({
      sub: '10',
      org: 1,
      iat: NOW_SECONDS,
      exp: NOW_SECONDS + 3600,
    });
  });

  it('takes ttl as an integer and echoes it as a string', async () => {
    const app = demoApp();
    app.world.ledger.clock.advance(90_000);
    const res = await login(app, { ...ADA, email: 'ADA@example.com', ttl: 5 });
    expect(res.body.data).toMatchObject({ ttl: '5', issued: NOW_SECONDS + 90 });
    expect(decodeJwt(res.body.data.token)).toMatchObject({ iat: NOW_SECONDS + 90, exp: NOW_SECONDS + 95 });
  });

  it('issues one-time tokens without expiry, with a token id', async () => {
    const res = await login(demoApp(), { ...ADA, ttl: 'one-time' });
    expect(res.body.data.ttl).toBe('one-time');
    const claims = decodeJwt(res.body.data.token);
    expect(claims.exp).toBeUndefined();
    expect(claims.jti).toEqual(expect.any(String));
  });

  it('without ttl issues a reusable token without expiry and answers no ttl and no issued', async () => {
    const app = demoApp();
    const res = await login(app, { ...ADA });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.data)).toEqual(['id', 'cf', 'email', 'sandbox', 'status', 'token']);
    expect(specIssues('login', res)).toEqual([]);
    expect(decodeJwt(res.body.data.token).exp).toBeUndefined();
  });

  it('replays a login sent again with the same Idempotency-Key (scoped to the email)', async () => {
    const app = demoApp();
    const first = await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': 'login-1' });
    app.world.ledger.clock.advance(10_000);
    const again = await login(app, { ...ADA, ttl: '60' }, { 'idempotency-key': 'login-1' });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
  });
});

describe('credit-send login refusals', () => {
  it.each([
    [
      'a wrong secret',
      { ...ADA, secret: 'nope', ttl: '60' },
      501,
      { error: { code: 'Wrong password', details: 'Wrong password.' } },
    ],
    [
      // The login page's WRONG USER body (answered `Wrong password` before the fidelity audit).
      'an unknown email',
      { email: 'zed@example.com', secret: 'x', ttl: '60' },
      501,
      invalid('This email is not valid.'),
    ],
    [
      'an unknown user code',
      { email: 'NOSUCHCODE', secret: 'x', ttl: '60' },
      501,
      invalid('This email is not valid.'),
    ],
    [
      'an invalid email',
      { ...ADA, email: 'ada.example.com', ttl: '60' },
      501,
      invalid('This email is not valid.'),
    ],
    [
      'a missing email',
      { secret: 'x', ttl: '60' },
      501,
      { error: { code: '3_asini_tristi', details: 'Missing argument email.' } },
    ],
    [
      'a missing secret',
      { email: ADA.email, ttl: '60' },
      501,
      { error: { code: '3_asini_tristi', details: 'Missing argument secret.' } },
    ],
    ['a ttl below 5 seconds', { ...ADA, ttl: '4' }, 501, invalid('This ttl is not valid.')],
    ['a ttl above a day', { ...ADA, ttl: 86_401 }, 501, invalid('This ttl is not valid.')],
    ['a ttl that is not a number', { ...ADA, ttl: 'forever' }, 501, invalid('This ttl is not valid.')],
    ['a fractional ttl', { ...ADA, ttl: 60.5 }, 501, invalid('This ttl is not valid.')],
  ])('refuses %s', async (_name, json, status, body) => {
    const app = demoApp();
    const before = books(app);
    const res = await login(app, json);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(specIssues('login', res)).toEqual([]);
    expect(books(app)).toEqual(before);
  });
});

describe('credit-send seed', () => {
  const cs = demoSeed.creditSend as { organizations: { id: number; users: unknown[] }[] };
  const withUser = (user: Record<string, unknown>) => ({
    creditSend: {
      ...cs,
      organizations: cs.organizations.map((o, i) => (i === 1 ? { ...o, users: [...o.users, user] } : o)),
    },
  });

  it('refuses a user id used twice in the family, naming the field', () => {
    expect(() =>
      demoApp({ seed: withUser({ id: 10, email: 'x@example.com', secret: 's', credits: 0 }) }),
    ).toThrow(
      expect.objectContaining({ name: 'SeedError', path: 'creditSend.organizations[1].users[1].id' }),
    );
  });

  it('refuses an email used twice in the family, since login names no organization', () => {
    expect(() =>
      demoApp({ seed: withUser({ id: 30, email: 'ADA@example.com', secret: 's', credits: 0 }) }),
    ).toThrow(
      expect.objectContaining({ name: 'SeedError', path: 'creditSend.organizations[1].users[1].email' }),
    );
  });
});

describe('credit-send login cf', () => {
  it('is a number for a decimal code a JSON number carries exactly, as the page shows it, else the string', () => {
    expect(cfOf('11044930961')).toBe(11044930961);
    expect(cfOf('ADA0000010')).toBe('ADA0000010');
    expect(cfOf('0123')).toBe('0123');
    expect(cfOf('12345678901234567890')).toBe('12345678901234567890');
    expect(cfOf(null)).toBeNull();
  });
});
