import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes, setEntropyTap } from '../../mock/ledger/entropy.js';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('the entropy source', () => {
  const untaps: (() => void)[] = [];
  const tap = (next: (drawn: Uint8Array) => Uint8Array) => {
    const untap = setEntropyTap(next);
    untaps.push(untap);
    return untap;
  };
  afterEach(() => {
    for (const untap of untaps.reverse()) untap();
    untaps.length = 0;
  });

  // A durable store replays an operation with the bytes it drew the first time.
  it('hands out what the tap gives, sees each draw, and draws from Web Crypto without one', () => {
    expect(randomBytes(5)).toHaveLength(5);
    const seen: number[] = [];
    tap((drawn) => {
      seen.push(drawn.length);
      return bytes(1, 2, 3);
    });
    expect(randomBytes(3)).toEqual(bytes(1, 2, 3));
    expect(seen).toEqual([3]);
  });

  it('restores the previous tap when a tap is removed', () => {
    tap(() => bytes(1));
    const untapInner = tap(() => bytes(2));
    expect(randomBytes(1)).toEqual(bytes(2));
    untapInner();
    expect(randomBytes(1)).toEqual(bytes(1));
  });

  // A replay whose recorded draw has another length is not the operation recorded.
  it('refuses a tap that gives another number of bytes than drawn', () => {
    tap(() => bytes(1, 2));
    expect(() => randomBytes(4)).toThrow(/^entropy tap gave 2 bytes for 4$/);
  });
});
