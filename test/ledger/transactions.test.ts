import { describe, expect, it } from 'vitest';
import { BUILTIN_ASSETS } from '../../mock/families/index.js';
import {
  Clock,
  type CommitInput,
  type Family,
  formatAmount,
  Ledger,
  takeSnapshot,
} from '../../mock/ledger/index.js';
import { accountId, fixtureLedger, refusal } from './support.js';

const SYS = accountId('billing', 0);
const A = accountId('billing', 1);
const B = accountId('billing', 2);

function fund(ledger: ReturnType<typeof fixtureLedger>, to: string, units: bigint): void {
  ledger.commit({
    family: 'billing',
    operation: 'opening',
    postings: [{ debit: SYS, credit: to, asset: 'credits', amount: units }],
  });
}

describe('commit', () => {
  it('moves the amount from the debit to the credit account and journals the entry', () => {
    const ledger = fixtureLedger();
    fund(ledger, A, 10_000n);
    const entry = ledger.commit({
      family: 'billing',
      operation: 'transfer',
      idempotencyKey: 'k1',
      metadata: { reason: 'test' },
      postings: [{ debit: A, credit: B, asset: 'credits', amount: 2_550n }],
    });
    expect(ledger.balance(A, 'credits')).toBe(7_450n);
    expect(ledger.balance(B, 'credits')).toBe(2_550n);
    expect(ledger.balance(SYS, 'credits')).toBe(-10_000n);
    expect(entry).toEqual({
      id: 2,
      timeMs: ledger.clock.now(),
      family: 'billing',
      operation: 'transfer',
      idempotencyKey: 'k1',
      metadata: { reason: 'test' },
      postings: [{ debit: A, credit: B, asset: 'credits', amount: 2_550n }],
    });
    expect(ledger.entry(2)).toEqual(entry);
  });

  it('lets only system accounts go negative', () => {
    const ledger = fixtureLedger();
    fund(ledger, A, 100n);
    const error = refusal(() =>
      ledger.commit({
        family: 'billing',
        operation: 'usage',
        postings: [{ debit: A, credit: B, asset: 'credits', amount: 101n }],
      }),
    );
    expect(error.code).toBe('insufficient_funds');
    expect(error).toMatchObject({
      accountId: A,
      asset: 'credits',
      available: 100n,
      required: 101n,
      scale: 2,
    });
    expect(formatAmount(error.available ?? 0n, error.scale ?? 0)).toBe(1);
    expect(ledger.scaleOf('billing', 'credits')).toBe(error.scale);
    expect(ledger.balance(SYS, 'credits')).toBe(-100n);
  });

  it('checks funds on the net effect of the whole transaction', () => {
    const ledger = fixtureLedger();
    // B holds nothing but pays on what the same transaction pays it.
    ledger.commit({
      family: 'billing',
      operation: 'relay',
      postings: [
        { debit: SYS, credit: B, asset: 'credits', amount: 500n },
        { debit: B, credit: A, asset: 'credits', amount: 500n },
      ],
    });
    expect(ledger.balance(A, 'credits')).toBe(500n);
    expect(ledger.balance(B, 'credits')).toBe(0n);
  });

  it('applies nothing of a transaction with one bad posting', () => {
    const ledger = fixtureLedger();
    fund(ledger, A, 1_000n);
    const before = JSON.stringify(takeSnapshot(ledger));
    const bad: CommitInput[] = [
      {
        family: 'billing',
        operation: 'x',
        postings: [
          { debit: A, credit: B, asset: 'credits', amount: 10n },
          { debit: B, credit: A, asset: 'credits', amount: 11n },
        ],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [
          { debit: A, credit: B, asset: 'credits', amount: 10n },
          { debit: A, credit: 'nope', asset: 'credits', amount: 1n },
        ],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [
          { debit: A, credit: B, asset: 'credits', amount: 10n },
          { debit: A, credit: B, asset: 'usd', amount: 1n },
        ],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [
          { debit: A, credit: B, asset: 'credits', amount: 10n },
          { debit: A, credit: A, asset: 'credits', amount: 1n },
        ],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [{ debit: A, credit: B, asset: 'credits', amount: 0n }],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [{ debit: A, credit: B, asset: 'credits', amount: -5n }],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [{ debit: accountId('reseller', 1), credit: B, asset: 'credits', amount: 1n }],
      },
      { family: 'billing', operation: '', postings: [] },
      { family: 'billing', operation: 7 as unknown as string, postings: [] },
      {
        family: 'billing',
        operation: 'x',
        postings: [{ debit: A, credit: B, asset: 'credits', amount: 5 as unknown as bigint }],
      },
      {
        family: 'billing',
        operation: 'x',
        postings: [{ debit: A, credit: A, asset: 'credits', amount: 1n }],
      },
    ];
    const errors = bad.map((input) => refusal(() => ledger.commit(input)));
    // The messages are what a family author reads when a handler builds a bad transaction.
    expect(errors.map((error) => [error.code, error.message])).toEqual([
      ['insufficient_funds', `account ${B} has insufficient credits`],
      ['unknown_account', 'account nope does not exist'],
      ['unknown_asset', 'family billing has no asset usd'],
      ['invalid_posting', `posting moves ${A} to itself`],
      ['invalid_posting', 'posting amount must be a positive bigint, got 0'],
      ['invalid_posting', 'posting amount must be a positive bigint, got -5'],
      ['family_mismatch', `account ${accountId('reseller', 1)} belongs to reseller, not billing`],
      ['invalid_posting', 'operation must be a non-empty string'],
      ['invalid_posting', 'operation must be a non-empty string'],
      ['invalid_posting', 'posting amount must be a positive bigint, got 5'],
      ['invalid_posting', `posting moves ${A} to itself`],
    ]);
    expect(errors[2]?.asset).toBe('usd');
    expect(errors[6]?.accountId).toBe(accountId('reseller', 1));
    expect(JSON.stringify(takeSnapshot(ledger))).toBe(before);
  });

  it('keeps exact balances beyond 2^53 units', () => {
    const ledger = fixtureLedger();
    const huge = 2n ** 60n + 7n;
    fund(ledger, A, huge);
    fund(ledger, A, 2n ** 53n);
    ledger.commit({
      family: 'billing',
      operation: 'x',
      postings: [{ debit: A, credit: B, asset: 'credits', amount: 3n }],
    });
    expect(ledger.balance(A, 'credits')).toBe(huge + 2n ** 53n - 3n);
    expect(ledger.balance(SYS, 'credits')).toBe(-(huge + 2n ** 53n));
    expect(ledger.entry(1)?.postings[0]?.amount).toBe(huge);
  });

  it('records an entry without postings (an event that moves nothing)', () => {
    const ledger = fixtureLedger();
    const entry = ledger.commit({ family: 'billing', operation: 'usage-included', postings: [] });
    expect(entry.postings).toEqual([]);
    expect(entry).toMatchObject({ idempotencyKey: null, metadata: null });
    expect(ledger.journalSize).toBe(1);
  });

  it('refuses a family it keeps no accounts of, even for an entry without postings', () => {
    const ledger = fixtureLedger();
    const error = refusal(() => ledger.commit({ family: 'nope' as Family, operation: 'x', postings: [] }));
    expect([error.code, error.message]).toEqual(['invalid_posting', 'unknown family nope']);
    expect(ledger.journalSize).toBe(0);
  });

  it('freezes a copy of the metadata and hands out copies of entries', () => {
    const ledger = fixtureLedger();
    const metadata = { price: '0.2', tags: ['a'] };
    const entry = ledger.commit({ family: 'billing', operation: 'x', metadata, postings: [] });
    metadata.tags.push('b');
    expect(ledger.entry(1)?.metadata).toEqual({ price: '0.2', tags: ['a'] });
    expect(Object.isFrozen(entry.metadata)).toBe(true);
    (entry.postings as unknown[]).push('junk');
    expect(ledger.entry(1)?.postings).toEqual([]);
  });
});

