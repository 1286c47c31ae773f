import type { Ledger } from './ledger.js';
import { internalsOf } from './ledger.js';

/** A broken ledger rule; any of these means an engine bug, never a caller error. */
export interface InvariantViolation {
  readonly rule: 'conservation' | 'replay' | 'non_negative';
  readonly message: string;
}

/**
 * Checks, in O(accounts + postings): per asset the balances of all accounts sum to zero; every
 * balance equals the replay of the journal from zero; no non-system balance is negative.
 * @param ledger The ledger to check (`app.world.ledger`).
 * @returns Every violation; empty when the books are sound. It never throws.
 * @example
 * ```ts
 * expect(checkInvariants(mock.app.world.ledger)).toEqual([]);
 * ```
 */
export function checkInvariants(ledger: Ledger): InvariantViolation[] {
  const { accounts, balances, journal } = internalsOf(ledger);
  const violations: InvariantViolation[] = [];
  const replayed = new Map<number, bigint>();
  const add = (slot: number, delta: bigint): void => {
    replayed.set(slot, (replayed.get(slot) ?? 0n) + delta);
  };
  for (let p = 0; p < journal.debit.length; p += 1) {
    const slot = ledger.assets.at(journal.asset.at(p)).slot;
    const amount = journal.amountAt(p);
    add(accounts.at(journal.debit.at(p)).slotBase + slot, -amount);
    add(accounts.at(journal.credit.at(p)).slotBase + slot, amount);
  }
  const sums = new Map<string, bigint>();
  for (const { account, slotBase } of accounts.all()) {
    for (const info of ledger.assets.ofFamily(account.family)) {
      const slot = slotBase + info.slot;
      const balance = balances.get(slot);
      const name = `${info.family}/${info.asset}`;
      sums.set(name, (sums.get(name) ?? 0n) + balance);
      const expected = replayed.get(slot) ?? 0n;
      if (balance !== expected) {
        violations.push({
          rule: 'replay',
          message: `${account.id} ${name} is ${balance}, journal says ${expected}`,
        });
      }
      if (balance < 0n && account.kind !== 'system') {
        violations.push({ rule: 'non_negative', message: `${account.id} ${name} is negative (${balance})` });
      }
    }
  }
  for (const [name, sum] of sums) {
    if (sum !== 0n) violations.push({ rule: 'conservation', message: `${name} sums to ${sum}, not 0` });
  }
  return violations;
}

/**
 * Like {@link checkInvariants}, for tests that want a throw.
 * @param ledger The ledger to check (`app.world.ledger`).
 * @throws Error listing every violation, if any.
 * @example
 * ```ts
 * afterEach(() => assertInvariants(mock.app.world.ledger));
 * ```
 */
export function assertInvariants(ledger: Ledger): void {
  const violations = checkInvariants(ledger);
  if (violations.length > 0) {
    throw new Error(
      `ledger invariants broken:\n${violations.map((v) => `- ${v.rule}: ${v.message}`).join('\n')}`,
    );
  }
}
