import { describe, expect, it } from 'vitest';
import { Clock, DAY_MS, IdempotencyStore, isLedgerError } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger } from './support.js';

// Ledger.writes is what a durable store reads around an operation (with the family states' writes,
// World.version) to tell whether it changed anything: a change it misses would be lost at the next
// restart, a refusal it counts would cost a record (docs/decisions.md, "What the durable log records").

/** `amount` minutes from white-label account `from` (0: the system account) to account 2. */
const transfer = (amount: bigint, from = 1) => ({
  family: 'white-label' as const,
  operation: 'transfer',
  postings: [
    { debit: accountId('white-label', from), credit: accountId('white-label', 2), asset: 'minutes', amount },
  ],
});

describe("a ledger's writes", () => {
  it('move on an account opened, identifiers added or removed and a transaction committed', () => {
    const ledger = fixtureLedger();
    const moved = (change: () => void) => {
      const before = ledger.writes;
      change();
      return ledger.writes - before;
    };
    expect(moved(() => ledger.openAccount({ id: 'wl:new', family: 'white-label', kind: 'user' }))).toBe(1);
    const key = [{ kind: 'apiKey' as const, value: 'k_new' }];
    expect(moved(() => ledger.addIdentifiers('wl:new', key))).toBe(1);
    expect(moved(() => ledger.removeIdentifiers('wl:new', key))).toBe(1);
    expect(moved(() => ledger.commit(transfer(5n, 0)))).toBe(1);
    // And with its idempotency store's: a stored answer is a change to the ledger's state too.
    expect(
      moved(() => {
        ledger.idempotency.begin('s', 'k1', 'f');
        ledger.idempotency.complete('s', 'k1', { status: 201, body: {} });
      }),
    ).toBe(1);
  });

  it('do not move on reads, a preview or a refused transaction', () => {
    const ledger = fixtureLedger();
    const before = ledger.writes;
    ledger.balances(accountId('white-label', 1));
    ledger.journal();
    ledger.preview(transfer(1n, 0));
    const refused = ledger.tryCommit(transfer(1_000n));
    expect(refused.ok === false && isLedgerError(refused.error)).toBe(true);
    expect(() =>
      ledger.openAccount({ id: accountId('white-label', 1), family: 'white-label', kind: 'user' }),
    ).toThrow();
    expect(ledger.writes).toBe(before);
  });
});

describe("an idempotency store's writes", () => {
  const setup = () => {
    const clock = Clock.controlled('2024-03-01T00:00:00Z');
    return { clock, store: new IdempotencyStore(clock) };
  };

  it('move when an answer is stored, and not for a key claimed and released', () => {
    const { store } = setup();
    const start = store.writes;
    expect(store.begin('s', 'k1', 'f').kind).toBe('started');
    store.release('s', 'k1');
    expect(store.writes).toBe(start);
    store.begin('s', 'k2', 'f');
    store.complete('s', 'k2', { status: 201, body: {} });
    expect(store.writes).toBe(start + 1);
    // A replay reads the stored answer.
    expect(store.begin('s', 'k2', 'f').kind).toBe('replay');
    expect(store.writes).toBe(start + 1);
  });

  it('move when expired keys are purged (a scope, or a full pool) and when records are imported', () => {
    const { clock, store } = setup();
    store.begin('s', 'old', 'f');
    store.complete('s', 'old', { status: 201, body: {} });
    clock.advance(DAY_MS);
    const beforePurge = store.writes;
    store.begin('s', 'new', 'f');
    store.release('s', 'new');
    expect(store.writes).toBe(beforePurge + 1);
    const pool = new IdempotencyStore(clock, { maxRecords: 1 });
    pool.begin('a', 'k', 'f');
    pool.complete('a', 'k', { status: 201, body: {} });
    clock.advance(DAY_MS);
    const beforePool = pool.writes;
    // Another scope: only the full pool's purge reaches the expired key.
    expect(pool.begin('b', 'k', 'f').kind).toBe('started');
    pool.release('b', 'k');
    expect(pool.writes).toBe(beforePool + 1);
    const beforeImport = store.writes;
    store.importRecords([]);
    expect(store.writes).toBe(beforeImport + 1);
  });
});
