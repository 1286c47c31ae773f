import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AmountError,
  divCeil,
  divFloor,
  divHalfUp,
  formatAmount,
  formatAmountText,
  mulScaled,
  parseAmount,
  rescale,
} from '../../mock/ledger/index.js';
import { decimalText, referenceUnits } from './support.js';

function amountError(run: () => unknown): AmountError {
  try {
    run();
  } catch (error) {
    if (error instanceof AmountError) return error;
    throw error;
  }
  throw new Error('expected an AmountError');
}

describe('parseAmount reads decimal text exactly', () => {
  it('parses JSON numbers from their decimal text, not by multiplying floats', () => {
    expect(parseAmount(0.1, 2)).toBe(10n);
    expect(parseAmount(1.005, 3)).toBe(1005n); // 1.005 * 1000 is 1004.9999999999999 in floats
    expect(parseAmount(59.813, 6)).toBe(59_813_000n);
    expect(parseAmount(944.44, 2)).toBe(94_444n);
    expect(parseAmount(14, 0)).toBe(14n);
  });

  it('parses decimal strings, signs, exponents and trailing zeros', () => {
    expect(parseAmount('0.000001', 6)).toBe(1n);
    expect(parseAmount('-2.5', 2)).toBe(-250n);
    expect(parseAmount('1.50', 1)).toBe(15n);
    expect(parseAmount('1e3', 0)).toBe(1000n);
    expect(parseAmount('125e-2', 2)).toBe(125n);
    expect(parseAmount(1e-7, 7)).toBe(1n);
    expect(parseAmount('-0.00', 2)).toBe(0n);
    expect(parseAmount('007.5', 1)).toBe(75n);
  });

  it('rejects more decimals than the scale allows, with a clear message', () => {
    const error = amountError(() => parseAmount(1.234, 2));
    expect(error.code).toBe('too_many_decimals');
    expect(error.message).toBe('amount has 3 decimals; at most 2 are allowed.');
    expect(amountError(() => parseAmount('0.12345', 4, { field: 'cost_per_min' })).message).toBe(
      'cost_per_min has 5 decimals; at most 4 are allowed.',
    );
    expect(amountError(() => parseAmount(2.5, 0, { field: 'credits' })).message).toBe(
      'credits has 1 decimal; it must be a whole number.',
    );
  });

  it('rejects text that is not a decimal number and absurd magnitudes', () => {
    for (const bad of ['', ' 1', '1,5', '.5', '5.', 'abc', '0x10', '1e', '--1', 'NaN']) {
      expect(amountError(() => parseAmount(bad, 2)).code).toBe('invalid_format');
    }
    expect(amountError(() => parseAmount(Number.NaN, 2)).code).toBe('invalid_format');
    expect(amountError(() => parseAmount(Number.POSITIVE_INFINITY, 2)).code).toBe('invalid_format');
    expect(amountError(() => parseAmount('1e100', 2)).code).toBe('out_of_range');
    expect(amountError(() => parseAmount('1e999999', 2)).code).toBe('out_of_range');
  });
});

describe('parseAmount says what to fix', () => {
  it('names the field and the rule in every refusal', () => {
    const infinite = amountError(() => parseAmount(Number.POSITIVE_INFINITY, 2, { field: 'credits' }));
    expect([infinite.name, infinite.field, infinite.message]).toEqual([
      'AmountError',
      'credits',
      'credits must be a finite number.',
    ]);
    expect(amountError(() => parseAmount('abc', 2, { field: 'credits' })).message).toBe(
      'credits must be a decimal number.',
    );
    expect(amountError(() => parseAmount('1e100', 2, { field: 'minutes' })).message).toBe(
      'minutes is out of range.',
    );
    expect(amountError(() => parseAmount('1.555', 1)).message).toBe(
      'amount has 3 decimals; at most 1 is allowed.',
    );
  });

  it('takes up to 40 significant digits, leading zeros not counted', () => {
    const forty = `1${'0'.repeat(39)}`;
    expect(parseAmount(forty, 0)).toBe(10n ** 39n);
    expect(parseAmount(`00000${forty}`, 0)).toBe(10n ** 39n);
    expect(amountError(() => parseAmount(`${forty}0`, 0)).code).toBe('out_of_range');
  });
});

