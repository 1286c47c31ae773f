import { FAMILIES, type Family } from './assets.js';
import type { Column } from './columns.js';
import { LedgerError } from './errors.js';
import type { Journal, JournalEntry } from './journal.js';
import { lowerBound } from './search.js';

/** Filters and paging of `Ledger.journal(...)`; every filter is optional and they combine with AND. */
export interface JournalQuery {
  /** Entries with a posting on this account. */
  readonly account?: string;
  readonly family?: Family;
  /** Inclusive lower bound of `timeMs`. */
  readonly fromMs?: number;
  /** Exclusive upper bound of `timeMs`. */
  readonly toMs?: number;
  /**
   * Only these operations. Applied while walking the account or family index, so it costs one
   * step per skipped entry: cheap when most entries match (e.g. dropping `opening`).
   */
  readonly operations?: readonly string[];
  /** Page size, 1..1000; default 50. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | null;
  /** `desc` (default): newest (last committed) first. */
  readonly order?: 'asc' | 'desc';
}

/** One page of entries. */
export interface JournalPage {
  readonly entries: JournalEntry[];
  /** Opaque; null on the last page. */
  readonly nextCursor: string | null;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 1000;

/**
 * Pages through the journal without scanning it: the account or family index narrows the
 * candidates, and a binary search per clock run (times only decrease where the clock was set
 * back) finds the time window. Cost per page: O(runs x log n + page size).
 */
export function queryJournal(journal: Journal, query: JournalQuery): JournalPage {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)));
  const after = decodeCursor(query.cursor ?? null, journal.size);
  const list = candidates(journal, query);
  if (list === undefined) return { entries: [], nextCursor: null };
  const ranges = windowRanges(journal, list, query.fromMs, query.toMs);
  const wanted = query.operations === undefined ? null : operationSet(journal, query.operations);
  const entryAt = (position: number): number => (list === null ? position : (list.data[position] ?? 0));
  const matches: number[] = [];
  const descending = query.order !== 'asc';
  const order = descending ? [...ranges].reverse() : ranges;
  for (const [lo, hi] of order) {
    // Resume after the cursor's entry: positions are sorted by entry index inside a range.
    const cut = after === null ? null : positionOf(list, after + (descending ? 0 : 1), lo, hi);
    const start = descending
      ? (cut === null ? hi : Math.min(hi, cut)) - 1
      : cut === null
        ? lo
        : Math.max(lo, cut);
    for (let p = start; descending ? p >= lo : p < hi; p += descending ? -1 : 1) {
      const index = entryAt(p);
      if (wanted !== null && !wanted.has(journal.operation.at(index))) continue;
      matches.push(index);
      if (matches.length > limit) break;
    }
    if (matches.length > limit) break;
  }
  const more = matches.length > limit;
  const page = more ? matches.slice(0, limit) : matches;
  const last = page[page.length - 1];
  return {
    entries: page.map((index) => journal.entryAt(index)),
    nextCursor: more && last !== undefined ? encodeCursor(last) : null,
  };
}

/** The index list to walk: null for every entry, undefined when nothing can match. */
function candidates(journal: Journal, query: JournalQuery): Column<Uint32Array> | null | undefined {
  if (query.account !== undefined) {
    const record = journal.accounts.get(query.account);
    if (record === undefined) return undefined;
    if (query.family !== undefined && record.account.family !== query.family) return undefined;
    return journal.byAccount[record.index];
  }
  if (query.family !== undefined) return journal.byFamily[FAMILIES.indexOf(query.family)];
  return null;
}

/** Position of the first candidate whose entry index is >= `entry`, within `[lo, hi)`. */
function positionOf(list: Column<Uint32Array> | null, entry: number, lo: number, hi: number): number {
  if (list === null) return Math.min(hi, Math.max(lo, entry));
  const { data } = list;
  return lowerBound(lo, hi, (position) => (data[position] ?? 0) < entry);
}

/** Position ranges `[lo, hi)`, in entry order, whose entries fall inside the time window. */
function windowRanges(
  journal: Journal,
  list: Column<Uint32Array> | null,
  fromMs: number | undefined,
  toMs: number | undefined,
): [number, number][] {
  const length = list === null ? journal.size : list.length;
  const ranges: [number, number][] = [];
  const runs = journal.runStarts;
  for (let r = 0; r < runs.length; r += 1) {
    const runStart = runs[r] ?? 0;
    const runEnd = runs[r + 1] ?? journal.size;
    let lo = positionOf(list, runStart, 0, length);
    let hi = positionOf(list, runEnd, lo, length);
    if (fromMs !== undefined) lo = firstAtOrAfter(journal, list, fromMs, lo, hi);
    if (toMs !== undefined) hi = firstAtOrAfter(journal, list, toMs, lo, hi);
    if (lo < hi) ranges.push([lo, hi]);
  }
  return ranges;
}

/** First position in `[lo, hi)` whose entry time is >= `timeMs` (times are sorted inside a run). */
function firstAtOrAfter(
  journal: Journal,
  list: Column<Uint32Array> | null,
  timeMs: number,
  lo: number,
  hi: number,
): number {
  const times = journal.timeMs.data;
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const entry = list === null ? mid : (list.data[mid] ?? 0);
    if ((times[entry] ?? 0) < timeMs) low = mid + 1;
    else high = mid;
  }
  return low;
}

function operationSet(journal: Journal, operations: readonly string[]): Set<number> {
  const wanted = new Set<number>();
  journal.operations.forEach((name, index) => {
    if (operations.includes(name)) wanted.add(index);
  });
  return wanted;
}

function encodeCursor(entryIndex: number): string {
  return `j${(entryIndex + 1).toString(36)}`;
}

/** Entry index of the cursor's last entry, or null without a cursor. */
function decodeCursor(cursor: string | null, size: number): number | null {
  if (cursor === null) return null;
  const id = /^j[0-9a-z]{1,10}$/.test(cursor) ? Number.parseInt(cursor.slice(1), 36) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1 || id > size) {
    throw new LedgerError('invalid_cursor', `cursor ${cursor} is not valid`);
  }
  return id - 1;
}
