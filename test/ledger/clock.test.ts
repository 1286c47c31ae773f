import { describe, expect, it } from 'vitest';
import { Clock, nextMonthStartMs } from '../../mock/ledger/index.js';
import { accountId, fixtureLedger } from './support.js';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('clock', () => {
  it('fires every month start in years 0000..0099 too (Date.UTC reads those years as 19xx)', () => {
    const clock = Clock.controlled('0050-01-15T00:00:00Z');
    const fired: string[] = [];
    clock.onMonthBoundary((ms) => fired.push(new Date(ms).toISOString()));
    clock.set('0050-03-02T00:00:00Z');
    expect(fired).toEqual(['0050-02-01T00:00:00.000Z', '0050-03-01T00:00:00.000Z']);
  });

  it('a controlled clock stands still until set or advanced', () => {
    const clock = Clock.controlled('2024-01-31T23:00:00Z');
    expect(clock.isoNow()).toBe('2024-01-31T23:00:00.000Z');
    expect(clock.advance(30 * 60_000)).toBe(Date.parse('2024-01-31T23:30:00Z'));
    expect(clock.set(new Date('2023-05-01T00:00:00Z'))).toBe(Date.parse('2023-05-01T00:00:00Z'));
    expect(() => clock.set('not a date')).toThrow(RangeError);
    expect(() => clock.advance(Number.NaN)).toThrow(RangeError);
  });

  it('fires once per UTC month start crossed, in order, with the boundary instant', () => {
    const clock = Clock.controlled('2024-01-31T23:00:00Z');
    const seen: string[] = [];
    clock.onMonthBoundary((ms) => seen.push(iso(ms)));
    clock.advance(59 * 60_000); // 23:59, no boundary
    clock.advance(60_000); // exactly 2024-02-01T00:00
    clock.advance(60_000);
    clock.set('2024-05-15T00:00:00Z');
    expect(seen).toEqual([
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
      '2024-05-01T00:00:00.000Z',
    ]);
  });

  it('restart jumps to a state or to the system time without firing the months in between', () => {
    let system = Date.parse('2026-03-10T08:00:00Z');
    const clock = new Clock({
      mode: 'controlled',
      nowMs: Date.parse('2020-01-15T00:00:00Z'),
      realNow: () => system,
    });
    const seen: string[] = [];
    clock.onMonthBoundary((ms) => seen.push(iso(ms)));
    clock.restart();
    expect([clock.mode, clock.isoNow()]).toEqual(['real', '2026-03-10T08:00:00.000Z']);
    clock.restart({ mode: 'controlled', nowMs: Date.parse('2031-01-31T00:00:00Z') });
    expect([clock.mode, clock.isoNow()]).toEqual(['controlled', '2031-01-31T00:00:00.000Z']);
    expect(seen).toEqual([]);
    // From the restarted instant on, boundaries fire as usual.
    clock.advance(86_400_000);
    expect(seen).toEqual(['2031-02-01T00:00:00.000Z']);
    // A real clock never resumes behind the system time.
    system = Date.parse('2026-04-01T00:00:01Z');
    clock.restart({ mode: 'real', nowMs: 0 });
    expect(clock.isoNow()).toBe('2026-04-01T00:00:01.000Z');
  });

  it('moving back fires nothing; crossing again later fires again; unsubscribe stops events', () => {
    const clock = Clock.controlled('2024-03-05T00:00:00Z');
    const seen: string[] = [];
    const stop = clock.onMonthBoundary((ms) => seen.push(iso(ms)));
    clock.set('2024-02-20T00:00:00Z');
    expect(seen).toEqual([]);
    clock.set('2024-03-05T00:00:00Z');
    expect(seen).toEqual(['2024-03-01T00:00:00.000Z']);
    stop();
    clock.set('2024-06-05T00:00:00Z');
    expect(seen).toHaveLength(1);
  });

  it('the real clock checks boundaries lazily on now() and never goes backwards', () => {
    let real = Date.parse('2024-12-31T23:59:59Z');
    const clock = new Clock({ realNow: () => real });
    const seen: string[] = [];
    clock.onMonthBoundary((ms) => seen.push(iso(ms)));
    real += 2000;
    expect(seen).toEqual([]);
    expect(clock.now()).toBe(real);
    expect(seen).toEqual(['2025-01-01T00:00:00.000Z']);
    real -= 10_000;
    expect(clock.now()).toBe(Date.parse('2025-01-01T00:00:01Z'));
    expect(clock.mode).toBe('real');
  });

  it('switches between real and controlled time', () => {
    let real = Date.parse('2024-06-10T00:00:00Z');
    const clock = new Clock({ realNow: () => real });
    clock.set('2030-01-01T00:00:00Z');
    expect(clock.mode).toBe('controlled');
    clock.useRealTime();
    real += 5;
    expect(clock.now()).toBe(real);
  });

  it('nextMonthStartMs rolls over years', () => {
    expect(iso(nextMonthStartMs(Date.parse('2024-12-01T00:00:00Z')))).toBe('2025-01-01T00:00:00.000Z');
  });

  it('a listener can commit: the billing renewal runs before the commit that crossed the boundary', () => {
    const ledger = fixtureLedger();
    const [sys, wallet] = [accountId('billing', 0), accountId('billing', 1)];
    ledger.commit({
      family: 'billing',
      operation: 'opening',
      postings: [{ debit: sys, credit: wallet, asset: 'credits', amount: 100n }],
    });
    ledger.clock.onMonthBoundary((boundaryMs) => {
      ledger.commit({
        family: 'billing',
        operation: 'renewal',
        metadata: { boundary: iso(boundaryMs) },
        postings: [{ debit: wallet, credit: sys, asset: 'credits', amount: 60n }],
      });
    });
    ledger.clock.set('2024-02-01T00:00:00Z');
    expect(ledger.balance(wallet, 'credits')).toBe(40n);
    expect(ledger.journal({ limit: 1 }).entries[0]).toMatchObject({
      operation: 'renewal',
      metadata: { boundary: '2024-02-01T00:00:00.000Z' },
      timeMs: Date.parse('2024-02-01T00:00:00Z'),
    });
  });
});
