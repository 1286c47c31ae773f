import type { components } from '../../generated/openapi.js';

/** Requests kept by default: about 5 MB at typical body sizes, hours of a busy test suite. */
export const DEFAULT_REQUEST_JOURNAL_SIZE = 10_000;
/** The largest ring the CLI accepts: beyond that the journal would cost more memory than the ledger. */
export const MAX_REQUEST_JOURNAL_SIZE = 1_000_000;
/**
 * Request body text a journal keeps at most, in characters (about as many bytes for JSON): 10,000
 * typical bodies fit, while 10,000 bodies near the 64 KiB body cap would be 640 MB per journal, and
 * every sandbox has its own. Past it the oldest records go, counted in `evicted` like the ring's.
 */
export const DEFAULT_REQUEST_JOURNAL_BODY_CHARS = 8 * 1024 * 1024;
/** Records per page at most, as `GET /_mock/requests` documents. */
export const MAX_REQUEST_PAGE = 1000;

/** What the pipeline hands over for one answered (or dropped) request; cheap to build on the hot path. */
export interface RequestRecordInput {
  readonly timeMs: number;
  readonly method: string;
  readonly path: string;
  readonly operationId: string | null;
  readonly family: RequestFamily | null;
  /** The raw credential header; masked only when read. */
  readonly credential: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly requestText: string | null;
  /** `null` when the connection was dropped. */
  readonly status: number | null;
  readonly responseBody: unknown;
  readonly durationMs: number;
  readonly replayed: boolean;
  readonly fault: { readonly id: string; readonly kind: FaultKindName } | null;
}

type FaultKindName = components['schemas']['MockFaultKind'];
type RequestFamily = components['schemas']['MockFamily'];

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

/** One recorded request, as `GET /_mock/requests` answers it (openapi.yaml `MockRequestRecord`). */
export type RequestRecord = components['schemas']['MockRequestRecord'];
/** A page of recorded requests, newest first (openapi.yaml `MockRequestPage`). */
export type RequestPage = components['schemas']['MockRequestPage'];

/**
 * The request journal: the newest `capacity` requests in a ring, so memory stays bounded however long
 * the server runs. Every page reports how many requests the ring has dropped since it was last
 * cleared (`evicted`), so a verification can tell a complete log from a truncated one. Records keep
 * the request's text and the answer's body object as they were; JSON parsing and credential masking
 * happen when a page is read, off the request path.
 */
export class RequestJournal {
  readonly capacity: number;
  // Slot `id % capacity` holds the record with that id while it is among the newest `capacity`.
  readonly #ring: (RequestRecordInput | undefined)[];
  /** Id of the newest record; ids are 1, 2, 3... and never reused, not even after {@link clear}. */
  #lastId = 0;
  #size = 0;
  #evicted = 0;
  readonly #maxBodyChars: number;
  /** Characters of request text held by the records in the ring. */
  #bodyChars = 0;

  /**
   * @param capacity Requests kept; 0 records nothing.
   * @param maxBodyChars Request text kept in all, in characters; the newest record is always kept.
   */
  constructor(
    capacity: number = DEFAULT_REQUEST_JOURNAL_SIZE,
    maxBodyChars: number = DEFAULT_REQUEST_JOURNAL_BODY_CHARS,
  ) {
    this.#maxBodyChars = maxBodyChars;
    if (!Number.isInteger(capacity) || capacity < 0 || capacity > MAX_REQUEST_JOURNAL_SIZE)
      throw new RangeError(
        `The request journal size must be a whole number from 0 to ${MAX_REQUEST_JOURNAL_SIZE} (got ${capacity}).`,
      );
    if (!Number.isSafeInteger(maxBodyChars) || maxBodyChars < 1)
      throw new RangeError(
        `The request journal's body budget must be a positive whole number (got ${maxBodyChars}).`,
      );
    this.capacity = capacity;
    this.#ring = [];
  }

  /** False when the capacity is 0: the pipeline then skips building records altogether. */
  get enabled(): boolean {
    return this.capacity > 0;
  }

  /** Requests dropped since the last {@link clear} because the ring or its body text budget was full. */
  get evicted(): number {
    return this.#evicted;
  }

