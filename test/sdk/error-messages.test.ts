import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  createApiError,
  InsufficientBalanceError,
  LedgerlineError,
  RateLimitError,
  ValidationError,
} from '../../src/index.js';
import { demoClient, useReferenceServer } from './support.js';

const { app } = await useReferenceServer();

/** The error a call rejects with. */
async function failure(pending: Promise<unknown>): Promise<ApiError> {
  try {
    await pending;
  } catch (error) {
    return error as ApiError;
  }
  throw new Error('expected the call to fail');
}

describe('what an error says', () => {
  it("a refused login: the server's own words, then what to check", async () => {
    const client = demoClient({ credentials: { creditSend: { email: 'ada@example.com', secret: 'wrong' } } });
    const error = await failure(client.creditSend.send({ user: 11, credits: 1 }));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toBe('Wrong password. Check the credentials for this family.');
  });

  it("a rate limit: the server's words, then to slow down", async () => {
    app.faults.add({ path: '/api/v1/reseller/organizations', kind: 'status', status: 429 });
    const error = await failure(demoClient({ retry: false }).reseller.listOrganizations());
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.message).toMatch(/\. Slow down and retry later\.$/);
    const limited = createApiError(
      'billing',
      'getWallet',
      429,
      { code: 'rate_limited', detail: 'Too many.' },
      new Headers(),
    );
    expect(limited.message).toBe('Too many. Slow down and retry later.');
  });

  it('a field with two messages lists both, comma-separated', () => {
    const error = createApiError(
      'billing',
      'topUpWallet',
      400,
      {
        type: 'about:blank',
        code: 'validation_error',
        title: 'Bad Request',
        status: 400,
        detail: 'The request has invalid fields.',
        errors: [
          { field: 'amountUsd', message: 'amountUsd must be at least 5' },
          { field: 'amountUsd', message: 'amountUsd must have at most 2 decimals' },
          { field: 'reason', message: 'reason is required' },
        ],
      },
      new Headers(),
    );
    expect(error.message).toBe(
      'Invalid request: amountUsd: amountUsd must be at least 5, amountUsd must have at most 2 decimals; reason: reason is required. Fix these fields and send again.',
    );
  });

  it("a credit-send refusal that names no reason: a plain ApiError with code request_failed and the server's words", () => {
    // The reference server's answer to a body that is not JSON: 501 like every argument refusal.
    const error = createApiError(
      'credit-send',
      'sendCredits',
      501,
      {
        error: {
          code: '5_topi_invalidi',
          details: 'The request body is not valid JSON: Unexpected end of input.',
        },
      },
      new Headers(),
    );
    expect(error.constructor).toBe(ApiError);
    expect(error.code).toBe('request_failed');
    expect(error.message).toMatch(/^The request body is not valid JSON: Unexpected end of input\. /);
  });

  it('a billing 402 whose body is not a problem document is still a short USD balance', () => {
    // A proxy or an older server between the SDK and the API: the status alone says what happened.
    const error = createApiError(
      'billing',
      'topUpWallet',
      402,
      '<html>Payment Required</html>',
      new Headers(),
    );
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect(error).toMatchObject({ code: 'insufficient_balance', asset: 'usd', available: undefined });
    expect(error.message).toBe('Insufficient balance. Top up, or try a smaller amount.');
  });

  it('a white-label 422 without field errors is still a validation failure', () => {
    const error = createApiError(
      'white-label',
      'registerWhiteLabelUser',
      422,
      { message: 'The given data was invalid.' },
      new Headers(),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ code: 'validation_failed', fieldErrors: {} });
    expect(error.message).toBe('The given data was invalid.');
  });
});

describe('error names', () => {
  // `name` is what a stack trace, a log line and `String(error)` show; it must survive minifiers.
  it.each([
    [401, 'AuthenticationError'],
    [400, 'ValidationError'],
    [413, 'ApiError'],
    [429, 'RateLimitError'],
  ])('a reseller %i is a %s by name', (status, name) => {
    const error = createApiError(
      'reseller',
      'op',
      status,
      { error: 'x', error_description: 'Y.' },
      new Headers(),
    );
    expect(error.name).toBe(name);
    expect(String(error)).toBe(
      `${name}: Y.${status === 401 ? ' Check the credentials for this family.' : ''}${status === 429 ? ' Slow down and retry later.' : ''}`,
    );
  });

  it('a short balance is an InsufficientBalanceError by name', () => {
    const error = createApiError(
      'reseller',
      'op',
      400,
      { error: 'insufficient_balance', error_description: 'Insufficient balance.', available_balance: 1 },
      new Headers(),
    );
    expect(error.name).toBe('InsufficientBalanceError');
  });

  it('the base class is a LedgerlineError by name', () => {
    expect(new LedgerlineError('x').name).toBe('LedgerlineError');
  });
});
