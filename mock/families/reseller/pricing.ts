import { formatAmount, formatAmountText, mulScaled, parseAmount } from '../../ledger/money.js';

// USD balances carry 6 decimals (the ledger's `usd` asset); prices per minute at most 4. A product
// `minutes x price` therefore fits the USD scale exactly: nothing here ever rounds.
export const USD_SCALE = 6;
export const RATE_SCALE = 4;

/** A price per minute in 1/10000 USD. @throws AmountError when it has more than 4 decimals. */
export function parseRate(value: number | string, field: string): bigint {
  return parseAmount(value, RATE_SCALE, { field });
}

/** Decimal text of a price, as stored in the family state (`"0.2"`). */
export const rateText = (units: bigint): string => formatAmountText(units, RATE_SCALE);

/** A price with at least 2 decimals, as the log notes show it (`Transfer of 20 minutes at 0.20/min`). */
export function priceNote(units: bigint): string {
  const text = rateText(units);
  const decimals = text.split('.')[1]?.length ?? 0;
  return decimals >= 2 ? text : `${text}${decimals === 0 ? '.' : ''}${'0'.repeat(2 - decimals)}`;
}

/** `minutes x price` in micro-dollars, exact. */
export function priceOf(minutes: number, rateUnits: bigint): bigint {
  return mulScaled(BigInt(minutes), 0, rateUnits, RATE_SCALE, USD_SCALE);
}

/** Whole minutes a balance covers at a price: `floor(balance / price)`. */
export function coveredMinutes(balanceUnits: bigint, rateUnits: bigint): number {
  if (balanceUnits <= 0n) return 0;
  return Number(balanceUnits / (rateUnits * 10n ** BigInt(USD_SCALE - RATE_SCALE)));
}

/** A USD amount as an exact JSON number. */
export const usd = (units: bigint): number => formatAmount(units, USD_SCALE);
/** A USD amount as exact decimal text (journal metadata, messages). */
export const usdText = (units: bigint): string => formatAmountText(units, USD_SCALE);
/** A price per minute as an exact JSON number. */
export const rate = (units: bigint): number => formatAmount(units, RATE_SCALE);

/** The figures of a transfer: what the reseller pays and what the child receives. */
export interface TransferFigures {
  readonly costUnits: bigint;
  readonly creditUnits: bigint;
}

/** A transfer of `minutes` sold at `priceUnits` by a reseller buying at `resellerRateUnits`. */
export function transferFigures(
  minutes: number,
  resellerRateUnits: bigint,
  priceUnits: bigint,
): TransferFigures {
  return { costUnits: priceOf(minutes, resellerRateUnits), creditUnits: priceOf(minutes, priceUnits) };
}

/** The figures of a revert: what the child loses and what the reseller gets back. */
export interface RevertFigures {
  readonly deductionUnits: bigint;
  readonly refundUnits: bigint;
}

export function revertFigures(
  minutes: number,
  resellerRateUnits: bigint,
  childPriceUnits: bigint,
): RevertFigures {
  return {
    deductionUnits: priceOf(minutes, childPriceUnits),
    refundUnits: priceOf(minutes, resellerRateUnits),
  };
}

/**
 * True when every amount can be carried exactly as a JSON number. Checked before anything moves: a
 * figure that cannot be answered must be refused, not committed and then failed with a 500.
 */
export function fitsJson(...units: readonly bigint[]): boolean {
  return units.every((amount) => {
    const text = formatAmountText(amount, USD_SCALE);
    return String(Number(text)) === text;
  });
}
