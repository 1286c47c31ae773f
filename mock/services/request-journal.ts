import type { components } from '../../generated/openapi.js';
import {
  type RequestFamily,
  type RequestRecord,
  type RequestRecordInput,
  type Stored,
  toStored,
  view,
} from './request-record.js';

export type { RequestRecord, RequestRecordInput };

/** Requests kept by default: hours of a busy test suite. */
export const DEFAULT_REQUEST_JOURNAL_SIZE = 10_000;
/** The largest ring the CLI accepts: beyond that the journal would cost more memory than the ledger. */
export const MAX_REQUEST_JOURNAL_SIZE = 1_000_000;
/**
 * Request body text a journal keeps at most, in characters: a cap on bodies alone, within
 * {@link DEFAULT_REQUEST_JOURNAL_BYTES}. Past it the oldest records go, counted in `evicted`.
 */
export const DEFAULT_REQUEST_JOURNAL_BODY_CHARS = 8 * 1024 * 1024;
/**
 * Everything a journal keeps, counted (docs/reference-server.md, "Verifying calls"): each record's
 * fixed cost, its path, query, headers, bodies and other strings. 10,000 typical requests take about
 * a tenth of it; past it the oldest records go, counted in `evicted`. Every sandbox's journal has
 * its own, so a server holds at most this times (1 + its sandbox cap).
 */
export const DEFAULT_REQUEST_JOURNAL_BYTES = 16 * 1024 * 1024;
/** Records per page at most, as `GET /_mock/requests` documents. */
export const MAX_REQUEST_PAGE = 1000;

/** A filter and page of {@link RequestJournal.query}: `GET /_mock/requests`'s query. */
export interface RequestQuery {
  readonly operationId?: string;
  readonly family?: RequestFamily;
  readonly status?: number;
  readonly idempotencyKey?: string;
  /** ISO date-time: only requests that arrived at or after it (server clock). */
  readonly since?: string;
  /** 1..1000, default 100. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
}

/** A page of recorded requests, newest first (openapi.yaml `MockRequestPage`). */
export type RequestPage = components['schemas']['MockRequestPage'];

/** The bounds of a {@link RequestJournal}. */
export interface RequestJournalLimits {
  /** Request body text kept in all, in characters; default {@link DEFAULT_REQUEST_JOURNAL_BODY_CHARS}. */
  readonly maxBodyChars?: number | undefined;
  /** Everything kept, counted in bytes; default {@link DEFAULT_REQUEST_JOURNAL_BYTES}. */
  readonly maxBytes?: number | undefined;
}

/**
 * The request journal: the newest `capacity` requests in a ring, within a memory bound that counts
 * everything a record keeps, so memory stays bounded however long the server runs and whatever the
 * requests carry. Every page reports how many requests were dropped since the journal was last
 * cleared (`evicted`), so a verification can tell a complete log from a truncated one. Credentials
 * are masked before anything is kept; bodies are kept as text and parsed when a page is read.
 */
export class RequestJournal {
  readonly capacity: number;
  /** The memory bound, in counted bytes. */
  readonly maxBytes: number;
  // Slot `seq % capacity` holds the record with that sequence number while it is among the newest.
  readonly #ring: (Stored | undefined)[];
  /** Sequence number of the newest record; 1, 2, 3... and never reused, not even after {@link clear}. */
  #lastSeq = 0;
  #size = 0;
  #evicted = 0;
  readonly #maxBodyChars: number;
  /** Characters of request text held by the records in the ring. */
  #bodyChars = 0;
  /** Counted bytes of the records in the ring. */
  #bytes = 0;

  /**
   * @param capacity Requests kept; 0 records nothing.
   * @param limits The body text and memory bounds; a number is the body text bound alone.
   *   The newest record is always kept, whatever its size.
   */
  constructor(capacity: number = DEFAULT_REQUEST_JOURNAL_SIZE, limits: number | RequestJournalLimits = {}) {
    const { maxBodyChars = DEFAULT_REQUEST_JOURNAL_BODY_CHARS, maxBytes = DEFAULT_REQUEST_JOURNAL_BYTES } =
      typeof limits === 'number' ? { maxBodyChars: limits } : limits;
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_REQUEST_JOURNAL_SIZE)
      throw new RangeError(
        `The request journal size must be a whole number from 0 to ${MAX_REQUEST_JOURNAL_SIZE} (got ${capacity}).`,
      );
    if (!Number.isSafeInteger(maxBodyChars) || maxBodyChars < 1)
      throw new RangeError(
        `The request journal's body budget must be a positive whole number (got ${maxBodyChars}).`,
      );
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
      throw new RangeError(
        `The request journal's memory bound must be a positive whole number of bytes (got ${maxBytes}).`,
      );
    this.#maxBodyChars = maxBodyChars;
    this.maxBytes = maxBytes;
    this.capacity = capacity;
    this.#ring = [];
  }

  /** False when the capacity is 0: the pipeline then skips building records altogether. */
  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Requests dropped since the last {@link clear} because the ring, its body budget or its memory bound was full. */
  get evicted(): number {
    return this.#evicted;
  }

