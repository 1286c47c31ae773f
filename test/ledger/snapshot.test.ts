import { describe, expect, it } from 'vitest';
import {
  isLedgerError,
  type LedgerSnapshot,
  requestFingerprint,
  restoreSnapshot,
  takeSnapshot,
} from '../../mock/ledger/index.js';
import { accountId, fixtureLedger } from './support.js';

function sampleLedger(): ReturnType<typeof fixtureLedger> {
  const ledger = fixtureLedger();
  ledger.addIdentifiers(accountId('reseller', 1), [
    { kind: 'apiKey', value: 'rs_demo' },
    { kind: 'email', value: 'A@x.io', scope: 's' },
  ]);
  ledger.commit({
    family: 'reseller',
    operation: 'opening',
    idempotencyKey: 'k-1',
    metadata: { note: 'seed', nested: { list: [1, 'two', null] } },
    postings: [
      {
        debit: accountId('reseller', 0),
        credit: accountId('reseller', 1),
        asset: 'usd',
        amount: 61_813_000n,
      },
    ],
  });
  ledger.commit({
    family: 'billing',
    operation: 'big',
    postings: [
      {
        debit: accountId('billing', 0),
        credit: accountId('billing', 2),
        asset: 'credits',
        amount: 2n ** 70n,
      },
    ],
  });
  ledger.idempotency.begin('cred', 'k-1', requestFingerprint('POST', '/x', { a: 1 }));
  ledger.idempotency.complete('cred', 'k-1', {
    status: 201,
    body: { id: 1 },
    headers: { 'x-request-id': 'r1' },
  });
  ledger.idempotency.begin('cred', 'in-flight', 'f');
  ledger.clock.advance(1234);
  return ledger;
}

describe('snapshots', () => {
  it('round-trip through JSON text identically, extensions included', () => {
    const ledger = sampleLedger();
    const extensions = { tokens: [{ token: 't1', exp: 5 }], settings: { fee: 1 } };
    const text = JSON.stringify(takeSnapshot(ledger, extensions));
    const restored = restoreSnapshot(JSON.parse(text) as LedgerSnapshot);
    expect(JSON.stringify(takeSnapshot(restored.ledger, restored.extensions))).toBe(text);
    expect(restored.extensions).toEqual(extensions);
  });

  it('restores balances, lookups, entries, cursors, clock and completed idempotency records', () => {
    const ledger = sampleLedger();
    const cursor = ledger.journal({ limit: 1 }).nextCursor;
    const { ledger: copy } = restoreSnapshot(
      JSON.parse(JSON.stringify(takeSnapshot(ledger))) as LedgerSnapshot,
    );
    expect(copy.balance(accountId('billing', 2), 'credits')).toBe(2n ** 70n);
    expect(copy.findAccount('reseller', 'apiKey', 'rs_demo')?.id).toBe(accountId('reseller', 1));
    expect(copy.entry(1)).toEqual(ledger.entry(1));
    expect(copy.journal({ limit: 1, cursor }).entries[0]?.id).toBe(1);
    expect(copy.clock.now()).toBe(ledger.clock.now());
    expect(copy.clock.mode).toBe('controlled');
    expect(copy.idempotency.begin('cred', 'k-1', requestFingerprint('POST', '/x', { a: 1 })).kind).toBe(
      'replay',
    );
    // A restart ends in-flight requests, so their keys are free again.
    expect(copy.idempotency.begin('cred', 'in-flight', 'f').kind).toBe('started');
  });

  it("keeps each account's parent and the idempotency limits; the restoring process's quotas win", () => {
    const ledger = fixtureLedger({ idempotency: { ttlMs: 3_600_000, maxRecords: 7 } });
    ledger.openAccount({
      id: 'billing:child',
      family: 'billing',
      kind: 'user',
      parent: accountId('billing', 1),
    });
    const snapshot = JSON.parse(JSON.stringify(takeSnapshot(ledger))) as LedgerSnapshot;
    const { ledger: copy } = restoreSnapshot(snapshot);
    expect(copy.account('billing:child')?.parent).toBe(accountId('billing', 1));
    expect(copy.account(accountId('billing', 1))?.parent).toBeNull();
    expect([copy.idempotency.ttlMs, copy.idempotency.maxRecords]).toEqual([3_600_000, 7]);
    const quota = restoreSnapshot(snapshot, { idempotency: { maxRecords: 3 } }).ledger.idempotency;
    expect([quota.ttlMs, quota.maxRecords]).toEqual([3_600_000, 3]);
  });

  it("resumes a real clock at the restoring process's time, from which it keeps following it", () => {
    const snapshot = JSON.parse(JSON.stringify(takeSnapshot(sampleLedger()))) as LedgerSnapshot;
    let system = snapshot.clock.nowMs + 60_000;
    const { ledger } = restoreSnapshot(
      { ...snapshot, clock: { mode: 'real', nowMs: snapshot.clock.nowMs } },
      {
        realNow: () => system,
      },
    );
    expect([ledger.clock.mode, ledger.clock.now()]).toEqual(['real', system]);
    system += 1_000;
    expect(ledger.clock.now()).toBe(system);
  });

  it('refuses a snapshot whose balances disagree with its journal, or that is not one', () => {
    const snapshot = takeSnapshot(sampleLedger());
    const tampered = {
      ...snapshot,
      accounts: snapshot.accounts.map((a) =>
        a.id === accountId('reseller', 1) ? { ...a, balances: { usd: '1' } } : a,
      ),
    };
    const attempts = [
      tampered,
      { ...snapshot, version: 2 },
      null,
      { ...snapshot, journal: [[0, 'billing', 'x', null, null, [['nope', 'x', 'credits', '1']]]] },
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        restoreSnapshot(attempt as LedgerSnapshot);
      } catch (error) {
        caught = error;
      }
      expect(isLedgerError(caught, 'invalid_snapshot')).toBe(true);
    }
  });
});
