import { describe, expect, it } from 'vitest';
import { call, demoApp } from './support.js';
import { USER_KEY } from './white-label-support.js';

// Query parameters arrive as text: a numeric one is read as a number only when it is one, a text
// one stays text however it looks, and only a closed query (the control API's) refuses unknown names.

describe('query parameters', () => {
  it('keeps a text parameter that looks like a number as text', async () => {
    const answer = await call(demoApp(), 'GET', '/api/user/calls', {
      bearer: USER_KEY,
      query: { phone_number: '5551234', per_page: 5 },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.per_page).toBe(5);
  });

  it('ignores a parameter an open query does not list', async () => {
    const answer = await call(demoApp(), 'GET', '/api/user/calls', {
      bearer: USER_KEY,
      query: { foo: '1' },
    });
    expect(answer.status).toBe(200);
  });

  it.each([['a5'], ['5a'], ['x']])('refuses the numeric parameter limit=%s naming it', async (limit) => {
    const answer = await call(demoApp(), 'GET', '/_mock/journal', { query: { limit } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      error: 'Invalid query: limit must be a number.',
      issues: [{ path: 'limit', message: 'must be a number' }],
    });
  });

  it('refuses a parameter a closed query does not list, listing the ones it has', async () => {
    const answer = await call(demoApp(), 'GET', '/_mock/journal', { query: { bogus: '1' } });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe(
      'Invalid query: bogus is not a field; the fields here are "family", "account", "limit", "cursor".',
    );
  });
});
