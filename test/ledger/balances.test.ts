import { describe, expect, it } from 'vitest';
import { BalanceTable, isSafeBig } from '../../mock/ledger/balances.js';
import { accountId, fixtureLedger } from './support.js';

const MAX = Number.MAX_SAFE_INTEGER;
const BIG_MAX = BigInt(MAX);

describe('a balance table', () => {
  it('tells the bigints a number holds exactly, up to the safe bounds on both sides', () => {
    expect(isSafeBig(BIG_MAX)).toBe(true);
    expect(isSafeBig(-BIG_MAX)).toBe(true);
    expect(isSafeBig(0n)).toBe(true);
    expect(isSafeBig(BIG_MAX + 1n)).toBe(false);
    expect(isSafeBig(-BIG_MAX - 1n)).toBe(false);
  });

  // getSmall is the engine's fast read: a number while the slot is a safe integer, NaN past it.
  it('keeps a slot exact past the safe range, and a number again once it is back', () => {
    const table = new BalanceTable();
    table.allocate(2);
    table.add(0, BIG_MAX);
    table.add(1, -BIG_MAX);
    expect(table.getSmall(0)).toBe(MAX);
    expect(table.getSmall(1)).toBe(-MAX);
    table.add(0, 2n);
    expect(table.get(0)).toBe(BIG_MAX + 2n);
    expect(table.getSmall(0)).toBeNaN();
    // One slot past the range leaves the others' fast read alone.
    expect(table.getSmall(1)).toBe(-MAX);
    table.add(0, -3n);
    expect(table.get(0)).toBe(BIG_MAX - 1n);
    expect(table.getSmall(0)).toBe(MAX - 1);
  });

  it('adds small deltas exactly when the sum leaves the safe range', () => {
    const table = new BalanceTable();
    table.allocate(1);
    table.addSmall(0, MAX);
    table.addSmall(0, 2); // 2^53 + 1 has no float64: a float sum would read 2^53
    expect(table.get(0)).toBe(BIG_MAX + 2n);
    table.addSmall(0, -5);
    expect(table.getSmall(0)).toBe(MAX - 3);
  });

  it('sets a slot to a value whatever it held', () => {
    const table = new BalanceTable();
    table.allocate(1);
    table.add(0, 3n);
    table.set(0, 5n);
    expect(table.get(0)).toBe(5n);
  });

  it('grows for as many slots as are reserved, one at a time or many at once, keeping their values', () => {
    const table = new BalanceTable();
    expect(table.allocate(64)).toBe(0);
    table.add(63, 9n);
    expect(table.allocate(200)).toBe(64);
    table.add(263, 7n);
    expect(table.get(263)).toBe(7n);
    expect(table.allocate(1)).toBe(264);
    table.add(264, 1n);
    expect([table.get(63), table.get(263), table.get(264)]).toEqual([9n, 7n, 1n]);
  });
});

describe('ledger balances near Number.MAX_SAFE_INTEGER', () => {
  it('stay exact on the way past the safe range and back', () => {
    const ledger = fixtureLedger();
    const sys = accountId('white-label', 0);
    const a = accountId('white-label', 1);
    const b = accountId('white-label', 2);
    const move = (debit: string, credit: string, amount: bigint) =>
      ledger.commit({
        family: 'white-label',
        operation: 'transfer',
        postings: [{ debit, credit, asset: 'minutes', amount }],
      });
    move(sys, a, BIG_MAX);
    move(sys, a, 2n);
    expect(ledger.balance(a, 'minutes')).toBe(BIG_MAX + 2n);
    expect(ledger.balance(sys, 'minutes')).toBe(-BIG_MAX - 2n);
    move(a, b, 4n);
    expect(ledger.balance(a, 'minutes')).toBe(BIG_MAX - 2n);
    expect(ledger.balance(b, 'minutes')).toBe(4n);
  });
});
