/**
 * Exact money: every amount is a bigint count of the asset's smallest unit (its "scale" decimals),
 * parsed from and rendered to decimal text, never through binary floating point arithmetic.
 *
 * Native bigint rather than a decimal library: the engine only needs parse, format and a few
 * rounded products; bigint is exact, allocation-light and fast on the commit hot path, and the
 * package takes no dependency for it.
 */

/** Why an amount was refused. */
export type AmountErrorCode = 'invalid_format' | 'too_many_decimals' | 'out_of_range' | 'not_representable';

/** A refused amount; `message` is fit to show to an API client (it names the field). */
export class AmountError extends Error {
  override readonly name = 'AmountError';
  constructor(
    readonly code: AmountErrorCode,
    message: string,
    /** The field name used in the message (`amount` unless the caller named it). */
    readonly field: string,
  ) {
    super(message);
  }
}

/** Options for {@link parseAmount}. */
export interface ParseAmountOptions {
  /** Field name for error messages; default `amount`. */
  readonly field?: string;
}

// Digits past this are not money; the cap also keeps `1e999999` from building a huge string.
const MAX_DIGITS = 40;
const DECIMAL_TEXT = /^([+-]?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
// Below 10^15 units a scaled amount has at most 15 significant digits, so it round-trips through a
// double exactly: the fast paths of parseAmount and formatAmount rely on it.
const FAST_LIMIT = 10n ** 15n;
const FAST_LIMIT_NUMBER = 1e15;
const FLOAT_POWERS = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];

/**
 * Parses a JSON number or a decimal string into scaled units (`parseAmount('59.813', 6)` is
 * `59813000n`). A number is read from its shortest round-trip text (`String(0.1)` is `"0.1"`),
 * which is the text JSON carried, so `0.1` parses exactly. Trailing fractional zeros do not count
 * as decimals. The sign is kept; range rules (`> 0`, maxima) belong to the caller.
 *
 * @param input A JSON number or decimal text (`59.813`, `'1e-2'`).
 * @param scale The number of decimals of the asset (2 for minutes, 6 for USD).
 * @param options `field`: the name used in error messages (default `amount`).
 * @returns The amount in units of `10^-scale`.
 * @throws AmountError `invalid_format`, `too_many_decimals` ("amount has 3 decimals; at most 2
 *   are allowed") or `out_of_range`.
 * @example
 * ```ts
 * parseAmount(944.44, 2); // 94444n
 * parseAmount('0.125', 2); // throws AmountError too_many_decimals
 * ```
 */
export function parseAmount(input: string | number, scale: number, options: ParseAmountOptions = {}): bigint {
  if (typeof input === 'number' && scale >= 0 && scale <= 6 && Number.isInteger(scale)) {
    // Fast path (4 calls per transfer): when `units / 10^scale` is exactly `input`, the decimal
    // `units / 10^scale` (at most 15 digits) is the only one of at most 15 digits that is this
    // double, so it is what `String(input)` prints and what the text path below would parse.
    const power = FLOAT_POWERS[scale] ?? 1;
    const units = Math.round(input * power);
    if (Math.abs(units) < FAST_LIMIT_NUMBER && units / power === input) return BigInt(units);
  }
  const field = options.field ?? 'amount';
  if (typeof input === 'number' && !Number.isFinite(input)) {
    throw new AmountError('invalid_format', `${field} must be a finite number.`, field);
  }
  const text = typeof input === 'number' ? String(input) : input;
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) throw new AmountError('invalid_format', `${field} must be a decimal number.`, field);
  const [, sign = '', intDigits = '', fracDigits = '', expText] = match;
  const exponent = expText === undefined ? 0 : Number(expText);
  if (Math.abs(exponent) > MAX_DIGITS * 2) throw outOfRange(field);
  let digits = (intDigits + fracDigits).replace(/^0+(?=\d)/, '');
  let decimals = fracDigits.length - exponent;
  while (decimals > 0 && digits.length > 1 && digits.endsWith('0')) {
    digits = digits.slice(0, -1);
    decimals -= 1;
  }
  if (digits === '0') return 0n;
  if (decimals > scale) throw tooManyDecimals(field, decimals, scale);
  const zeros = scale - decimals;
  if (digits.length + zeros > MAX_DIGITS) throw outOfRange(field);
  const units = BigInt(digits + '0'.repeat(zeros));
  return sign === '-' ? -units : units;
}

