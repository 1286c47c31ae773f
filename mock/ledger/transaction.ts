import type { AccountRecord, AccountRegistry } from './accounts.js';
import type { AssetInfo, AssetRegistry, Family } from './assets.js';
import type { BalanceTable } from './balances.js';
import { LedgerError } from './errors.js';
import type { Posting } from './journal.js';

/** A posting with its accounts and asset resolved. */
export interface ResolvedPosting {
  readonly debit: AccountRecord;
  readonly credit: AccountRecord;
  readonly asset: AssetInfo;
  readonly amount: bigint;
}

/** Net effect of a transaction on one balance slot. */
export interface SlotDelta {
  readonly record: AccountRecord;
  readonly asset: AssetInfo;
  readonly slot: number;
  delta: bigint;
}

/** Resolves the asset of a family. @throws LedgerError `unknown_asset`. */
export function resolveAsset(assets: AssetRegistry, family: Family, asset: string): AssetInfo {
  const info = assets.find(family, asset);
  if (info === undefined) {
    throw new LedgerError('unknown_asset', `family ${family} has no asset ${String(asset)}`, { asset });
  }
  return info;
}

/** Resolves an account of a family. @throws LedgerError `unknown_account` or `family_mismatch`. */
export function resolveAccount(accounts: AccountRegistry, family: Family, id: string): AccountRecord {
  const record = accounts.require(id);
  if (record.account.family !== family) {
    throw new LedgerError(
      'family_mismatch',
      `account ${id} belongs to ${record.account.family}, not ${family}`,
      {
        accountId: id,
      },
    );
  }
  return record;
}

/** Checks an amount is a positive bigint. @throws LedgerError `invalid_posting`. */
export function checkAmount(amount: unknown): asserts amount is bigint {
  if (typeof amount !== 'bigint' || amount <= 0n) {
    throw new LedgerError(
      'invalid_posting',
      `posting amount must be a positive bigint, got ${String(amount)}`,
    );
  }
}

/** Resolves and checks every posting, without looking at balances. */
export function resolvePostings(
  accounts: AccountRegistry,
  assets: AssetRegistry,
  family: Family,
  postings: readonly Posting[],
): ResolvedPosting[] {
  return postings.map((posting) => {
    const asset = resolveAsset(assets, family, posting.asset);
    const debit = resolveAccount(accounts, family, posting.debit);
    const credit = resolveAccount(accounts, family, posting.credit);
    if (debit === credit)
      throw new LedgerError('invalid_posting', `posting moves ${posting.debit} to itself`);
    checkAmount(posting.amount);
    return { debit, credit, asset, amount: posting.amount };
  });
}

/**
 * Net change per balance slot, in order of first appearance, and the funds check on the net
 * (an account may pay out what the same transaction pays in).
 *
 * @throws LedgerError `insufficient_funds` for the first non-system balance that would go negative.
 */
export function netDeltas(resolved: readonly ResolvedPosting[], balances: BalanceTable): SlotDelta[] {
  const bySlot = new Map<number, SlotDelta>();
  const touch = (record: AccountRecord, asset: AssetInfo, delta: bigint): void => {
    const slot = record.slotBase + asset.slot;
    const existing = bySlot.get(slot);
    if (existing === undefined) bySlot.set(slot, { record, asset, slot, delta });
    else existing.delta += delta;
  };
  for (const posting of resolved) {
    touch(posting.debit, posting.asset, -posting.amount);
    touch(posting.credit, posting.asset, posting.amount);
  }
  const deltas = [...bySlot.values()];
  for (const change of deltas) {
    if (change.record.account.kind === 'system' || change.delta >= 0n) continue;
    const available = balances.get(change.slot);
    if (available + change.delta < 0n)
      throw insufficientFunds(change.record, change.asset, available, -change.delta);
  }
  return deltas;
}

/** The `insufficient_funds` error for an account and asset. */
export function insufficientFunds(
  record: AccountRecord,
  asset: AssetInfo,
  available: bigint,
  required: bigint,
): LedgerError {
  const id = record.account.id;
  return new LedgerError('insufficient_funds', `account ${id} has insufficient ${asset.asset}`, {
    accountId: id,
    asset: asset.asset,
    available,
    required,
    scale: asset.scale,
  });
}
