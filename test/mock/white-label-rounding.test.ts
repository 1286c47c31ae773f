import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertedMinutes } from '../../mock/families/white-label/transfer.js';
import { demoApp } from './support.js';
import { ADMIN, balance, transfer } from './white-label-support.js';

// Before the fidelity audit, half-up rounding both ways let a loop mint minutes (9 x "add 1 credit" cost 0.99 minutes,
// "remove 9 credits" returned 1.00). The admin side now rounds up when the admin pays and down when it
// is refunded. In hundredths, 9 x (admin and users' minutes) + users' credits must never rise, whatever
// the sequence (users' minutes count too: minutes move 1:1 between the admin and a user).

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
    // Paid 9 x 0.12 = 1.08, got back 1.00: the admin is 0.08 minutes down, never up.
    expect(balance(app, 'white-label:admin:1', 'minutes')).toBe(before - 8n);
  });

  it('holds for every random sequence of accepted and refused transfers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
        const app = demoApp();
        let previous = value(app);
        for (const { user, type, op, amount } of steps) {
          const res = await transfer(app, ADMIN, {
            user_id: user,
            transfer_type: type,
            operation: op,
            amount,
          });
          expect([200, 400]).toContain(res.status);
          const now = value(app);
          expect(now).toBeLessThanOrEqual(previous);
          previous = now;
        }
      }),
      { numRuns: 60 },
    );
  });
});
