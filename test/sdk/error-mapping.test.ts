import { describe, expect, it } from 'vitest';
import { createApiError, parseFieldList } from '../../src/core/error-mapping.js';
import {
  ApiError,
  AuthenticationError,
  ConflictError,
  IdempotencyError,
  InsufficientBalanceError,
  LedgerlineError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from '../../src/core/errors.js';
import type { Family } from '../../src/core/family.js';

const map = (family: Family, status: number, body: unknown, headers: Record<string, string> = {}) =>
  createApiError(family, 'op', status, body, new Headers(headers));

describe('every ApiError', () => {
  it('keeps status, code, family, operation, request id, raw body and headers', () => {
    const body = { error: 'not_found', error_description: 'Organization 9 not found.' };
    const e = createApiError(
      'reseller',
      'transferCredits',
      404,
      body,
      new Headers({ 'x-request-id': 'req_1' }),
    );
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toBeInstanceOf(LedgerlineError);
    expect(e).toBeInstanceOf(Error);
    expect(e).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      code: 'not_found',
      family: 'reseller',
      operation: 'transferCredits',
      requestId: 'req_1',
      body,
      message: 'Organization 9 not found.',
    });
    expect(e.headers.get('x-request-id')).toBe('req_1');
    expect(map('reseller', 404, body).requestId).toBeUndefined();
  });

  it('survives a body that is not JSON', () => {
    const e = createApiError('billing', 'getWallet', 502, '<html>Bad gateway</html>', new Headers());
    expect(e).toBeInstanceOf(ServerError);
    expect(e).toMatchObject({
      code: 'server_error',
      message: 'getWallet failed with HTTP 502. Retry later.',
    });
  });
});

describe('white-label', () => {
  it('admin balance short: InsufficientBalanceError with the available minutes', () => {
    const e = map('white-label', 400, { error: 'Insufficient minutes balance.', available_balance: 850.5 });
    expect(e).toBeInstanceOf(InsufficientBalanceError);
    expect(e).toMatchObject({ available: 850.5, asset: 'minutes', code: 'insufficient_balance' });
    expect(e.message).toBe('Insufficient minutes balance: 850.5 available. Top up, or try a smaller amount.');
  });

  it.each([
    ['credits', 'user_credits_balance', 25],
    ['minutes', 'user_minutes_balance', 3.5],
  ])('user %s short: available from %s', (asset, field, available) => {
    const e = map('white-label', 400, {
      error: `User has insufficient ${asset} balance.`,
      [field]: available,
    });
    expect(e).toBeInstanceOf(InsufficientBalanceError);
    expect(e).toMatchObject({ available, asset });
    expect(e.message).toBe(
      `User has insufficient ${asset} balance: ${available} available. Top up, or try a smaller amount.`,
    );
  });

  it('Laravel 422: ValidationError with the field errors as sent', () => {
    const errors = {
      user_id: ['Either user_id or email is required.'],
      email: ['Either user_id or email is required.'],
    };
    const e = map('white-label', 422, { message: 'Either user_id or email is required.', errors });
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).fieldErrors).toEqual(errors);
    expect(e.code).toBe('validation_failed');
    expect(e.message).toMatch(
      /^Invalid request: user_id: Either .*; email: Either .* Fix these fields and send again\.$/,
    );
  });

  it('Laravel 422: a field message ending in a period gives one period before the next step', () => {
    const e = map('white-label', 422, {
      message: 'The amount field must be greater than 0.',
      errors: { amount: ['The amount field must be greater than 0.'] },
    });
    expect(e.message).toBe(
      'Invalid request: amount: The amount field must be greater than 0. Fix these fields and send again.',
    );
    expect((e as ValidationError).fieldErrors).toEqual({
      amount: ['The amount field must be greater than 0.'],
    });
  });

  it('Laravel 422 on Idempotency-Key: IdempotencyError', () => {
    const msg = 'The Idempotency-Key has already been used with a different request.';
    const e = map('white-label', 422, { message: msg, errors: { 'Idempotency-Key': [msg] } });
    expect(e).toBeInstanceOf(IdempotencyError);
    expect(e).toMatchObject({ name: 'IdempotencyError', code: 'idempotency_key_reused' });
    expect(e.message).toMatch(/Use a new key, or resend the original body/);
  });

  it.each([
    [
      401,
      { message: 'Unauthenticated.' },
      AuthenticationError,
      'Unauthenticated. Check the credentials for this family.',
    ],
    [
      403,
      { error: 'You are not a white label admin.' },
      PermissionDeniedError,
      'You are not a white label admin. Check the role or scopes of the credential.',
    ],
    [403, { error: 'User does not belong to your white label platform.' }, PermissionDeniedError, undefined],
    [404, { error: 'User not found.' }, NotFoundError, 'User not found.'],
    [409, { error: 'A request with this Idempotency-Key is in progress.' }, ConflictError, undefined],
    [500, { message: 'Server Error' }, ServerError, 'Server Error. Retry later.'],
  ])('%i %o -> %s', (status, body, type, message) => {
    const e = map('white-label', status, body);
    expect(e).toBeInstanceOf(type);
    expect(e.name).toBe(type.name);
    if (message) expect(e.message).toBe(message);
  });

  it('429: RateLimitError with retryAfterMs', () => {
    const e = map('white-label', 429, { message: 'Too Many Attempts.' }, { 'retry-after': '3' });
    expect(e).toBeInstanceOf(RateLimitError);
    expect((e as RateLimitError).retryAfterMs).toBe(3000);
    expect(map('white-label', 429, {})).toMatchObject({ retryAfterMs: undefined, code: 'rate_limited' });
  });
});

