import { describe, expect, it } from 'vitest';
import { isLedgerError, type JournalQuery, type Ledger } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger, START_MS } from './support.js';

const MINUTE_MS = 60_000;

/** 30 entries one minute apart, cycling through families and accounts; returns the ledger. */
function busyLedger(): Ledger {
  const ledger = fixtureLedger();
  const families = ['billing', 'reseller', 'credit-send'] as const;
  for (let i = 0; i < 30; i += 1) {
    const family = families[i % 3] ?? 'billing';
    const asset = family === 'reseller' ? 'usd' : 'credits';
    ledger.commit({
      family,
      operation: i % 5 === 0 ? 'opening' : 'transfer',
      postings: [
        { debit: accountId(family, 0), credit: accountId(family, 1 + (i % 2)), asset, amount: BigInt(i + 1) },
      ],
    });
    ledger.clock.advance(MINUTE_MS);
  }
  return ledger;
}

/** Every page of a query, concatenated as entry ids. */
function allIds(ledger: Ledger, query: JournalQuery): number[] {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page = ledger.journal({ ...query, cursor });
    ids.push(...page.entries.map((e) => e.id));
    cursor = page.nextCursor;
  } while (cursor !== null);
  return ids;
}

/** The same selection by brute force, for comparison. */
function bruteIds(ledger: Ledger, query: JournalQuery): number[] {
  const ids: number[] = [];
  for (let id = 1; id <= ledger.journalSize; id += 1) {
    const e = ledger.entry(id);
    if (e === undefined) continue;
    if (query.family !== undefined && e.family !== query.family) continue;
    if (
      query.account !== undefined &&
      !e.postings.some((p) => p.debit === query.account || p.credit === query.account)
    )
      continue;
    ids.push(id);
  }
  return ids.reverse();
}

describe('journal queries', () => {
  it('pages newest first with a cursor and ends with nextCursor null', () => {
    const ledger = busyLedger();
    const first = ledger.journal({ limit: 4 });
    expect(first.entries.map((e) => e.id)).toEqual([30, 29, 28, 27]);
    const second = ledger.journal({ limit: 4, cursor: first.nextCursor });
    expect(second.entries.map((e) => e.id)).toEqual([26, 25, 24, 23]);
    expect(ledger.journal({ limit: 30 }).nextCursor).toBeNull();
  });

  it('filters by account and family, across pages', () => {
    const ledger = busyLedger();
    const queries: JournalQuery[] = [
      {},
      { family: 'reseller' },
      { account: accountId('billing', 1) },
      { account: accountId('billing', 0), family: 'billing' },
      { account: accountId('billing', 1), family: 'reseller' },
      { family: 'credit-send' },
      { account: accountId('reseller', 2) },
      { account: 'unknown' },
    ];
    for (const base of queries) {
      for (const limit of [1, 3, 50]) {
        const query = { ...base, limit };
        expect(allIds(ledger, query), JSON.stringify(query)).toEqual(bruteIds(ledger, query));
      }
    }
  });

  it('pages in commit order when the clock was set back (times no longer sorted by id)', () => {
    const ledger = busyLedger();
    ledger.clock.set(START_MS - 60 * MINUTE_MS);
    for (let i = 0; i < 6; i += 1) {
      ledger.commit({
        family: 'billing',
        operation: 'late',
        postings: [
          { debit: accountId('billing', 0), credit: accountId('billing', 3), asset: 'credits', amount: 1n },
        ],
      });
      ledger.clock.advance(10 * MINUTE_MS);
    }
    const queries: JournalQuery[] = [{}, { family: 'billing' }, { account: accountId('billing', 0) }];
    for (const query of queries) {
      expect(allIds(ledger, { ...query, limit: 2 })).toEqual(bruteIds(ledger, query));
    }
    expect(ledger.journal({ limit: 1 }).entries[0]?.operation).toBe('late');
  });

  it('lists an entry once for an account it touches twice', () => {
    const ledger = fixtureLedger();
    const [sys, a, b] = [0, 1, 2].map((n) => accountId('billing', n)) as [string, string, string];
    ledger.commit({
      family: 'billing',
      operation: 'split',
      postings: [
        { debit: sys, credit: a, asset: 'credits', amount: 2n },
        { debit: sys, credit: b, asset: 'credits', amount: 3n },
      ],
    });
    expect(ledger.journal({ account: sys }).entries).toHaveLength(1);
  });

  it('entry(id) answers ids 1..size and nothing for any other number', () => {
    const ledger = busyLedger();
    expect([ledger.entry(1)?.id, ledger.entry(30)?.id]).toEqual([1, 30]);
    for (const id of [0, -1, 1.5, 31]) expect(ledger.entry(id), String(id)).toBeUndefined();
  });

  it('refuses a malformed or foreign cursor', () => {
    const ledger = busyLedger();
    for (const cursor of ['x', 'j', 'j0', 'jzzzzzz', '12']) {
      let caught: unknown;
      try {
        ledger.journal({ cursor });
      } catch (error) {
        caught = error;
      }
      expect(isLedgerError(caught, 'invalid_cursor')).toBe(true);
    }
  });

  it('clamps the page size to 1..1000', () => {
    const ledger = busyLedger();
    expect(ledger.journal({ limit: 0 }).entries).toHaveLength(1);
    expect(ledger.journal({ limit: 5000 }).entries).toHaveLength(30);
  });
});
