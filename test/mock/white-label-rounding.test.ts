import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { whiteLabel } from '../../mock/families/index.js';
import { convertedMinutes, creditsCost } from '../../mock/families/white-label/transfer.js';
import { demoApp } from './support.js';
import { ADMIN, balance, CREDITS_ADMIN, transfer } from './white-label-support.js';

// Half-up rounding both ways once let a loop mint minutes (9 x "add 1 credit" cost 0.99 minutes,
// "remove 9 credits" returned 1.00). The admin now pays credits / 9 rounded up, and a removal refunds
// the user's cost basis (what was paid for the credits held) pro rata, rounded down: in hundredths,
// 9 x (admin and users' minutes) + users' credits never exceeds its starting value, whatever the
// sequence (users' minutes count too: minutes move 1:1 between the admin and a user), and taking back
// every credit a user holds refunds exactly what was paid for them (docs/decisions.md, "White-label
// credits cost basis").

const USERS = [123, 125] as const;

/** The platform's value in ninths of a hundredth of a minute: what no sequence may raise. */
function value(app: ReturnType<typeof demoApp>): bigint {
  let total = 9n * balance(app, 'white-label:admin:1', 'minutes');
  for (const id of USERS) {
    total +=
      9n * balance(app, `white-label:user:1:${id}`, 'minutes') +
      balance(app, `white-label:user:1:${id}`, 'credits');
  }
  return total;
}

/**
 * 9 x (admin and users' minutes) + each user's cost basis (in ninths): every transfer moves minutes
 * between the admin and the basis one for one, so this never changes.
 */
function conserved(app: ReturnType<typeof demoApp>): bigint {
  const state = app.world.stateOf(whiteLabel);
  let total = 9n * balance(app, 'white-label:admin:1', 'minutes');
  for (const id of USERS) {
    const account = `white-label:user:1:${id}`;
    const credits = balance(app, account, 'credits');
    total +=
      9n * balance(app, account, 'minutes') + creditsCost(credits, state.users[`1:${id}`]?.creditsCost);
  }
  return total;
}

const step = fc.record({
  user: fc.constantFrom(...USERS),
  type: fc.constantFrom('minutes', 'credits'),
  op: fc.constantFrom('add', 'remove'),
  // Small amounts with cents are where rounding bites; a few large ones drain balances.
  amount: fc.oneof(
    fc.integer({ min: 1, max: 40 }).map((cents) => cents / 100),
    fc.integer({ min: 1, max: 2000 }).map((cents) => cents / 100),
    fc.integer({ min: 1, max: 300 }),
  ),
});

