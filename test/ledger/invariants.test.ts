import { describe, expect, it } from 'vitest';
import { assertInvariants, checkInvariants } from '../../mock/ledger/index.js';
import { internalsOf } from '../../mock/ledger/ledger.js';
import { accountId, fixtureLedger } from './support.js';

describe('invariant checks', () => {
  it('pass on a healthy ledger', () => {
    const ledger = fixtureLedger();
    ledger.commit({
      family: 'white-label',
      operation: 'opening',
      postings: [
        {
          debit: accountId('white-label', 0),
          credit: accountId('white-label', 1),
          asset: 'minutes',
          amount: 100_050n,
        },
      ],
    });
    expect(checkInvariants(ledger)).toEqual([]);
    expect(() => assertInvariants(ledger)).not.toThrow();
  });

  // Credits are white-label's second asset: their balances sit past each account's first slot.
  it("pass after a move in a family's second asset", () => {
    const ledger = fixtureLedger();
    const [from, to] = [accountId('white-label', 0), accountId('white-label', 1)];
    ledger.commit({
      family: 'white-label',
      operation: 'opening',
      postings: [{ debit: from, credit: to, asset: 'credits', amount: 250n }],
    });
    expect(checkInvariants(ledger)).toEqual([]);
  });

  it('report a balance that drifted from the journal and the broken sum', () => {
    const ledger = fixtureLedger();
    // Corrupt the engine on purpose, behind the public API, to prove the checks notice.
    const { balances, accounts } = internalsOf(ledger);
    const record = accounts.require(accountId('credit-send', 2));
    balances.set(record.slotBase, -5n);
    const rules = checkInvariants(ledger)
      .map((v) => v.rule)
      .sort();
    expect(rules).toEqual(['conservation', 'non_negative', 'replay']);
    expect(() => assertInvariants(ledger)).toThrow(
      /credit-send:acct2 credit-send\/credits is -5, journal says 0/,
    );
  });
});
