import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { demoSeed } from '../../mock/seed.js';
import {
  ADA,
  BOB,
  badToken,
  books,
  credits,
  EVE,
  invalid,
  send,
  specIssues,
  tokenOf,
} from './credit-send-support.js';
import { demoApp } from './support.js';

const NO_PERMISSION = 'This user does not exists or you do not have the permission to use it.';
const NOT_ENOUGH = "You don't have enough credits to perform this action.";

describe('credit-send send: the seed page worked example', () => {
  it('ada (100) sends 2 to bob (0): 97 and 2, the fee to the fee account, one entry', async () => {
    const app = demoApp();
    const res = await send(
      app,
      await tokenOf(app, ADA),
      { user: 11, credits: 2 },
      { 'idempotency-key': 'k' },
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'OK', data: { your_new_balance: 97, user_new_balance: 2 } });
    expect(specIssues('sendCredits', res)).toEqual([]);
    expect(credits(app, 'credit-send:fees')).toBe(1n);
    const [entry] = app.world.ledger.journal({ limit: 1 }).entries;
    expect(entry).toMatchObject({ family: 'credit-send', operation: 'sendCredits', idempotencyKey: 'k' });
    expect(entry?.postings).toEqual([
      { debit: 'credit-send:user:10', credit: 'credit-send:user:11', asset: 'credits', amount: 2n },
      { debit: 'credit-send:user:10', credit: 'credit-send:fees', asset: 'credits', amount: 1n },
    ]);
    books(app); // asserts the invariants
  });

  it('may spend the whole balance including the fee, not one credit more', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA);
    const before = books(app);
    expect(await send(app, token, { user: 11, credits: 100 })).toMatchObject({
      status: 501,
      body: invalid(NOT_ENOUGH),
    });
    expect(books(app)).toEqual(before);
    const all = await send(app, token, { user: 11, credits: 99 });
    expect(all.body.data).toEqual({ your_new_balance: 0, user_new_balance: 99 });
  });

  it('takes the seed feeCredits (0: no fee posting)', async () => {
    const app = demoApp({ seed: { creditSend: { ...(demoSeed.creditSend as object), feeCredits: 0 } } });
    const res = await send(app, await tokenOf(app, ADA), { user: 11, credits: 2 });
    expect(res.body.data).toEqual({ your_new_balance: 98, user_new_balance: 2 });
    expect(app.world.ledger.journal({ limit: 1 }).entries[0]?.postings).toHaveLength(1);
  });
});

describe('credit-send send: refusals change nothing', () => {
  it.each([
    ['an unknown recipient', ADA, { user: 999, credits: 1 }, 501, invalid(NO_PERMISSION)],
    ['a recipient of another organization', ADA, { user: 20, credits: 1 }, 501, invalid(NO_PERMISSION)],
    [
      "eve (organization 2) to ada's organization",
      EVE,
      { user: 10, credits: 1 },
      501,
      invalid(NO_PERMISSION),
    ],
    ['the sender itself', ADA, { user: 10, credits: 1 }, 501, invalid(NO_PERMISSION)],
    ['more than the balance', BOB, { user: 10, credits: 1 }, 501, invalid(NOT_ENOUGH)],
    ['credits 0', ADA, { user: 11, credits: 0 }, 501, invalid('Invalid credits: must be at least 1.')],
    [
      'credits 10000',
      ADA,
      { user: 11, credits: 10_000 },
      501,
      invalid('Invalid credits: must be at most 9999.'),
    ],
    [
      'fractional credits',
      ADA,
      { user: 11, credits: 1.5 },
      501,
      invalid('Invalid credits: must be an integer.'),
    ],
    [
      'a missing user',
      ADA,
      { credits: 1 },
      501,
      { error: { code: '3_asini_tristi', details: 'Missing argument user.' } },
    ],
  ])('refuses %s', async (_name, who, json, status, body) => {
    const app = demoApp();
    const token = await tokenOf(app, who);
    const before = books(app);
    const res = await send(app, token, json);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(specIssues('sendCredits', res)).toEqual([]);
    expect(books(app)).toEqual(before);
  });
});

