import type { Clock } from './clock.js';
import { canonicalJson, freezeJson, type JsonValue } from './json.js';

/** A response kept for replay. */
export interface StoredResponse {
  readonly status: number;
  readonly body: JsonValue;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Outcome of {@link IdempotencyStore.begin}. */
export type BeginResult =
  /** New key: process the request, then `complete` (or `release` if nothing was done). */
  | { readonly kind: 'started' }
  /** Same key, same request, already answered: send this with `Idempotent-Replayed: true`. */
  | { readonly kind: 'replay'; readonly response: StoredResponse }
  /** Same key, different request: 422 in the family's shape. */
  | { readonly kind: 'mismatch' }
  /** Same key, first request still running: 409. */
  | { readonly kind: 'in_flight' };

/** Options of the store. */
export interface IdempotencyOptions {
  /** How long a key is kept, in clock time; default 24 h. */
  readonly ttlMs?: number;
  /** Most records kept; the oldest goes first when full. Default 100,000. */
  readonly maxRecords?: number;
}

/** A completed record as snapshots keep it (in-flight ones are not kept: a restart ends them). */
export interface IdempotencyRecordState {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly createdAtMs: number;
  readonly response: StoredResponse;
}

interface IdempotencyRecord {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly createdAtMs: number;
  response: StoredResponse | null;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Fingerprint of a request: method, path and the body's canonical JSON (key order ignored),
 * hashed to 64 bits so a record costs the same whatever the body size.
 */
export function requestFingerprint(method: string, path: string, body: JsonValue | undefined): string {
  const text = `${method.toUpperCase()} ${path}\n${body === undefined ? '' : canonicalJson(body)}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  return `${hex(h1)}${hex(h2)}:${text.length}`;
}

/**
 * Idempotency-Key records (IETF draft semantics), scoped to the credential that sent the key:
 * the same key from two API keys is two records. Expiry is lazy (checked on use, oldest purged
 * on insert), so the store needs no timer.
 */
export class IdempotencyStore {
  readonly ttlMs: number;
  readonly maxRecords: number;
  // Insertion order is creation order, so the first entries are the oldest.
  readonly #records = new Map<string, IdempotencyRecord>();

  constructor(
    private readonly clock: Clock,
    options: IdempotencyOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DAY_MS;
    this.maxRecords = Math.max(1, options.maxRecords ?? 100_000);
  }

  get size(): number {
    return this.#records.size;
  }

  /** Claims `key` for a request with `fingerprint` (see {@link requestFingerprint}). */
  begin(scope: string, key: string, fingerprint: string): BeginResult {
    const id = recordId(scope, key);
    const nowMs = this.clock.now();
    const existing = this.#records.get(id);
    if (existing !== undefined && !this.#expired(existing, nowMs)) {
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.response === null) return { kind: 'in_flight' };
      return { kind: 'replay', response: existing.response };
    }
    this.#records.delete(id);
    this.#insert(id, { scope, key, fingerprint, createdAtMs: nowMs, response: null });
    return { kind: 'started' };
  }

  /** Stores the answer of a started request for replay. */
  complete(scope: string, key: string, response: StoredResponse): void {
    const record = this.#records.get(recordId(scope, key));
    if (record !== undefined) record.response = freezeResponse(response);
  }

  /** Forgets a started request that changed nothing (so a retry runs it afresh). */
  release(scope: string, key: string): void {
    const id = recordId(scope, key);
    if (this.#records.get(id)?.response === null) this.#records.delete(id);
  }

  /**
   * begin + run + complete for synchronous handlers. `run` returning normally completes the
   * record; throwing releases it and rethrows.
   */
  execute(
    scope: string,
    key: string,
    fingerprint: string,
    run: () => StoredResponse,
  ):
    | Exclude<BeginResult, { kind: 'started' }>
    | { readonly kind: 'done'; readonly response: StoredResponse } {
    const begun = this.begin(scope, key, fingerprint);
    if (begun.kind !== 'started') return begun;
    let response: StoredResponse;
    try {
      response = run();
    } catch (error) {
      this.release(scope, key);
      throw error;
    }
    this.complete(scope, key, response);
    return { kind: 'done', response };
  }

  /** Completed, unexpired records, oldest first (for snapshots). */
  exportRecords(): IdempotencyRecordState[] {
    const nowMs = this.clock.now();
    const out: IdempotencyRecordState[] = [];
    for (const record of this.#records.values()) {
      if (record.response === null || this.#expired(record, nowMs)) continue;
      const { scope, key, fingerprint, createdAtMs, response } = record;
      out.push({ scope, key, fingerprint, createdAtMs, response });
    }
    return out;
  }

  /** Replaces every record (snapshot restore). */
  importRecords(records: readonly IdempotencyRecordState[]): void {
    this.#records.clear();
    for (const { scope, key, fingerprint, createdAtMs, response } of records) {
      this.#insert(recordId(scope, key), {
        scope,
        key,
        fingerprint,
        createdAtMs,
        response: freezeResponse(response),
      });
    }
  }

  #expired(record: IdempotencyRecord, nowMs: number): boolean {
    return nowMs - record.createdAtMs >= this.ttlMs;
  }

  #insert(id: string, record: IdempotencyRecord): void {
    const nowMs = this.clock.now();
    for (const [oldestId, oldest] of this.#records) {
      if (this.#records.size < this.maxRecords && !this.#expired(oldest, nowMs)) break;
      this.#records.delete(oldestId);
    }
    this.#records.set(id, record);
  }
}

function recordId(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}

function freezeResponse(response: StoredResponse): StoredResponse {
  const body = freezeJson(response.body);
  if (response.headers === undefined) return Object.freeze({ status: response.status, body });
  return Object.freeze({ status: response.status, body, headers: Object.freeze({ ...response.headers }) });
}