describe('reseller', () => {
  it('insufficient_balance: available USD', () => {
    const e = map('reseller', 400, {
      error: 'insufficient_balance',
      error_description: 'Insufficient balance for this transfer.',
      available_balance: 1.813,
    });
    expect(e).toBeInstanceOf(InsufficientBalanceError);
    expect(e).toMatchObject({ available: 1.813, asset: 'usd', code: 'insufficient_balance' });
    expect(e.message).toBe(
      'Insufficient balance for this transfer: 1.813 USD available. Top up, or try a smaller amount.',
    );
  });

  it('insufficient_balance whose description states the figure: said once', () => {
    const e = map('reseller', 400, {
      error: 'insufficient_balance',
      error_description: 'Insufficient balance: the transfer costs 20000 and 61.713 is available.',
      available_balance: 61.713,
    });
    expect(e.message).toBe(
      'Insufficient balance: the transfer costs 20000 and 61.713 is available. Top up, or try a smaller amount.',
    );
    const silent = map('reseller', 400, {
      error: 'insufficient_balance',
      error_description: 'Insufficient balance: the transfer costs 20000.',
      available_balance: 61.713,
    });
    expect(silent.message).toBe(
      'Insufficient balance: the transfer costs 20000: 61.713 USD available. Top up, or try a smaller amount.',
    );
  });

  it('invalid_request: field errors parsed from the `; `-separated description', () => {
    const e = map('reseller', 400, {
      error: 'invalid_request',
      error_description: 'minutes: must be an integer >= 1; cost_per_min: is required',
    });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.code).toBe('validation_failed');
    expect(e.familyCode).toBe('invalid_request');
    expect((e as ValidationError).fieldErrors).toEqual({
      minutes: ['must be an integer >= 1'],
      cost_per_min: ['is required'],
    });
    expect(e.message).toBe(
      'Invalid request: minutes: must be an integer >= 1; cost_per_min: is required. Fix these fields and send again.',
    );
  });

  it('invalid_request: merges a `fields` map and keeps a description that names no field', () => {
    const withFields = map('reseller', 400, {
      error: 'invalid_request',
      error_description: 'Bad input.',
      fields: { to_organization_id: ['is required'] },
    });
    expect((withFields as ValidationError).fieldErrors).toEqual({ to_organization_id: ['is required'] });
    const malformed = map('reseller', 400, {
      error: 'invalid_request',
      error_description: 'Malformed JSON body.',
    });
    expect(malformed).toBeInstanceOf(ValidationError);
    expect((malformed as ValidationError).fieldErrors).toEqual({});
    expect(malformed.message).toBe('Malformed JSON body.');
  });

  it('invalid_cost_per_min: ValidationError on cost_per_min', () => {
    const e = map('reseller', 400, {
      error: 'invalid_cost_per_min',
      error_description: 'cost_per_min is below your reseller rate 0.1.',
    });
    expect((e as ValidationError).fieldErrors).toEqual({
      cost_per_min: ['cost_per_min is below your reseller rate 0.1.'],
    });
  });

  // `code` is the normalised code; the family's own stays in `familyCode`.
  it.each([
    [401, 'unauthorized', AuthenticationError, 'unauthenticated'],
    [403, 'forbidden', PermissionDeniedError, 'forbidden'],
    [404, 'not_found', NotFoundError, 'not_found'],
    [409, 'conflict', ConflictError, 'conflict'],
    [422, 'idempotency_key_reused', IdempotencyError, 'idempotency_key_reused'],
    [429, 'rate_limited', RateLimitError, 'rate_limited'],
    [503, 'server_error', ServerError, 'server_error'],
    [413, 'payload_too_large', ApiError, 'request_failed'],
  ])('%i %s', (status, familyCode, type, code) => {
    const e = map('reseller', status, { error: familyCode, error_description: 'x' });
    expect(e).toBeInstanceOf(type);
    expect(e.code).toBe(code);
    expect(e.familyCode).toBe(familyCode);
  });
});

