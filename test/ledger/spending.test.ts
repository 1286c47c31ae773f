import { describe, expect, it } from 'vitest';
import type { Family, Posting } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger } from './support.js';

const commit = (ledger: ReturnType<typeof fixtureLedger>, family: Family, postings: Posting[]) =>
  ledger.commit({ family, operation: 'transfer', postings });

/** A posting of `amount` credits, the asset both families below hold. */
const credits = (debit: string, credit: string, amount: bigint): Posting => ({
  debit,
  credit,
  asset: 'credits',
  amount,
});

describe('spending', () => {
  it('a balance may be spent down to exactly zero, in one posting or across several', () => {
    const ledger = fixtureLedger();
    const [sys, a, b] = [0, 1, 2].map((n) => accountId('billing', n)) as [string, string, string];
    commit(ledger, 'billing', [credits(sys, a, 1_000n)]);
    commit(ledger, 'billing', [credits(a, b, 600n), credits(a, b, 400n)]);
    commit(ledger, 'billing', [credits(b, a, 1_000n)]);
    expect([ledger.balance(a, 'credits'), ledger.balance(b, 'credits')]).toEqual([1_000n, 0n]);
  });

  // White-label accounts hold minutes and credits: the second asset lives in the second slot of
  // each account, so a posting must reach exactly that slot of both accounts.
  it('moves the asset it names when the family has several, in one posting or across several', () => {
    const ledger = fixtureLedger();
    const [sys, a, b] = [0, 1, 2].map((n) => accountId('white-label', n)) as [string, string, string];
    commit(ledger, 'white-label', [credits(sys, a, 900n)]);
    commit(ledger, 'white-label', [credits(a, b, 250n)]);
    commit(ledger, 'white-label', [credits(a, b, 50n), credits(b, sys, 100n)]);
    expect([sys, a, b].map((id) => ledger.balances(id))).toEqual([
      { minutes: 0n, credits: -800n },
      { minutes: 0n, credits: 600n },
      { minutes: 0n, credits: 200n },
    ]);
  });
});
