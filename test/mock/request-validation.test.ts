import { describe, expect, it } from 'vitest';
import { books, call, demoApp } from './support.js';

// A body the spec refuses is answered in the family's validation shape, each field with what to fix.

describe('request validation messages', () => {
  it('names a value of the wrong type and an amount with too many decimals', async () => {
    const app = demoApp();
    const before = books(app);
    const answer = await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      json: { user_id: 'abc', transfer_type: 'minutes', operation: 'add', amount: 1.234 },
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual({
      user_id: ['The user_id field must be a number.'],
      amount: ['The amount field must have at most 2 decimals.'],
    });
    expect(books(app)).toEqual(before);
  });

  it('suggests the field an unknown key most likely meant', async () => {
    const answer = await call(demoApp(), 'POST', '/_mock/reset', { json: { seeed: 'demo' } });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([{ path: 'seeed', message: 'is not a field; did you mean "seed"?' }]);
  });

  it('says a seed must be an object when it is a number', async () => {
    const answer = await call(demoApp(), 'POST', '/_mock/reset', { json: { seed: 5 } });
    expect(answer.status).toBe(400);
    expect(answer.body.issues).toEqual([{ path: 'seed', message: 'must be an object' }]);
  });
});