describe('formatAmount renders exact JSON numbers', () => {
  it('drops trailing zeros and keeps every significant digit', () => {
    expect(JSON.stringify(formatAmount(59_813_000n, 6))).toBe('59.813');
    expect(JSON.stringify(formatAmount(94_444n, 2))).toBe('944.44');
    expect(JSON.stringify(formatAmount(1_400n, 2))).toBe('14');
    expect(JSON.stringify(formatAmount(-5n, 2))).toBe('-0.05');
    expect(JSON.stringify(formatAmount(0n, 6))).toBe('0');
    expect(formatAmountText(123_456_789_012_345_678_901n, 6)).toBe('123456789012345.678901');
  });

  it('prints amounts beyond the fast range exactly: signs, leading zeros of the fraction', () => {
    expect(formatAmountText(-5n, 8)).toBe('-0.00000005');
    expect(formatAmountText(5n, 8)).toBe('0.00000005');
    expect(formatAmountText(-(10n ** 16n) - 5n, 2)).toBe('-100000000000000.05');
    expect(formatAmountText(-(10n ** 15n), 0)).toBe('-1000000000000000');
    const error = amountError(() => formatAmount(10n ** 17n + 1n, 0));
    expect([error.code, error.field, error.message]).toEqual([
      'not_representable',
      'amount',
      '100000000000000001 cannot be carried exactly as a JSON number.',
    ]);
  });

  it('refuses values no double prints exactly instead of rounding them', () => {
    expect(amountError(() => formatAmount(123_456_789_012_345_678_901n, 6)).code).toBe('not_representable');
  });

  it('round-trips through JSON for every value of up to 15 significant digits', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const json = JSON.stringify(formatAmount(units, scale));
          expect(json).toBe(formatAmountText(units, scale));
          expect(parseAmount(JSON.parse(json) as number, scale)).toBe(units);
          expect(parseAmount(json, scale)).toBe(units);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('the fast paths for numbers agree with the decimal text', () => {
  /** What parseAmount answers: the units, or the error code. */
  const outcome = (run: () => bigint): bigint | string => {
    try {
      return run();
    } catch (error) {
      if (error instanceof AmountError) return error.code;
      throw error;
    }
  };

  it('parseAmount(number) equals parseAmount(its text) for any double and scale', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true }),
          // Amounts as clients send them: up to 8 decimals, up to 10^12.
          fc
            .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }))
            .map(
              ([units, decimals]) =>
                Number(decimalText(units < 0n ? -units : units, decimals)) * (units < 0n ? -1 : 1),
            ),
        ),
        fc.integer({ min: 0, max: 6 }),
        (value, scale) => {
          expect(outcome(() => parseAmount(value, scale))).toBe(
            outcome(() => parseAmount(String(value), scale)),
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('formatAmountText equals the decimal text of the units, trailing zeros dropped', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.integer({ min: 0, max: 6 }),
        (units, scale) => {
          const text = decimalText(units < 0n ? -units : units, scale);
          const trimmed = scale === 0 ? text : text.replace(/\.?0+$/, '');
          expect(formatAmountText(units, scale)).toBe(units < 0n ? `-${trimmed}` : trimmed);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

describe('rounding', () => {
  it('rounds down and up exactly, negative numerators included, and refuses a denominator below 1', () => {
    expect([divFloor(7n, 2n), divFloor(-7n, 2n), divFloor(6n, 3n)]).toEqual([3n, -4n, 2n]);
    expect([divCeil(7n, 2n), divCeil(-7n, 2n), divCeil(6n, 3n)]).toEqual([4n, -3n, 2n]);
    expect(() => divFloor(1n, 0n)).toThrow(RangeError);
    expect(() => divCeil(1n, -1n)).toThrow('divFloor needs a positive denominator');
  });

  it('rounds half away from zero', () => {
    expect(divHalfUp(55_555n, 10n)).toBe(5556n);
    expect(divHalfUp(55_554n, 10n)).toBe(5555n);
    expect(divHalfUp(-55_555n, 10n)).toBe(-5556n);
    expect(divHalfUp(-55_554n, 10n)).toBe(-5555n);
    expect(divHalfUp(7n, -2n)).toBe(-4n);
    expect(() => divHalfUp(1n, 0n)).toThrow(RangeError);
  });

  it('does the white-label conversion: 500 credits move round_half_up(500 / 9, 2) = 55.56 minutes', () => {
    const credits = parseAmount(500, 2);
    expect(divHalfUp(credits, 9n)).toBe(5556n);
    expect(formatAmount(parseAmount(1000, 2) - 5556n, 2)).toBe(944.44);
  });

  it('does the reseller products: minutes x rate at 6 decimals', () => {
    expect(mulScaled(20n, 0, parseAmount(0.1, 4), 4, 6)).toBe(2_000_000n);
    expect(mulScaled(20n, 0, parseAmount(0.2, 4), 4, 6)).toBe(4_000_000n);
    expect(rescale(5555n, 3, 2)).toBe(556n);
    expect(rescale(12n, 2, 6)).toBe(120_000n);
  });

  it('matches a reference half-up on random operands', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        (n, d) => {
          // Reference: floor((2|n| + d) / 2d), sign restored.
          const magnitude = ((n < 0n ? -n : n) * 2n + d) / (2n * d);
          expect(divHalfUp(n, d)).toBe(n < 0n ? -magnitude : magnitude);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseAmount agrees with a reference decimal parser', () => {
  it('on generated decimal strings and numbers of every scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 6 }),
        fc.boolean(),
        (units, decimals, scale, negative) => {
          const text = `${negative ? '-' : ''}${decimalText(units, decimals)}`;
          const expected = referenceUnits(text, scale);
          const inputs: (string | number)[] = [text];
          if (units < 10n ** 15n) inputs.push(Number(text));
          for (const input of inputs) {
            if (expected === undefined)
              expect(amountError(() => parseAmount(input, scale)).code).toBe('too_many_decimals');
            else expect(parseAmount(input, scale)).toBe(expected === 0n ? 0n : expected);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });
});
