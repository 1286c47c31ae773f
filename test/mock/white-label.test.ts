import { describe, expect, it } from 'vitest';
import { assertInvariants } from '../../mock/ledger/invariants.js';
import { demoApp } from './support.js';
import { ADMIN, balance, books, CREDITS_ADMIN, specIssues, transfer } from './white-label-support.js';

describe('white-label transfer: the seed page worked examples', () => {
  it('adds 100 minutes to user 123: user 150.5, admin 850.5', async () => {
    const app = demoApp();
    const res = await transfer(app, ADMIN, {
      user_id: 123,
      transfer_type: 'minutes',
      operation: 'add',
      amount: 100,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: 'Transfer completed successfully.',
      transfer: { type: 'minutes', operation: 'add', amount: 100 },
      user: {
        id: 123,
        email: 'user@example.com',
        name: 'John Doe',
        minutes_balance: 150.5,
        credits_balance: 0,
      },
      your_balance: { minutes: 850.5 },
    });
    expect(specIssues('transferWhiteLabelBalance', res)).toEqual([]);
    assertInvariants(app.world.ledger);
  });

  it('adds 500 credits by email: user credits 500, admin 944.44', async () => {
    const app = demoApp();
    const res = await transfer(app, CREDITS_ADMIN, {
      email: 'user@example.com',
      transfer_type: 'credits',
      operation: 'add',
      amount: 500,
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      message: 'Transfer completed successfully.',
      transfer: { type: 'credits', operation: 'add', amount: 500 },
      user: {
        // The seed page's user 123: the credits platform's own (user ids are per platform).
        id: 123,
        email: 'user@example.com',
        name: 'John Doe',
        minutes_balance: 0,
        credits_balance: 500,
      },
      your_balance: { minutes: 944.44 },
    });
  });
});

describe('white-label transfer: conversion and directions', () => {
  it('charges the admin credits / 9 minutes rounded up, through the conversion account', async () => {
    const app = demoApp();
    const first = await transfer(app, ADMIN, {
      user_id: 123,
      transfer_type: 'credits',
      operation: 'add',
      amount: 100,
    });
    // 100 / 9 = 11.111..., rounded up in the platform's favour (half up gave 11.11).
    expect(first.body.your_balance).toEqual({ minutes: 939.38 }); // 950.5 - 11.12
    const second = await transfer(app, ADMIN, {
      user_id: 123,
      transfer_type: 'credits',
      operation: 'add',
      amount: 5,
    });
    expect(second.body.your_balance).toEqual({ minutes: 938.82 }); // - 0.56
    expect(second.body.user).toMatchObject({ minutes_balance: 50.5, credits_balance: 105 });
    expect(balance(app, 'white-label:conversion', 'minutes')).toBe(1168n);
    expect(balance(app, 'white-label:conversion', 'credits')).toBe(-10500n);
    const [entry] = app.world.ledger.journal({ limit: 1 }).entries;
    expect(entry?.operation).toBe('transferWhiteLabelBalance');
    expect(entry?.postings).toEqual([
      { debit: 'white-label:admin:1', credit: 'white-label:conversion', asset: 'minutes', amount: 56n },
      { debit: 'white-label:conversion', credit: 'white-label:user:1:123', asset: 'credits', amount: 500n },
    ]);
    assertInvariants(app.world.ledger);
  });

  it('removes minutes 1:1 from the user to the admin', async () => {
    const app = demoApp();
    const res = await transfer(app, ADMIN, {
      user_id: 123,
      transfer_type: 'minutes',
      operation: 'remove',
      amount: 50,
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ minutes_balance: 0.5, credits_balance: 0 });
    expect(res.body.your_balance).toEqual({ minutes: 1000.5 });
  });

  it('removes exactly `amount` credits from the user and gives the admin the minutes rounded down', async () => {
    const app = demoApp();
    const nine = await transfer(app, ADMIN, {
      user_id: 125,
      transfer_type: 'credits',
      operation: 'remove',
      amount: 9,
    });
    expect(nine.body.user).toEqual({
      id: 125,
      email: 'grace@example.com',
      name: 'Grace Hopper',
      minutes_balance: 10,
      credits_balance: 16,
    });
    expect(nine.body.your_balance).toEqual({ minutes: 951.5 });
    const five = await transfer(app, ADMIN, {
      user_id: 125,
      transfer_type: 'credits',
      operation: 'remove',
      amount: 5,
    });
    expect(five.body.user.credits_balance).toBe(11);
    // 5 / 9 = 0.555... rounded down when the admin is refunded (half up gave 0.56).
    expect(five.body.your_balance).toEqual({ minutes: 952.05 });
    assertInvariants(app.world.ledger);
  });

  it('accepts 2 decimals and both identifiers when they name the same user (email case-insensitive)', async () => {
    const app = demoApp();
    const res = await transfer(app, ADMIN, {
      user_id: 123,
      email: 'USER@Example.com',
      transfer_type: 'minutes',
      operation: 'add',
      amount: 0.29,
    });
    expect(res.status).toBe(200);
    expect(res.body.user.minutes_balance).toBe(50.79);
    expect(res.body.your_balance.minutes).toBe(950.21);
  });

  it('records the Idempotency-Key on the journal entry', async () => {
    const app = demoApp();
    await transfer(
      app,
      ADMIN,
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      {
        'idempotency-key': 'k-1',
      },
    );
    expect(app.world.ledger.journal({ limit: 1 }).entries[0]?.idempotencyKey).toBe('k-1');
  });
});

describe('white-label transfer: idempotency', () => {
  const add = { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 10 } as const;

  it('replays the stored answer for the same key and body and posts nothing', async () => {
    const app = demoApp();
    const first = await transfer(app, ADMIN, add, { 'idempotency-key': 'same' });
    const after = books(app);
    const again = await transfer(app, ADMIN, add, { 'idempotency-key': 'same' });
    expect(again.status).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(books(app)).toEqual(after);
  });

  it('refuses the same key with another body in the Laravel shape', async () => {
    const app = demoApp();
    await transfer(app, ADMIN, add, { 'idempotency-key': 'same' });
    const after = books(app);
    const other = await transfer(app, ADMIN, { ...add, amount: 11 }, { 'idempotency-key': 'same' });
    expect(other.status).toBe(422);
    expect(Object.keys(other.body.errors)).toEqual(['Idempotency-Key']);
    expect(books(app)).toEqual(after);
  });

  it('scopes keys to the admin: another platform may use the same key', async () => {
    const app = demoApp();
    await transfer(app, ADMIN, add, { 'idempotency-key': 'shared' });
    const other = await transfer(app, CREDITS_ADMIN, add, { 'idempotency-key': 'shared' });
    expect(other.status).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    // The other platform's own user 123: 0 + 10 minutes, not the first platform's 50.5 + 10.
    expect(other.body.user).toMatchObject({ id: 123, minutes_balance: 10 });
  });
});
