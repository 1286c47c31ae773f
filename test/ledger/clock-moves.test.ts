import { describe, expect, it } from 'vitest';
import { monthStartsCrossed } from '../../mock/ledger/clock.js';
import { Clock } from '../../mock/ledger/index.js';

const JAN_2024 = '2024-01-10T00:00:00.000Z';

describe('clock moves', () => {
  it('reach the first and last instant of years 0000..9999 and refuse one millisecond beyond', () => {
    const clock = Clock.controlled(JAN_2024);
    expect(new Date(clock.set('0000-01-01T00:00:00.000Z')).toISOString()).toBe('0000-01-01T00:00:00.000Z');
    expect(new Date(clock.set('9999-12-31T23:59:59.999Z')).toISOString()).toBe('9999-12-31T23:59:59.999Z');
    clock.set(JAN_2024);
    for (const beyond of ['-000001-12-31T23:59:59.999Z', '+010000-01-01T00:00:00.000Z']) {
      expect(() => clock.set(beyond)).toThrow(new RangeError(`instant outside years 0000..9999: ${beyond}`));
    }
    expect(() => Clock.controlled('soon')).toThrow(new RangeError('not a valid instant: soon'));
    // A refused move leaves the clock where it was.
    expect([clock.mode, clock.isoNow()]).toEqual(['controlled', JAN_2024]);
  });

  it('keep the milliseconds of a Date', () => {
    const clock = Clock.controlled(JAN_2024);
    expect(clock.set(new Date('2024-01-10T00:00:00.123Z'))).toBe(Date.parse('2024-01-10T00:00:00.123Z'));
  });

  it('refuse an advance by a non-finite amount, saying so', () => {
    const clock = Clock.controlled(JAN_2024);
    expect(() => clock.advance(Number.POSITIVE_INFINITY)).toThrow(
      new RangeError('advance needs a finite number, got Infinity'),
    );
    expect(clock.isoNow()).toBe(JAN_2024);
  });

  it('monthStartsCrossed counts the month starts a forward move fires, and 0 backwards', () => {
    const from = Date.parse('2023-11-20T00:00:00Z');
    const to = Date.parse('2024-03-02T00:00:00Z');
    const clock = Clock.controlled(from);
    const fired: number[] = [];
    clock.onMonthBoundary((ms) => fired.push(ms));
    clock.set(to);
    expect(monthStartsCrossed(from, to)).toBe(fired.length);
    expect(fired).toHaveLength(4);
    expect(monthStartsCrossed(to, from)).toBe(0);
  });
});
