import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { MAX_MONTH_STARTS_PER_MOVE } from '../../mock/families/control/handlers.js';
import { books, call, demoApp } from './support.js';

// One clock request once renewed an organization with 50 numbers for every month to 9999: 11 s of
// a blocked server, hundreds of thousands of journal entries. A move's work is now bounded.

const seed = {
  billing: {
    organizations: [
      {
        id: 'org_numbers',
        credits: 2_000_000,
        planId: 'starter',
        numbers: 50,
        apiKeys: [],
        sessions: ['sess_numbers'],
        settlement: 'immediate',
      },
    ],
  },
};

const clockTo = (app: ReturnType<typeof demoApp>, json: unknown) =>
  call(app, 'POST', '/_mock/clock', { json });

describe('the work of one clock move is bounded', () => {
  it('refuses a jump to 9999 with a 400 naming the limit, and changes nothing', async () => {
    const app = demoApp({ seed });
    const before = books(app);
    const refused = await clockTo(app, { now: '9999-12-31T00:00:00Z' });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('now');
    expect(refused.body.error).toContain(`at most ${MAX_MONTH_STARTS_PER_MOVE} (10 years)`);
    expect(books(app)).toEqual(before);
    expect((await call(app, 'GET', '/_mock/state')).body.now).toBe('2025-06-01T12:00:00.000Z');
  });

  it("answers the refusal openapi.yaml shows as mockSetClock's 400 example, word for word", async () => {
    const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    const documented = spec.paths['/_mock/clock'].post.responses['400'].content['application/json'];
    const app = demoApp({ seed });
    const refused = await clockTo(app, { now: '9999-12-31T00:00:00Z' });
    expect(refused.body).toEqual(documented.examples.tooFar.value);
  });

  it('refuses an advance as far, and a return to real time from year 0000', async () => {
    const app = demoApp({ seed });
    const far = await clockTo(app, { advanceSeconds: 11 * 366 * 86_400 });
    expect(far.status).toBe(400);
    expect(far.body.issues[0].path).toBe('advanceSeconds');
    // Backwards costs nothing and is allowed; coming back is refused past the bound.
    expect((await clockTo(app, { now: '0000-01-01T00:00:00Z' })).status).toBe(200);
    const before = books(app);
    const back = await clockTo(app, { now: null });
    expect(back.status).toBe(400);
    expect(back.body.error).toContain('month starts');
    expect(books(app)).toEqual(before);
    // Ten years at a time gets there, each move bounded.
    expect((await clockTo(app, { now: '0010-01-01T00:00:00Z' })).status).toBe(200);
  });

  it('a move of the most month starts allowed makes at most two entries per month and conserves', async () => {
    const app = demoApp({ seed });
    const before = app.world.ledger.journalSize;
    const moved = await clockTo(app, { advanceSeconds: 0 });
    expect(moved.status).toBe(200);
    // The app starts on 2025-06-01 (test/mock/support.ts): 120 month starts later is June 1 of 2035.
    expect((await clockTo(app, { now: '2035-06-01T12:00:00Z' })).status).toBe(200);
    const made = app.world.ledger.journalSize - before;
    expect(made).toBeGreaterThan(0);
    // Per month and organization: one rental entry and one renewal entry.
    expect(made).toBeLessThanOrEqual(MAX_MONTH_STARTS_PER_MOVE * 2);
    books(app); // asserts conservation and non-negative balances
    expect((await clockTo(app, { now: '2045-07-01T00:00:00Z' })).status).toBe(400);
  });
});