  /**
   * Records one request, dropping the oldest when the ring is full or holds too much body text.
   * @returns its id (0 when the capacity is 0).
   */
  record(input: RequestRecordInput): number {
    if (this.capacity === 0) return 0;
    const id = ++this.#lastId;
    const slot = id % this.capacity;
    // A full ring's slot holds its oldest record; otherwise the slot is empty or already evicted.
    if (this.#size === this.capacity) this.#drop(slot);
    this.#ring[slot] = input;
    this.#size += 1;
    this.#bodyChars += textLength(input);
    while (this.#bodyChars > this.#maxBodyChars && this.#size > 1)
      this.#drop((this.#lastId - this.#size + 1) % this.capacity);
    return id;
  }

  /**
   * Replaces record `id` with `input` (the same request, answered otherwise after all: a durable
   * store's 503), in place; `false` when the ring no longer holds it.
   */
  amend(id: number, input: RequestRecordInput): boolean {
    if (this.capacity === 0 || id > this.#lastId || id <= this.#lastId - this.#size) return false;
    const slot = id % this.capacity;
    const old = this.#ring[slot];
    if (old === undefined) return false;
    this.#ring[slot] = input;
    this.#bodyChars += textLength(input) - textLength(old);
    return true;
  }

  /** Evicts the oldest record, which sits in `slot`. */
  #drop(slot: number): void {
    const oldest = this.#ring[slot];
    if (oldest !== undefined) this.#bodyChars -= textLength(oldest);
    this.#ring[slot] = undefined;
    this.#size -= 1;
    this.#evicted += 1;
  }

  /** Forgets every record and resets the eviction count; ids keep increasing. */
  clear(): void {
    this.#ring.length = 0;
    this.#size = 0;
    this.#evicted = 0;
    this.#bodyChars = 0;
  }

  /**
   * One page of records matching `query`, newest first.
   * @throws RangeError for a `limit` outside 1..1000, a `cursor` that is not a record id or a `since`
   *   that is not a date-time (the control API validates these first).
   */
  query(query: RequestQuery = {}): RequestPage {
    const limit = query.limit ?? 100;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_REQUEST_PAGE)
      throw new RangeError(`limit must be a whole number from 1 to ${MAX_REQUEST_PAGE} (got ${limit}).`);
    let from = this.#lastId;
    if (query.cursor !== undefined) {
      const cursor = Number(query.cursor);
      if (!Number.isSafeInteger(cursor) || cursor < 1)
        throw new RangeError(`cursor must be the nextCursor of a previous page (got "${query.cursor}").`);
      from = Math.min(from, cursor - 1);
    }
    const sinceMs = query.since === undefined ? undefined : Date.parse(query.since);
    if (sinceMs !== undefined && Number.isNaN(sinceMs))
      throw new RangeError(`since must be an ISO 8601 date-time (got "${query.since}").`);
    const oldest = this.#lastId - this.#size + 1;
    const requests: RequestRecord[] = [];
    let nextCursor: string | null = null;
    for (let id = from; id >= oldest; id -= 1) {
      const stored = this.#ring[id % this.capacity];
      if (stored === undefined || !matches(stored, query, sinceMs)) continue;
      if (requests.length === limit) {
        // The next page starts below the last record of this one.
        nextCursor = String(requests[limit - 1]?.id);
        break;
      }
      requests.push(view(stored, id));
    }
    return { requests, nextCursor, evicted: this.#evicted };
  }
}

function textLength(record: RequestRecordInput): number {
  return record.requestText?.length ?? 0;
}

function matches(record: RequestRecordInput, query: RequestQuery, sinceMs: number | undefined): boolean {
  return (
    (query.operationId === undefined || record.operationId === query.operationId) &&
    (query.family === undefined || record.family === query.family) &&
    (query.status === undefined || record.status === query.status) &&
    (query.idempotencyKey === undefined || record.idempotencyKey === query.idempotencyKey) &&
    (sinceMs === undefined || record.timeMs >= sinceMs)
  );
}

function view(record: RequestRecordInput, id: number): RequestRecord {
  return {
    id,
    time: new Date(record.timeMs).toISOString(),
    method: record.method,
    path: record.path,
    operationId: record.operationId,
    family: record.family,
    credential: maskCredential(record.credential),
    idempotencyKey: record.idempotencyKey ?? null,
    requestBody: parseText(record.requestText),
    status: record.status,
    // The stored body is the object the family answered; a copy keeps callers from changing it.
    responseBody: record.responseBody === undefined ? null : structuredClone(record.responseBody),
    durationMs: Math.round(record.durationMs * 1000) / 1000,
    replayed: record.replayed,
    fault: record.fault,
  };
}

function parseText(text: string | null): unknown {
  if (text === null || text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Enough of a credential to tell two callers apart in a log, not enough to reuse it: the scheme, then
 * the first 4 characters (2 of a short one) and `***`.
 */
export function maskCredential(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const space = value.indexOf(' ');
  const scheme = space > 0 && space < 16 ? value.slice(0, space + 1) : '';
  const secret = value.slice(scheme.length);
  const shown = secret.length > 12 ? 4 : Math.min(2, Math.floor(secret.length / 3));
  return `${scheme}${secret.slice(0, shown)}***`;
}