describe('credit-send', () => {
  it('501 not enough credits: InsufficientBalanceError, not ServerError', () => {
    const e = map('credit-send', 501, {
      error: { code: '5_topi_invalidi', details: "You don't have enough credits to perform this action." },
    });
    expect(e).toBeInstanceOf(InsufficientBalanceError);
    expect(e).not.toBeInstanceOf(ServerError);
    expect(e).toMatchObject({ code: 'insufficient_balance', asset: 'credits', available: undefined });
    expect(e.message).toBe(
      "You don't have enough credits to perform this action. Top up, or try a smaller amount.",
    );
  });

  it('501 unknown recipient: NotFoundError', () => {
    const e = map('credit-send', 501, {
      error: {
        code: '5_topi_invalidi',
        details: 'This user does not exists or you do not have the permission to use it.',
      },
    });
    expect(e).toBeInstanceOf(NotFoundError);
    expect(e.code).toBe('not_found');
    expect(e.familyCode).toBe('5_topi_invalidi');
    expect(e.message).toMatch(/it\. Check the recipient's user id\.$/);
  });

  it('501 with unknown details: a plain ApiError, never ServerError', () => {
    const e = map('credit-send', 501, { error: { code: '5_topi_invalidi', details: 'Something else.' } });
    expect(e.constructor).toBe(ApiError);
  });

  it.each([
    [{ code: '3_asini_tristi', details: 'Missing argument email.' }, { email: ['is required'] }],
    [{ code: '5_topi_invalidi', details: 'This email is not valid.' }, { email: ['is not valid'] }],
    [{ code: '5_topi_invalidi', details: 'This ttl is not valid.' }, { ttl: ['is not valid'] }],
    [
      { code: '5_topi_invalidi', details: 'Invalid credits: must be at most 9999.' },
      { credits: ['must be at most 9999'] },
    ],
    [
      { code: '5_topi_invalidi', details: 'Invalid user: must be an integer; credits: must be at least 1.' },
      { user: ['must be an integer'], credits: ['must be at least 1'] },
    ],
  ])('400 %o -> field errors', (error, fieldErrors) => {
    const e = map('credit-send', 400, { error });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.code).toBe('validation_failed');
    expect(e.familyCode).toBe(error.code);
    expect((e as ValidationError).fieldErrors).toEqual(fieldErrors);
  });

  it.each([
    [{ code: '3_asini_tristi', details: 'Missing argument email.' }, { email: ['is required'] }],
    [{ code: '3_asini_tristi', details: ['This parameter is missing: ', 'old'] }, { old: ['is required'] }],
    [{ code: '5_topi_invalidi', details: 'This ttl is not valid.' }, { ttl: ['is not valid'] }],
    [
      { code: '5_topi_invalidi', details: 'Invalid credits: must be at most 9999.' },
      { credits: ['must be at most 9999'] },
    ],
  ])('501 %o (an argument refused): field errors, never retried as a server error', (error, fieldErrors) => {
    const e = map('credit-send', 501, { error });
    expect(e).toBeInstanceOf(ValidationError);
    expect(e).not.toBeInstanceOf(ServerError);
    expect((e as ValidationError).fieldErrors).toEqual(fieldErrors);
  });

  it.each([
    [{ code: 'Wrong password', details: 'Wrong password.' }],
    [{ code: '5_topi_invalidi', details: 'This email is not valid.' }],
  ])('501 %o (a refused login): AuthenticationError', (error) => {
    const e = map('credit-send', 501, { error });
    expect(e).toBeInstanceOf(AuthenticationError);
    expect(e.code).toBe('unauthenticated');
    expect(e.message).toMatch(/Check the credentials for this family\.$/);
  });

  it.each([
    [401, { code: 'Invalid token', details: 'Token expired.' }, AuthenticationError, 'unauthenticated'],
    [401, { code: 'Wrong password', details: 'Wrong password.' }, AuthenticationError, 'unauthenticated'],
    [422, { code: 'idempotency_key_reused', details: 'x' }, IdempotencyError, 'idempotency_key_reused'],
    [409, { code: 'conflict', details: 'x' }, ConflictError, 'conflict'],
    [503, { code: 'server_error', details: 'x' }, ServerError, 'server_error'],
  ])('%i %o', (status, error, type, code) => {
    const e = map('credit-send', status, { error });
    expect(e).toBeInstanceOf(type);
    expect(e.code).toBe(code);
    expect(e.familyCode).toBe(error.code);
  });
});

