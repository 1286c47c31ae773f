/**
 * Property tests over generated operation sequences (10,000 in total) on all five assets
 * (scales 0, 2 and 6): conservation, no negative user-facing balance, exact agreement with an
 * independent decimal model, replays that post nothing, snapshot round trips and refused
 * transactions that change nothing. Every sequence checks every rule; the properties differ in
 * which operations they favour.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { DAY_MS } from '../../mock/ledger/index.js';
import { type AmountSpec, type Op, type PostingSpec, runOps } from './model.js';

const amount: fc.Arbitrary<AmountSpec> = fc.record({
  units: fc.oneof(
    { weight: 6, arbitrary: fc.bigInt({ min: 0n, max: 5_000n }) },
    { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 12n }) },
    // Past 2^53: the engine's bigint path must agree with its safe-integer fast path.
    { weight: 1, arbitrary: fc.bigInt({ min: 2n ** 52n, max: 2n ** 66n }) },
  ),
  decimals: fc.oneof(
    { weight: 10, arbitrary: fc.constant('scale' as const) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 7 }) },
  ),
  asNumber: fc.boolean(),
});

function posting(invalidWeight: number): fc.Arbitrary<PostingSpec> {
  return fc.record({
    from: fc.oneof(
      { weight: 2, arbitrary: fc.constant(0) },
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) },
    ),
    to: fc.integer({ min: 0, max: 2 }),
    self: fc.oneof(
      { weight: 40, arbitrary: fc.constant(false) },
      { weight: invalidWeight, arbitrary: fc.constant(true) },
    ),
    asset: fc.integer({ min: 0, max: 1 }),
    unknownAsset: fc.oneof(
      { weight: 20, arbitrary: fc.constant(false) },
      { weight: invalidWeight, arbitrary: fc.constant(true) },
    ),
    amount,
    foreign: fc.oneof(
      { weight: 20, arbitrary: fc.constant(false) },
      { weight: invalidWeight, arbitrary: fc.constant(true) },
    ),
  });
}

const family = fc.integer({ min: 0, max: 3 });

function ops(weights: {
  commit: number;
  request: number;
  retry?: number;
  advance: number;
  restore: number;
  invalid: number;
}): fc.Arbitrary<Op[]> {
  const postings = fc.array(posting(weights.invalid), { minLength: 0, maxLength: 4 });
  return fc.array(
    fc.oneof(
      {
        weight: weights.commit,
        arbitrary: fc.record({ kind: fc.constant('commit' as const), family, postings }),
      },
      {
        weight: weights.request,
        arbitrary: fc.record({
          kind: fc.constant('request' as const),
          scope: fc.integer({ min: 0, max: 1 }),
          key: fc.integer({ min: 0, max: 3 }),
          family,
          postings,
          // A few 5xx answers: kept for replay or released by the family's rule (credit-send keeps 501).
          serverStatus: fc.oneof(
            { weight: 8, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.constantFrom(500 as const, 501 as const, 503 as const) },
          ),
        }),
      },
      {
        weight: weights.retry ?? 0,
        arbitrary: fc.record({ kind: fc.constant('retry' as const), nth: fc.nat(30) }),
      },
      {
        weight: weights.advance,
        arbitrary: fc.record({
          kind: fc.constant('advance' as const),
          ms: fc.oneof(
            fc.integer({ min: 0, max: 60_000 }),
            fc.integer({ min: 0, max: 2 * DAY_MS }),
            // Exactly at and just before the idempotency expiry.
            fc.constantFrom(DAY_MS - 1, DAY_MS),
          ),
        }),
      },
      { weight: weights.restore, arbitrary: fc.constant({ kind: 'restore' as const }) },
    ),
    { minLength: 1, maxLength: 30 },
  );
}

// fast-check runs thousands of sequences: on a loaded 2-core machine they need more than the default timeout.
describe('ledger properties', { timeout: 120_000 }, () => {
  it('conserves every asset, keeps user balances non-negative and matches the decimal model exactly', () => {
    fc.assert(
      fc.property(ops({ commit: 10, request: 0, advance: 1, restore: 0, invalid: 0 }), (sequence) =>
        runOps(sequence),
      ),
      { numRuns: 4000 },
    );
  });

  it('refused transactions change nothing at all', () => {
    fc.assert(
      fc.property(ops({ commit: 10, request: 0, advance: 1, restore: 0, invalid: 4 }), (sequence) =>
        runOps(sequence, { snapshotOnRefusal: true }),
      ),
      { numRuns: 2000 },
    );
  });

  it('replayed requests post nothing; reused keys with another body and expired keys behave', () => {
    fc.assert(
      fc.property(ops({ commit: 2, request: 6, retry: 6, advance: 2, restore: 0, invalid: 1 }), (sequence) =>
        runOps(sequence, { maxRecords: 3 }),
      ),
      { numRuns: 2000 },
    );
  });

  it('snapshot and restore round-trip identically at any point and the restored ledger behaves the same', () => {
    fc.assert(
      fc.property(ops({ commit: 6, request: 3, retry: 2, advance: 1, restore: 2, invalid: 1 }), (sequence) =>
        runOps(sequence),
      ),
      { numRuns: 2000 },
    );
  });
});
