import { describe, expect, it } from 'vitest';
import { call, demoApp } from './support.js';
import { ADMIN, books, CREDITS_ADMIN, specIssues, transfer, USER_KEY } from './white-label-support.js';

describe('white-label transfer: refusals change nothing', () => {
  const cases: [string, string, Record<string, unknown>, number, unknown][] = [
    [
      'neither user_id nor email',
      ADMIN,
      { transfer_type: 'minutes', operation: 'add', amount: 1 },
      422,
      {
        message: 'Either user_id or email is required.',
        errors: {
          user_id: ['Either user_id or email is required.'],
          email: ['Either user_id or email is required.'],
        },
      },
    ],
    [
      'user_id and email naming different users',
      ADMIN,
      { user_id: 123, email: 'grace@example.com', transfer_type: 'minutes', operation: 'add', amount: 1 },
      422,
      {
        message: 'user_id and email refer to different users.',
        errors: {
          user_id: ['user_id and email refer to different users.'],
          email: ['user_id and email refer to different users.'],
        },
      },
    ],
    [
      "another platform's user by id",
      CREDITS_ADMIN,
      { user_id: 125, transfer_type: 'minutes', operation: 'add', amount: 1 },
      403,
      { error: 'User does not belong to your white label platform.' },
    ],
    [
      "another platform's user by email",
      CREDITS_ADMIN,
      { email: 'grace@example.com', transfer_type: 'minutes', operation: 'add', amount: 1 },
      403,
      { error: 'User does not belong to your white label platform.' },
    ],
    [
      'an unknown user id',
      ADMIN,
      { user_id: 999, transfer_type: 'minutes', operation: 'add', amount: 1 },
      404,
      { error: 'User not found.' },
    ],
    [
      'an unknown email',
      ADMIN,
      { email: 'nobody@example.com', transfer_type: 'minutes', operation: 'add', amount: 1 },
      404,
      { error: 'User not found.' },
    ],
    [
      'more than 2 decimals',
      ADMIN,
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1.005 },
      422,
      {
        message: 'The amount field must have at most 2 decimals.',
        errors: { amount: ['The amount field must have at most 2 decimals.'] },
      },
    ],
    [
      'an amount that is not a number',
      ADMIN,
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: '10' },
      422,
      {
        message: 'The amount field must be a number.',
        errors: { amount: ['The amount field must be a number.'] },
      },
    ],
    [
      'a zero amount',
      ADMIN,
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 0 },
      422,
      {
        message: 'The amount field must be greater than 0.',
        errors: { amount: ['The amount field must be greater than 0.'] },
      },
    ],
    [
      'admin short of minutes',
      ADMIN,
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 950.51 },
      400,
      { error: 'Insufficient minutes balance.', available_balance: 950.5 },
    ],
    [
      'admin short of minutes for credits (9000 credits = 1000 minutes)',
      ADMIN,
      { user_id: 123, transfer_type: 'credits', operation: 'add', amount: 9000 },
      400,
      { error: 'Insufficient minutes balance.', available_balance: 950.5 },
    ],
    [
      'user short of credits',
      ADMIN,
      { user_id: 125, transfer_type: 'credits', operation: 'remove', amount: 25.01 },
      400,
      { error: 'User has insufficient credits balance.', user_credits_balance: 25 },
    ],
    [
      'user short of minutes',
      ADMIN,
      { email: 'user@example.com', transfer_type: 'minutes', operation: 'remove', amount: 60 },
      400,
      { error: 'User has insufficient minutes balance.', user_minutes_balance: 50.5 },
    ],
    [
      'a user token',
      USER_KEY,
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      403,
      {
        error: 'You are not a white label admin.',
      },
    ],
    [
      'an unknown key',
      'wl_nope',
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      401,
      {
        message: 'Unauthenticated.',
      },
    ],
  ];

  it.each(cases)('refuses %s', async (_name, key, json, status, body) => {
    const app = demoApp();
    const before = books(app);
    const res = await transfer(app, key, json);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
    expect(specIssues('transferWhiteLabelBalance', res)).toEqual([]);
    expect(books(app)).toEqual(before);
  });

  it('answers 401 without an Authorization header', async () => {
    const app = demoApp();
    const res = await call(app, 'POST', '/api/white-label/transfer', {
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
    });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ message: 'Unauthenticated.' });
  });
});