describe('billing', () => {
  const problem = (slug: string, status: number, extra: object = {}) => ({
    type: `urn:ledgerline:problem:${slug}`,
    title: 'T',
    status,
    detail: `Detail of ${slug}.`,
    ...extra,
  });

  it('402 insufficient-funds: InsufficientBalanceError, with balanceUsd when present', () => {
    const e = map('billing', 402, problem('insufficient-funds', 402, { balanceUsd: 0.42 }));
    expect(e).toBeInstanceOf(InsufficientBalanceError);
    expect(e).toMatchObject({ available: 0.42, asset: 'usd', code: 'insufficient_balance' });
    expect(e.message).toBe(
      'Detail of insufficient-funds: 0.42 USD available. Top up, or try a smaller amount.',
    );
    expect(map('billing', 402, problem('insufficient-funds', 402))).toMatchObject({ available: undefined });
  });

  it('validation: errors[] grouped by field', () => {
    const e = map(
      'billing',
      400,
      problem('validation', 400, {
        errors: [
          { field: 'amountUsd', message: 'amountUsd must be at least 5' },
          { field: 'amountUsd', message: 'amountUsd must have at most 2 decimals' },
          { field: 'reason', message: 'reason is required' },
          { nonsense: true },
        ],
      }),
    );
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.code).toBe('validation_failed');
    expect(e.familyCode).toBe('validation');
    expect((e as ValidationError).fieldErrors).toEqual({
      amountUsd: ['amountUsd must be at least 5', 'amountUsd must have at most 2 decimals'],
      reason: ['reason is required'],
    });
  });

  it.each([
    ['idempotency-key-reused', 422, IdempotencyError, 'idempotency_key_reused'],
    ['unauthenticated', 401, AuthenticationError, 'unauthenticated'],
    ['forbidden', 403, PermissionDeniedError, 'forbidden'],
    ['not-found', 404, NotFoundError, 'not_found'],
    ['conflict', 409, ConflictError, 'conflict'],
    ['malformed-json', 400, ValidationError, 'validation_failed'],
    ['unsupported-media-type', 415, ApiError, 'request_failed'],
  ])('%s (%i)', (slug, status, type, code) => {
    const e = map('billing', status, problem(slug, status));
    expect(e).toBeInstanceOf(type);
    expect(e.code).toBe(code);
    expect(e.familyCode).toBe(slug);
  });

  it('403 keeps the detail and says what to check', () => {
    expect(map('billing', 403, problem('forbidden', 403)).message).toBe(
      'Detail of forbidden. Check the role or scopes of the credential.',
    );
  });
});

describe('parseFieldList', () => {
  it('reads `<field>: <message>` items and skips the rest', () => {
    expect(parseFieldList('a: x; b.c[0]: y.; Invalid JSON: z; a: w')).toEqual({
      a: ['x', 'w'],
      'b.c[0]': ['y'],
    });
    expect(parseFieldList(undefined)).toEqual({});
  });
});