function tooManyDecimals(field: string, decimals: number, scale: number): AmountError {
  const has = `${field} has ${decimals} decimal${decimals === 1 ? '' : 's'}`;
  const rule =
    scale === 0 ? 'it must be a whole number' : `at most ${scale} ${scale === 1 ? 'is' : 'are'} allowed`;
  return new AmountError('too_many_decimals', `${has}; ${rule}.`, field);
}

function outOfRange(field: string): AmountError {
  return new AmountError('out_of_range', `${field} is out of range.`, field);
}

/** Exact decimal text of scaled units, without trailing zeros: `formatAmountText(59813000n, 6)` is `"59.813"`. */
export function formatAmountText(units: bigint, scale: number): string {
  // Fast path: the same range and reasoning as formatAmount's; the number prints as the exact decimal.
  if (scale >= 0 && scale <= 6 && units < FAST_LIMIT && units > -FAST_LIMIT && Number.isInteger(scale)) {
    return String(Number(units) / (FLOAT_POWERS[scale] ?? 1));
  }
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const whole = padded.slice(0, -scale);
  const fraction = padded.slice(-scale).replace(/0+$/, '');
  const text = fraction === '' ? whole : `${whole}.${fraction}`;
  return negative ? `-${text}` : text;
}

/**
 * Scaled units as a JSON number whose serialised text is exactly the decimal value
 * (`JSON.stringify(formatAmount(94444n, 2))` is `"944.44"`).
 *
 * @param units The amount in units of `10^-scale`.
 * @param scale The number of decimals of the asset.
 * @returns A number that prints exactly as the decimal value.
 * @throws AmountError `not_representable` when no double prints as that decimal (beyond about 15
 *   significant digits), rather than sending a rounded figure.
 * @example
 * ```ts
 * formatAmount(59813000n, 6); // 59.813
 * ```
 */
export function formatAmount(units: bigint, scale: number): number {
  // Fast path: below 10^15 units (15 significant digits round-trip through a double) and at most 6
  // decimals (the range where numbers print without an exponent), the correctly rounded quotient is
  // the double nearest the decimal, which is what `Number(text)` gives: no text, no check.
  if (scale >= 0 && scale <= 6 && units < FAST_LIMIT && units > -FAST_LIMIT && Number.isInteger(scale)) {
    return Number(units) / (FLOAT_POWERS[scale] ?? 1);
  }
  const text = formatAmountText(units, scale);
  const value = Number(text);
  if (String(value) !== text) {
    throw new AmountError(
      'not_representable',
      `${text} cannot be carried exactly as a JSON number.`,
      'amount',
    );
  }
  return value;
}

const POWERS_OF_TEN: bigint[] = [];

/** 10^n as a bigint (cached: scales are small and reused on every conversion). */
export function pow10(n: number): bigint {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`pow10 needs a non-negative integer, got ${n}`);
  let power = POWERS_OF_TEN[n];
  if (power === undefined) {
    power = 10n ** BigInt(n);
    POWERS_OF_TEN[n] = power;
  }
  return power;
}

/**
 * `numerator / denominator` rounded half away from zero (PHP `round`, Java `HALF_UP`), the
 * "round_half_up" of the public pages (docs/decisions.md, "The project contract"): 5555.5 -> 5556, -5555.5 -> -5556.
 */
export function divHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const n = denominator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const remainder = n % d;
  if (remainder === 0n) return quotient;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice < d) return quotient;
  return n < 0n ? quotient - 1n : quotient + 1n;
}

/** `numerator / denominator` rounded toward negative infinity (both non-negative in practice). */
export function divFloor(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('divFloor needs a positive denominator');
  const quotient = numerator / denominator;
  return numerator % denominator < 0n ? quotient - 1n : quotient;
}

/** `numerator / denominator` rounded toward positive infinity (both non-negative in practice). */
export function divCeil(numerator: bigint, denominator: bigint): bigint {
  return -divFloor(-numerator, denominator);
}

/** Moves units from one scale to another; going down rounds half up (`rescale(5555n, 3, 2)` is `556n`). */
export function rescale(units: bigint, fromScale: number, toScale: number): bigint {
  if (toScale >= fromScale) return units * pow10(toScale - fromScale);
  return divHalfUp(units, pow10(fromScale - toScale));
}

/**
 * Product of two scaled amounts at `toScale`, rounded half up once: the reseller's
 * `minutes x rate` is `mulScaled(20n, 0, 1000n, 4, 6)` (20 x 0.1000 = 2.000000 usd).
 */
export function mulScaled(a: bigint, aScale: number, b: bigint, bScale: number, toScale: number): bigint {
  return rescale(a * b, aScale + bScale, toScale);
}