describe('white-label credits conversion: rounding never creates value', () => {
  it('rounds 500 credits to 55.56 minutes (the seed page figure) and 1 credit to 0.12 / 0.11', () => {
    expect(convertedMinutes(50_000n, 'add')).toBe(5556n);
    expect(convertedMinutes(50_000n, 'remove')).toBe(5555n);
    expect(convertedMinutes(100n, 'add')).toBe(12n);
    expect(convertedMinutes(100n, 'remove')).toBe(11n);
    expect(convertedMinutes(900n, 'add')).toBe(100n);
    expect(convertedMinutes(900n, 'remove')).toBe(100n);
    expect(convertedMinutes(8n, 'remove')).toBe(0n);
    expect(convertedMinutes(1n, 'add')).toBe(1n);
  });

  it('no longer mints minutes with 9 x "add 1 credit" then "remove 9 credits"', async () => {
    const app = demoApp();
    const before = balance(app, 'white-label:admin:1', 'minutes');
    for (let i = 0; i < 9; i += 1) {
      await transfer(app, ADMIN, { user_id: 123, transfer_type: 'credits', operation: 'add', amount: 1 });
    }
    const removed = await transfer(app, ADMIN, {
      user_id: 123,
      transfer_type: 'credits',
      operation: 'remove',
      amount: 9,
    });
    expect(removed.status).toBe(200);
    // Paid 9 x 0.12 = 1.08 and took back all 9 credits: refunded the 1.08 paid, never more.
    expect(balance(app, 'white-label:admin:1', 'minutes')).toBe(before);
  });

  it('holds for every random sequence of accepted and refused transfers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const app = demoApp();
        const start = value(app);
        const basis = conserved(app);
        for (const { user, type, op, amount } of steps) {
          const res = await transfer(app, ADMIN, {
            user_id: user,
            transfer_type: type,
            operation: op,
            amount,
          });
          expect([200, 400]).toContain(res.status);
          // A refund may give back what earlier rounding took, never more than the start.
          expect(value(app)).toBeLessThanOrEqual(start);
          expect(conserved(app)).toBe(basis);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('white-label credits round trip: taking everything back refunds exactly what was paid', () => {
  it('gives 500 credits for 55.56 minutes and takes them back for 55.56: the admin ends at 1000', async () => {
    const app = demoApp();
    const credits = { user_id: 123, transfer_type: 'credits', amount: 500 } as const;
    const given = await transfer(app, CREDITS_ADMIN, { ...credits, operation: 'add' });
    expect(given.body.your_balance).toEqual({ minutes: 944.44 });
    const taken = await transfer(app, CREDITS_ADMIN, { ...credits, operation: 'remove' });
    expect(taken.status).toBe(200);
    expect(taken.body.user).toMatchObject({ credits_balance: 0 });
    expect(taken.body.your_balance).toEqual({ minutes: 1000 });
  });

  it('keeps the cost basis through a snapshot, and reads a state without one as credits / 9', async () => {
    const app = demoApp();
    const credits = { user_id: 123, transfer_type: 'credits', amount: 500 } as const;
    await transfer(app, CREDITS_ADMIN, { ...credits, operation: 'add' });
    const saved = JSON.parse(JSON.stringify(app.snapshot()));
    const restored = new MockApp({ snapshot: saved });
    const taken = await transfer(restored, CREDITS_ADMIN, { ...credits, operation: 'remove' });
    expect(taken.body.your_balance).toEqual({ minutes: 1000 });
    // A state file written before the cost basis was kept: the held credits count at credits / 9.
    delete saved.extensions.families['white-label'].users['2:123'].creditsCost;
    const older = new MockApp({ snapshot: saved });
    const back = await transfer(older, CREDITS_ADMIN, { ...credits, operation: 'remove' });
    expect(back.body.your_balance).toEqual({ minutes: 999.99 });
  });

  it('after any sequence of credits transfers, taking back every credit held restores the admin exactly', async () => {
    const credits = fc.record({
      op: fc.constantFrom('add', 'add', 'remove'),
      amount: fc.oneof(
        fc.integer({ min: 1, max: 40 }).map((cents) => cents / 100),
        fc.integer({ min: 1, max: 50_000 }).map((cents) => cents / 100),
      ),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(credits, { minLength: 1, maxLength: 25 }), async (steps) => {
        const app = demoApp();
        const admin = 'white-label:admin:2';
        const before = balance(app, admin, 'minutes');
        for (const { op, amount } of steps) {
          const res = await transfer(app, CREDITS_ADMIN, {
            user_id: 123,
            transfer_type: 'credits',
            operation: op,
            amount,
          });
          expect([200, 400]).toContain(res.status);
          // Never more back than paid: the admin is never above where it started.
          expect(balance(app, admin, 'minutes')).toBeLessThanOrEqual(before);
        }
        const held = balance(app, 'white-label:user:2:123', 'credits');
        if (held > 0n) {
          const res = await transfer(app, CREDITS_ADMIN, {
            user_id: 123,
            transfer_type: 'credits',
            operation: 'remove',
            amount: Number(held) / 100,
          });
          expect(res.status).toBe(200);
        }
        expect(balance(app, admin, 'minutes')).toBe(before);
      }),
      { numRuns: 60 },
    );
  });
});
