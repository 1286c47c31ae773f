/**
 * Test support: a small ledger fixture and an independent reference model (plain bigint
 * arithmetic over decimal strings) that property tests compare the engine against.
 */
import { BUILTIN_ASSETS } from '../../mock/families/index.js';
import {
  type AccountKind,
  Clock,
  type Family,
  isLedgerError,
  Ledger,
  type LedgerError,
  type LedgerOptions,
} from '../../mock/ledger/index.js';

export const START_MS = Date.UTC(2024, 0, 15, 12);

/** Families and their assets, as the fixture uses them. */
export const FIXTURE_FAMILIES: readonly Family[] = ['white-label', 'reseller', 'credit-send', 'billing'];
export const USER_KINDS: readonly AccountKind[] = ['admin', 'user', 'organization'];

export function assetsOf(family: Family): { asset: string; scale: number }[] {
  return BUILTIN_ASSETS.filter((a) => a.family === family).map(({ asset, scale }) => ({ asset, scale }));
}

/** Account id `n` of a family: 0 is the system account, 1..3 user-facing ones. */
export function accountId(family: Family, n: number): string {
  return n === 0 ? `${family}:system` : `${family}:acct${n}`;
}

/** A controlled-clock ledger with, per family, one system account and three user-facing accounts. */
export function fixtureLedger(options: Omit<LedgerOptions, 'clock' | 'assets'> = {}): Ledger {
  const ledger = new Ledger({ ...options, assets: BUILTIN_ASSETS, clock: Clock.controlled(START_MS) });
  for (const family of FIXTURE_FAMILIES) {
    ledger.openAccount({ id: accountId(family, 0), family, kind: 'system' });
    for (let n = 1; n <= 3; n += 1) {
      ledger.openAccount({ id: accountId(family, n), family, kind: USER_KINDS[n - 1] ?? 'user' });
    }
  }
  return ledger;
}

/** The LedgerError `run` throws; fails the test when it throws nothing or something else. */
export function refusal(run: () => unknown): LedgerError {
  try {
    run();
  } catch (error) {
    if (isLedgerError(error)) return error;
    throw error;
  }
  throw new Error('expected a LedgerError');
}

/**
 * Reference decimal parser, written independently of money.ts: plain `int.frac` text only;
 * trailing fractional zeros do not count; undefined when it has more decimals than `scale`.
 */
export function referenceUnits(text: string, scale: number): bigint | undefined {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '0', rawFraction = ''] = body.split('.');
  let fraction = rawFraction;
  while (fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  if (fraction.length > scale) return undefined;
  const units = BigInt(whole) * 10n ** BigInt(scale) + BigInt(fraction.padEnd(scale, '0') || '0');
  return negative ? -units : units;
}

/** Decimal text of `units / 10^decimals`, written digit by digit (keeps trailing zeros). */
export function decimalText(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  if (decimals === 0) return digits;
  return `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
}

/** Balances as the model sees them: `accountId/asset` -> units. */
export type ModelBalances = Map<string, bigint>;

export function modelKey(account: string, asset: string): string {
  return `${account}/${asset}`;
}

/** Every balance of the ledger in model form (to compare with a model, or before/after a call). */
export function ledgerBalances(ledger: Ledger): ModelBalances {
  const out: ModelBalances = new Map();
  for (const account of ledger.accounts()) {
    for (const [asset, units] of Object.entries(ledger.balances(account.id)))
      out.set(modelKey(account.id, asset), units);
  }
  return out;
}