  /** What the records in the ring count, in bytes: at most {@link maxBytes} unless one record alone is larger. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Records one request, dropping the oldest when the ring is full or over a bound.
   * @returns its sequence number in this journal, what {@link amend} takes (0 when the capacity is 0).
   */
  record(input: RequestRecordInput): number {
    if (this.capacity === 0) return 0;
    const seq = ++this.#lastSeq;
    const stored = toStored(input, seq);
    const slot = seq % this.capacity;
    // A full ring's slot holds its oldest record; otherwise the slot is empty or already evicted.
    if (this.#size === this.capacity) this.#drop(slot);
    this.#ring[slot] = stored;
    this.#size += 1;
    this.#add(stored, 1);
    this.#trim();
    return seq;
  }

  /**
   * Replaces the record recorded as sequence number `seq` with `input` (the same request, answered
   * otherwise after all: a durable store's 503), in place; `false` when the ring no longer holds it.
   */
  amend(seq: number, input: RequestRecordInput): boolean {
    if (this.capacity === 0 || seq > this.#lastSeq || seq <= this.#lastSeq - this.#size) return false;
    const slot = seq % this.capacity;
    const old = this.#ring[slot];
    if (old === undefined) return false;
    const stored = toStored(input, seq);
    this.#ring[slot] = stored;
    this.#add(old, -1);
    this.#add(stored, 1);
    this.#trim();
    return this.#ring[slot] !== undefined;
  }

  #add(stored: Stored, sign: 1 | -1): void {
    this.#bodyChars += sign * (stored.requestText?.length ?? 0);
    this.#bytes += sign * stored.bytes;
  }

  /** Evicts the oldest records while a bound is exceeded, always keeping the newest. */
  #trim(): void {
    while ((this.#bodyChars > this.#maxBodyChars || this.#bytes > this.maxBytes) && this.#size > 1)
      this.#drop((this.#lastSeq - this.#size + 1) % this.capacity);
  }

  /** Evicts the oldest record, which sits in `slot`. */
  #drop(slot: number): void {
    const oldest = this.#ring[slot];
    if (oldest !== undefined) this.#add(oldest, -1);
    this.#ring[slot] = undefined;
    this.#size -= 1;
    this.#evicted += 1;
  }

  /** Forgets every record and resets the eviction count; sequence numbers keep increasing. */
  clear(): void {
    this.#ring.length = 0;
    this.#size = 0;
    this.#evicted = 0;
    this.#bodyChars = 0;
    this.#bytes = 0;
  }

  /**
   * One page of records matching `query`, newest first.
   * @throws RangeError for a `limit` outside 1..1000, a `cursor` that is not a previous page's
   *   `nextCursor` or a `since` that is not a date-time (the control API validates these first).
   */
  query(query: RequestQuery = {}): RequestPage {
    const requests: RequestRecord[] = [];
    const { nextCursor } = this.scan(query, (stored) => {
      requests.push(view(stored));
    });
    return { requests, nextCursor, evicted: this.#evicted };
  }

  /**
   * @internal Hands `visit` the kept records matching `query`, newest first, one page of them (what
   * {@link query} lists; the HAR export reads the same records). @throws RangeError as {@link query}
   */
  scan(query: RequestQuery, visit: (stored: Stored) => void): { nextCursor: string | null } {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REQUEST_PAGE)
      throw new RangeError(`limit must be a whole number from 1 to ${MAX_REQUEST_PAGE} (got ${limit}).`);
    let from = this.#lastSeq;
    if (query.cursor !== undefined) {
      const cursor = Number(query.cursor);
      if (!Number.isSafeInteger(cursor) || cursor < 1)
        throw new RangeError(`cursor must be the nextCursor of a previous page (got "${query.cursor}").`);
      from = Math.min(from, cursor - 1);
    }
    const sinceMs = query.since === undefined ? undefined : Date.parse(query.since);
    if (sinceMs !== undefined && Number.isNaN(sinceMs))
      throw new RangeError(`since must be an ISO 8601 date-time (got "${query.since}").`);
    const oldest = this.#lastSeq - this.#size + 1;
    let taken = 0;
    let last = 0;
    for (let seq = from; seq >= oldest; seq -= 1) {
      const stored = this.#ring[seq % this.capacity];
      if (stored === undefined || !matches(stored, query, sinceMs)) continue;
      // The next page starts below the last record of this one.
      if (taken === limit) return { nextCursor: String(last) };
      visit(stored);
      taken += 1;
      last = seq;
    }
    return { nextCursor: null };
  }
}

function matches(record: Stored, query: RequestQuery, sinceMs: number | undefined): boolean {
  return (
    (query.operationId === undefined || record.operationId === query.operationId) &&
    (query.family === undefined || record.family === query.family) &&
    (query.status === undefined || record.status === query.status) &&
    (query.idempotencyKey === undefined || record.idempotencyKey === query.idempotencyKey) &&
    (sinceMs === undefined || record.timeMs >= sinceMs)
  );
}

export { maskCredential } from './request-record.js';