describe('preview and tryCommit', () => {
  it('preview reports the changes commit would make, changing nothing', () => {
    const ledger = fixtureLedger();
    fund(ledger, A, 1_000n);
    const input: CommitInput = {
      family: 'billing',
      operation: 'x',
      postings: [{ debit: A, credit: B, asset: 'credits', amount: 250n }],
    };
    expect(ledger.preview(input)).toEqual([
      { accountId: A, asset: 'credits', before: 1_000n, after: 750n },
      { accountId: B, asset: 'credits', before: 0n, after: 250n },
    ]);
    expect(ledger.balance(A, 'credits')).toBe(1_000n);
    expect(ledger.journalSize).toBe(1);
    expect(
      refusal(() =>
        ledger.preview({ ...input, postings: [{ debit: A, credit: B, asset: 'credits', amount: 1_001n }] }),
      ).code,
    ).toBe('insufficient_funds');
  });

  it('tryCommit returns refusals instead of throwing', () => {
    const ledger = fixtureLedger();
    const result = ledger.tryCommit({
      family: 'billing',
      operation: 'x',
      postings: [{ debit: A, credit: B, asset: 'credits', amount: 1n }],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('insufficient_funds');
    fund(ledger, A, 1n);
    const ok = ledger.tryCommit({
      family: 'billing',
      operation: 'x',
      postings: [{ debit: A, credit: B, asset: 'credits', amount: 1n }],
    });
    expect(ok.ok && ok.entry.id).toBe(2);
  });

  it('tryCommit still throws what is not a ledger refusal (a month-boundary listener that fails)', () => {
    let system = Date.parse('2024-01-31T23:59:00Z');
    const ledger = new Ledger({ assets: BUILTIN_ASSETS, clock: new Clock({ realNow: () => system }) });
    ledger.clock.onMonthBoundary(() => {
      throw new Error('renewal failed');
    });
    system = Date.parse('2024-02-01T00:00:00Z');
    expect(() => ledger.tryCommit({ family: 'billing', operation: 'x', postings: [] })).toThrow(
      'renewal failed',
    );
  });
});
