import { describe, expect, it } from 'vitest';
import { pinSystemTime, systemNow } from '../../mock/ledger/clock.js';
import { Clock } from '../../mock/ledger/index.js';

const JAN_2024 = '2024-01-10T00:00:00.000Z';

describe('real time', () => {
  it('follows the pinned system time; each unpin restores the pin before it', () => {
    const outer = Date.parse('2001-02-03T04:05:06.007Z');
    const inner = Date.parse('1999-12-31T23:59:59.999Z');
    const unpinOuter = pinSystemTime(outer);
    try {
      expect([systemNow(), new Clock().now()]).toEqual([outer, outer]);
      const unpinInner = pinSystemTime(inner);
      expect(systemNow()).toBe(inner);
      unpinInner();
      expect(systemNow()).toBe(outer);
    } finally {
      unpinOuter();
    }
    // Unpinned again: the actual system time, years after the pins.
    expect(systemNow()).toBeGreaterThan(outer);
  });

  it('realTime reads the system time without moving a controlled clock', () => {
    const system = Date.parse('2026-03-10T08:00:00Z');
    const clock = new Clock({ mode: 'controlled', nowMs: Date.parse(JAN_2024), realNow: () => system });
    expect(clock.realTime()).toBe(system);
    expect(clock.isoNow()).toBe(JAN_2024);
  });

  it("a real clock's state is the system time when it is read", () => {
    let system = Date.parse('2026-03-10T08:00:00Z');
    const clock = new Clock({ realNow: () => system });
    system += 5_000;
    expect(clock.state()).toEqual({ mode: 'real', nowMs: system });
  });
});

describe('restart', () => {
  const setup = () => {
    const system = Date.parse('2026-03-10T08:00:00Z');
    const clock = new Clock({ realNow: () => system });
    const fired: number[] = [];
    clock.onMonthBoundary((ms) => fired.push(ms));
    return { system, clock, fired };
  };

  it('puts a controlled clock at its instant, even behind the system time', () => {
    const { clock } = setup();
    clock.restart({ mode: 'controlled', nowMs: Date.parse(JAN_2024) });
    expect([clock.mode, clock.isoNow()]).toEqual(['controlled', JAN_2024]);
  });

  it('resumes a real clock from a recorded instant ahead of the system time', () => {
    const { clock } = setup();
    const ahead = Date.parse('2030-06-01T00:00:00Z');
    clock.restart({ mode: 'real', nowMs: ahead });
    expect(clock.now()).toBe(ahead);
  });

  it('resumes a real clock recorded behind the system time at the system time, firing no month between', () => {
    const { system, clock, fired } = setup();
    clock.restart({ mode: 'real', nowMs: Date.parse('2020-01-01T00:00:00Z') });
    expect(clock.now()).toBe(system);
    expect(fired).toEqual([]);
  });
});