describe('credit-send tokens', () => {
  const body = { user: 11, credits: 1 };

  it('refuses a missing, malformed, foreign or tampered token', async () => {
    const app = demoApp();
    const before = books(app);
    expect((await send(app, undefined, body)).body).toEqual(badToken('Missing token.'));
    expect((await send(app, 'not-a-jwt', body)).body).toEqual(badToken('Invalid token.'));
    const foreign = await tokenOf(demoApp(), ADA); // another server, another secret
    expect(await send(app, foreign, body)).toMatchObject({ status: 401, body: badToken('Invalid token.') });
    const [header, , signature] = (await tokenOf(app, BOB)).split('.');
    const claims = Buffer.from(JSON.stringify({ sub: '10', org: 1, iat: 1, exp: 4_000_000_000 })).toString(
      'base64url',
    );
    expect((await send(app, `${header}.${claims}.${signature}`, body)).body).toEqual(
      badToken('Invalid token.'),
    );
    const unsigned = await new SignJWT({ org: 1 })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('10')
      .sign(new Uint8Array(32));
    expect((await send(app, unsigned, body)).body).toEqual(badToken('Invalid token.'));
    expect(books(app)).toEqual(before);
  });

  it('expires ttl tokens on the server clock', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA, '60');
    app.world.ledger.clock.advance(59_000);
    expect((await send(app, token, body)).status).toBe(200);
    app.world.ledger.clock.advance(1_000);
    const before = books(app);
    const res = await send(app, token, body);
    expect(res).toMatchObject({ status: 401, body: badToken('Token expired.') });
    expect(books(app)).toEqual(before);
  });

  it('accepts a one-time token once, whenever it is used', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA, 'one-time');
    app.world.ledger.clock.advance(30 * 24 * 3600_000);
    expect((await send(app, token, body)).status).toBe(200);
    const before = books(app);
    expect(await send(app, token, body)).toMatchObject({
      status: 401,
      body: badToken('Token already used.'),
    });
    expect(books(app)).toEqual(before);
  });

  it('spends a one-time token on a business refusal too', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA, 'one-time');
    expect((await send(app, token, { user: 20, credits: 1 })).status).toBe(501);
    expect((await send(app, token, body)).body).toEqual(badToken('Token already used.'));
  });

  it('refuses tokens issued before a reset (a new seed, a new secret)', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA);
    app.reset();
    expect((await send(app, token, body)).body).toEqual(badToken('Invalid token.'));
  });

  it('keeps tokens valid across a snapshot and restore', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA);
    const oneTime = await tokenOf(app, ADA, 'one-time');
    const restored = new MockApp({ snapshot: JSON.parse(JSON.stringify(app.snapshot())) });
    expect((await send(restored, token, body)).body.data).toEqual({
      your_new_balance: 98,
      user_new_balance: 1,
    });
    expect((await send(restored, oneTime, body)).status).toBe(200);
    expect((await send(restored, oneTime, body)).body).toEqual(badToken('Token already used.'));
  });
});

describe('credit-send idempotency', () => {
  const body = { user: 11, credits: 2 };
  const key = { 'idempotency-key': 'send-1' };

  it('replays the same key and body, even with a new token of the same user, posting nothing', async () => {
    const app = demoApp();
    const first = await send(app, await tokenOf(app, ADA), body, key);
    const after = books(app);
    const again = await send(app, await tokenOf(app, ADA), body, key);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(books(app)).toEqual(after);
  });

  it('replays for a spent one-time token (a retry after a lost answer), refuses new requests', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA, 'one-time');
    const first = await send(app, token, body, key);
    const after = books(app);
    const retry = await send(app, token, body, key);
    expect(retry).toMatchObject({
      status: 200,
      body: first.body,
      headers: { 'idempotent-replayed': 'true' },
    });
    expect((await send(app, token, body, { 'idempotency-key': 'send-2' })).body).toEqual(
      badToken('Token already used.'),
    );
    expect(books(app)).toEqual(after);
  });

  it('replays a 501 business refusal with its key, even after the one-time token is spent', async () => {
    const app = demoApp();
    const token = await tokenOf(app, ADA, 'one-time');
    // Eve (user 20) is in another organization: a 501 refusal, which the family keeps for replay.
    const refusal = { user: 20, credits: 2 };
    const first = await send(app, token, refusal, key);
    expect(first).toMatchObject({ status: 501, body: invalid(NO_PERMISSION) });
    const after = books(app);
    const retry = await send(app, token, refusal, key);
    expect(retry).toMatchObject({
      status: 501,
      body: invalid(NO_PERMISSION),
      headers: { 'idempotent-replayed': 'true' },
    });
    expect(books(app)).toEqual(after);
  });

  it('refuses the same key with another body, and scopes keys per user', async () => {
    const app = demoApp();
    await send(app, await tokenOf(app, ADA), body, key);
    const other = await send(app, await tokenOf(app, ADA), { ...body, credits: 3 }, key);
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    const bob = await send(app, await tokenOf(app, BOB), { user: 10, credits: 1 }, key);
    expect(bob).toMatchObject({ status: 200, body: { data: { your_new_balance: 0, user_new_balance: 98 } } });
    expect(bob.headers['idempotent-replayed']).toBeUndefined();
  });
});
