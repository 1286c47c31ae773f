import { describe, expect, it } from 'vitest';
import { type LedgerSnapshot, restoreSnapshot, takeSnapshot } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger, refusal } from './support.js';

/** A snapshot as a state file holds it (parsed JSON), with one billing account funded. */
function stateFile(): Record<string, unknown> {
  const ledger = fixtureLedger();
  ledger.commit({
    family: 'billing',
    operation: 'opening',
    postings: [
      { debit: accountId('billing', 0), credit: accountId('billing', 1), asset: 'credits', amount: 500n },
    ],
  });
  return JSON.parse(JSON.stringify(takeSnapshot(ledger, { settings: { fee: 1 } }))) as Record<
    string,
    unknown
  >;
}

/** The message a restore of `snapshot` is refused with (it must be an `invalid_snapshot`). */
function refusedWith(snapshot: unknown): string {
  const error = refusal(() => restoreSnapshot(snapshot as LedgerSnapshot));
  expect(error.code).toBe('invalid_snapshot');
  return error.message;
}

// A hand-edited or truncated state file is refused with a sentence naming what is wrong in it.
const ASK = '; restore a snapshot as takeSnapshot (or MockApp.snapshot) wrote it.';

describe('restoring a damaged snapshot', () => {
  it('refuses what is not a version 1 ledger snapshot', () => {
    expect(refusedWith({ ...stateFile(), version: 2 })).toBe('not a ledgerline ledger snapshot (version 1)');
  });

  it('names a top-level part that is missing or of the wrong kind', () => {
    const { extensions: _, ...withoutExtensions } = stateFile();
    expect(refusedWith(withoutExtensions)).toBe(
      `snapshot cannot be restored: extensions is missing (it must be an object)${ASK}`,
    );
    expect(refusedWith({ ...stateFile(), extensions: null })).toBe(
      `snapshot cannot be restored: extensions is null, not an object${ASK}`,
    );
    expect(refusedWith({ ...stateFile(), accounts: {} })).toBe(
      `snapshot cannot be restored: accounts is object, not an array${ASK}`,
    );
    const file = stateFile();
    expect(
      refusedWith({ ...file, idempotency: { ...(file.idempotency as object), records: undefined } }),
    ).toBe(`snapshot cannot be restored: idempotency.records is missing (it must be an array)${ASK}`);
  });

  it('names a clock mode or time it cannot read', () => {
    const file = stateFile();
    expect(refusedWith({ ...file, clock: { mode: 'sometimes', nowMs: 0 } })).toBe(
      'snapshot cannot be restored: clock.mode "sometimes" is not real or controlled',
    );
    expect(refusedWith({ ...file, clock: { mode: 'controlled', nowMs: '2024-01-15T12:00:00Z' } })).toBe(
      'snapshot cannot be restored: clock.nowMs "2024-01-15T12:00:00Z" is not a number',
    );
  });

  it('names the balance that disagrees with the journal', () => {
    const file = stateFile();
    const accounts = (file.accounts as { id: string; balances: object }[]).map((account) =>
      account.id === accountId('billing', 1) ? { ...account, balances: { credits: '499' } } : account,
    );
    expect(refusedWith({ ...file, accounts })).toBe(
      `snapshot cannot be restored: balance of ${accountId('billing', 1)} credits does not match its journal`,
    );
  });
});
