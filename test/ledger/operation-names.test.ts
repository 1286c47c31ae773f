import { describe, expect, it } from 'vitest';
import type { CommitInput } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger, ledgerBalances } from './support.js';

// The journal keeps an operation name as a 16-bit index: 65536 distinct names fit, the next is
// refused, and refusing it must leave the balances and the journal as they were.
const MAX_NAMES = 65_536;
const SYS = accountId('billing', 0);
const A = accountId('billing', 1);

const pay = (operation: string, amounts: bigint[]): CommitInput => ({
  family: 'billing',
  operation,
  postings: amounts.map((amount) => ({ debit: SYS, credit: A, asset: 'credits', amount })),
});

describe('operation names', () => {
  it('keeps 65536 distinct names; the next one is refused and changes nothing', () => {
    const ledger = fixtureLedger();
    for (let n = 0; n < MAX_NAMES; n += 1)
      ledger.commit({ family: 'billing', operation: `op${n}`, postings: [] });
    // A name already known costs no new index.
    expect(ledger.commit(pay('op7', [5n])).operation).toBe('op7');
    const [balances, size] = [ledgerBalances(ledger), ledger.journalSize];
    for (const input of [pay('one-too-many', [1n]), pay('one-too-many', [1n, 2n])]) {
      expect(() => ledger.commit(input)).toThrow(new RangeError('more than 65536 distinct operation names'));
      expect([ledgerBalances(ledger), ledger.journalSize]).toEqual([balances, size]);
    }
    // The journal's columns still line up: the next entry reads back as committed.
    const next = ledger.commit(pay(`op${MAX_NAMES - 1}`, [3n]));
    expect(ledger.entry(next.id)).toEqual(next);
    expect(ledger.balance(A, 'credits')).toBe(8n);
  });
});
