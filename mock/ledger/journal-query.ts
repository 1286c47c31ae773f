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
  /** Page size, 1..1000; default 50. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | null;
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
 * Pages through the journal newest first without scanning it: the account or family index narrows
 * the candidates (sorted by entry index), and the cursor is found by binary search. Cost per page:
 * O(log n + page size).
 */
export function queryJournal(journal: Journal, query: JournalQuery): JournalPage {
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)));
  const after = decodeCursor(query.cursor ?? null, journal.size);
  const list = candidates(journal, query);
  if (list === undefined) return { entries: [], nextCursor: null };
  const length = list === null ? journal.size : list.length;
  // Resume below the cursor's entry: positions are sorted by entry index.
  const end = after === null ? length : positionOf(list, after, length);
  const start = Math.max(0, end - limit);
  const entries: JournalEntry[] = [];
  for (let p = end - 1; p >= start; p -= 1)
    entries.push(journal.entryAt(list === null ? p : (list.data[p] ?? 0)));
  const last = entries[entries.length - 1];
  return {
    entries,
    nextCursor: start > 0 && last !== undefined ? encodeCursor(last.id - 1) : null,
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

/** Position of the first candidate whose entry index is >= `entry`, within `[0, length)`. */
function positionOf(list: Column<Uint32Array> | null, entry: number, length: number): number {
  if (list === null) return Math.min(length, entry);
  const { data } = list;
  return lowerBound(0, length, (position) => (data[position] ?? 0) < entry);
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
