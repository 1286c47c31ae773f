import { describe, expect, it } from 'vitest';
import { divHalfUp, formatAmount, mulScaled, parseAmount } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger } from './support.js';

// The acceptance figures (docs/decisions.md, "The project contract"), built from the engine's primitives the way handlers will.
describe('worked examples of the seed pages', () => {
  it('white-label: 100 minutes to a user; 500 credits convert to 55.56 admin minutes', () => {
    const ledger = fixtureLedger();
    const [sys, admin, user] = [0, 1, 2].map((n) => accountId('white-label', n)) as [string, string, string];
    const open = (to: string, asset: string, amount: number): void => {
      ledger.commit({
        family: 'white-label',
        operation: 'opening',
        postings: [{ debit: sys, credit: to, asset, amount: parseAmount(amount, 2) }],
      });
    };
    open(admin, 'minutes', 950.5);
    open(user, 'minutes', 50.5);
    ledger.commit({
      family: 'white-label',
      operation: 'transfer',
      postings: [{ debit: admin, credit: user, asset: 'minutes', amount: parseAmount(100, 2) }],
    });
    expect(formatAmount(ledger.balance(user, 'minutes'), 2)).toBe(150.5);
    expect(formatAmount(ledger.balance(admin, 'minutes'), 2)).toBe(850.5);

    open(admin, 'minutes', 149.5); // admin at 1000
    const credits = parseAmount(500, 2);
    const minutes = divHalfUp(credits, 9n);
    ledger.commit({
      family: 'white-label',
      operation: 'transfer',
      postings: [
        { debit: admin, credit: sys, asset: 'minutes', amount: minutes },
        { debit: sys, credit: user, asset: 'credits', amount: credits },
      ],
    });
    expect(formatAmount(ledger.balance(admin, 'minutes'), 2)).toBe(944.44);
    expect(formatAmount(ledger.balance(user, 'credits'), 2)).toBe(500);
  });

  it('reseller: 20 minutes at 0.2 leaves the reseller 59.813 and the child 14', () => {
    const ledger = fixtureLedger();
    const [platform, reseller, child] = [0, 1, 2].map((n) => accountId('reseller', n)) as [
      string,
      string,
      string,
    ];
    for (const [to, amount] of [
      [reseller, 61.813],
      [child, 10],
    ] as const) {
      ledger.commit({
        family: 'reseller',
        operation: 'opening',
        postings: [{ debit: platform, credit: to, asset: 'usd', amount: parseAmount(amount, 6) }],
      });
    }
    const paid = mulScaled(20n, 0, parseAmount(0.1, 4), 4, 6);
    const received = mulScaled(20n, 0, parseAmount(0.2, 4), 4, 6);
    ledger.commit({
      family: 'reseller',
      operation: 'transfer',
      postings: [
        { debit: reseller, credit: platform, asset: 'usd', amount: paid },
        { debit: platform, credit: child, asset: 'usd', amount: received },
      ],
    });
    expect(formatAmount(ledger.balance(reseller, 'usd'), 6)).toBe(59.813);
    expect(formatAmount(ledger.balance(child, 'usd'), 6)).toBe(14);
  });

  it('credit-send: sending 2 with fee 1 leaves 97 and 2', () => {
    const ledger = fixtureLedger();
    const [fees, sender, recipient] = [0, 1, 2].map((n) => accountId('credit-send', n)) as [
      string,
      string,
      string,
    ];
    ledger.commit({
      family: 'credit-send',
      operation: 'opening',
      postings: [{ debit: fees, credit: sender, asset: 'credits', amount: 100n }],
    });
    ledger.commit({
      family: 'credit-send',
      operation: 'send',
      postings: [
        { debit: sender, credit: recipient, asset: 'credits', amount: parseAmount(2, 0) },
        { debit: sender, credit: fees, asset: 'credits', amount: 1n },
      ],
    });
    expect(ledger.balance(sender, 'credits')).toBe(97n);
    expect(ledger.balance(recipient, 'credits')).toBe(2n);
  });
});
