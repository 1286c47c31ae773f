import { describe, expect, it } from 'vitest';
import { ApiError, createApiError, type Family, type ValidationError } from '../../src/index.js';

// Error bodies are untrusted: a proxy's HTML page, an older server, a body cut short. Whatever
// arrives, the caller gets an ApiError for the status, never a TypeError from the reader.
const FAMILIES: Family[] = ['white-label', 'reseller', 'credit-send', 'billing'];
const BODIES: [string, unknown][] = [
  ['an HTML page', '<html>Bad Request</html>'],
  ['null', null],
  ['an empty object', {}],
  ['an error without details', { error: {} }],
];

describe('an error body that is not the documented shape', () => {
  it.each(FAMILIES.flatMap((family) => BODIES.map(([what, body]) => [family, what, body] as const)))(
    '%s, %s: an ApiError for every status, never a throw',
    (family, _, body) => {
      for (const status of [400, 401, 403, 404, 409, 422, 429, 500, 501, 502, 503]) {
        const error = createApiError(family, 'op', status, body, new Headers());
        expect(error).toBeInstanceOf(ApiError);
        expect(error.status).toBe(status);
        expect(error.body).toBe(body);
      }
    },
  );

  it('billing: an errors[] item without a field or a message names no field', () => {
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
          { field: 'amountUsd' },
          { message: 'a message for no field' },
          { field: 'amountUsd', message: 7 },
          { field: 'reason', message: 'reason is required' },
        ],
      },
      new Headers(),
    );
    expect((error as ValidationError).fieldErrors).toEqual({ reason: ['reason is required'] });
  });

  it('white-label: a Laravel errors map keeps only its text messages', () => {
    const error = createApiError(
      'white-label',
      'registerWhiteLabelUser',
      422,
      {
        message: 'The given data was invalid.',
        errors: { email: [42, 'The email field is required.'], name: null },
      },
      new Headers(),
    );
    expect((error as ValidationError).fieldErrors).toEqual({ email: ['The email field is required.'] });
  });

  it('credit-send: the parts of a details list that are not text are left out', () => {
    const error = createApiError(
      'credit-send',
      'changePassword',
      501,
      { error: { code: '3_asini_tristi', details: ['This parameter is missing: ', 'old', 7] } },
      new Headers(),
    );
    expect((error as ValidationError).fieldErrors).toEqual({ old: ['is required'] });
  });
});
