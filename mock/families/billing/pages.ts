import { lowerBound } from '../../ledger/search.js';
import type { Timed } from './state.js';

/**
 * Time-ordered lists kept sorted by (timeMs, n). Records are appended in clock order; the mock
 * clock can be set backwards, so a record older than the last one is inserted at its place
 * instead (rare, O(n)). A window costs O(log n + the records in it).
 */

/** Position of the first record whose key is >= (timeMs, n). */
export function positionOf(list: readonly Timed[], timeMs: number, n: number): number {
  return lowerBound(0, list.length, (position) => {
    const at = list[position];
    return at !== undefined && (at.timeMs < timeMs || (at.timeMs === timeMs && at.n < n));
  });
}

/** Inserts `record` keeping the order; `n` must be larger than any `n` in `list` at that time. */
export function insertByTime<T extends Timed>(list: T[], record: T): void {
  const last = list[list.length - 1];
  if (
    last === undefined ||
    last.timeMs < record.timeMs ||
    (last.timeMs === record.timeMs && last.n < record.n)
  )
    list.push(record);
  else list.splice(positionOf(list, record.timeMs, record.n), 0, record);
}

/** Records with `fromMs <= timeMs < toMs`, newest first; `toMs` undefined: open. */
export function takeDesc<T extends Timed>(list: readonly T[], fromMs: number, toMs: number | undefined): T[] {
  const end = toMs === undefined ? list.length : positionOf(list, toMs, Number.NEGATIVE_INFINITY);
  const start = positionOf(list, fromMs, Number.NEGATIVE_INFINITY);
  return list.slice(start, Math.max(start, end)).reverse();
}
