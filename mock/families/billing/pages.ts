import { lowerBound } from '../../ledger/search.js';
import type { Timed } from './state.js';

/**
 * Time-ordered lists kept sorted by (timeMs, n). Records are appended in clock order; the mock
 * clock can be set backwards, so a record older than the last one is inserted at its place
 * instead (rare, O(n)). Cursors name the last record returned by its key, not by position, so
 * they stay valid across such insertions. A page costs O(log n + limit).
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

/** Key of the last record of the previous page. */
export interface CursorKey {
  readonly t: number;
  readonly n: number;
}

/**
 * Up to `count` records with `fromMs <= timeMs < toMs`, strictly before `after`, newest first.
 * Bounds are optional (`undefined`: open).
 */
export function takeDesc<T extends Timed>(
  list: readonly T[],
  fromMs: number | undefined,
  toMs: number | undefined,
  after: CursorKey | null,
  count: number,
): T[] {
  let end = toMs === undefined ? list.length : positionOf(list, toMs, Number.NEGATIVE_INFINITY);
  if (after !== null) end = Math.min(end, positionOf(list, after.t, after.n));
  const start = fromMs === undefined ? 0 : positionOf(list, fromMs, Number.NEGATIVE_INFINITY);
  // `slice` keeps the records in range (indexes past either end are clamped), then newest first.
  return list.slice(Math.max(start, end - count), end).reverse();
}

/** A page from records fetched newest first with one extra record to learn whether more follow. */
export function pageOf<T extends Timed>(
  fetched: readonly T[],
  limit: number,
  kind: string,
): { records: T[]; nextCursor: string | null } {
  const records = fetched.slice(0, limit);
  const last = records[records.length - 1];
  const more = fetched.length > limit && last !== undefined;
  return { records, nextCursor: more ? encodeCursor(kind, { t: last.timeMs, n: last.n }) : null };
}

/** Opaque cursor: base64url of `{k, t, n}`; `k` ties it to one list. */
export function encodeCursor(kind: string, key: CursorKey): string {
  return btoa(JSON.stringify({ k: kind, t: key.t, n: key.n }))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

/** The key in a cursor of list `kind`, or null when it is not one of ours. */
export function decodeCursor(kind: string, cursor: string): CursorKey | null {
  try {
    const text = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
    const value: unknown = JSON.parse(text);
    if (
      typeof value !== 'object' ||
      value === null ||
      !('k' in value && 't' in value && 'n' in value) ||
      value.k !== kind ||
      typeof value.t !== 'number' ||
      typeof value.n !== 'number' ||
      !Number.isSafeInteger(value.t) ||
      !Number.isSafeInteger(value.n)
    )
      return null;
    return { t: value.t, n: value.n };
  } catch {
    return null;
  }
}
