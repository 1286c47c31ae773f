import { describe, expect, it } from 'vitest';
import { f64Column, u32Column } from '../../mock/ledger/columns.js';

describe('a journal column', () => {
  it('keeps every value pushed past its initial capacity, even a capacity of 0', () => {
    for (const capacity of [0, 1, 16]) {
      const column = u32Column(capacity);
      for (let n = 0; n < 40; n += 1) column.push(n * 3);
      expect(column.length).toBe(40);
      expect([column.at(0), column.at(17), column.at(39)]).toEqual([0, 51, 117]);
    }
  });

  // The journal reads last() to skip an entry already indexed: -1 must never look like an entry.
  it('answers its last value, 0 included, and -1 when empty', () => {
    const column = f64Column();
    expect(column.last()).toBe(-1);
    column.push(0);
    expect(column.last()).toBe(0);
    column.push(7.5);
    expect(column.last()).toBe(7.5);
  });
});
