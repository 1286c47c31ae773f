import { type Clock, DAY_MS } from './clock.js';
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
  | { readonly kind: 'in_flight' }
  /**
   * New key, but the credential already holds `limit` unexpired keys (or the store is full): 429.
   * Nothing is evicted to make room, so no credential can push another's keys out.
   */
  | {
      readonly kind: 'over_quota';
      readonly limit: number;
      /** Whose bound was reached: the credential's own, the server's, or that of callers without a credential. */
      readonly scope: 'credential' | 'server' | 'anonymous';
    };

/** Outcome of {@link IdempotencyStore.execute}: the handler's answer, or why it did not run. */
export type Executed<R> =
  | Exclude<BeginResult, { kind: 'started' }>
  | { readonly kind: 'done'; readonly response: R };

/** Options of the store. */
export interface IdempotencyOptions {
  /** How long a key is kept, in clock time; default 24 h. */
  readonly ttlMs?: number;
  /** Most unexpired records of all credentials together; new keys are refused beyond it. Default 1,000,000. */
  readonly maxRecords?: number;
  /** Most unexpired records of one credential (scope); its new keys are refused beyond it. Default {@link DEFAULT_KEYS_PER_SCOPE}. */
  readonly maxRecordsPerScope?: number;
  /**
   * Most unexpired records of callers without a credential (a login's keys), a pool of their own that
   * {@link maxRecords} does not count, so anonymous clients cannot spend the keys tenants depend on.
   * Default {@link DEFAULT_ANONYMOUS_KEYS}.
   */
  readonly maxAnonymousRecords?: number;
}

/**
 * Default quota of one credential: 500,000 keys per 24 hours of mock time, half the store's, so a
 * tenant under load is not refused while one credential still cannot take every key. A kept key
 * costs about 0.8 KB with a typical answer (test/bench/key-memory.ts), so this is about 0.4 GB.
 */
export const DEFAULT_KEYS_PER_SCOPE = 500_000;
/** Default quota of the whole store (credentials' keys): about 0.8 GB at 0.8 KB a key. */
export const DEFAULT_KEYS_TOTAL = 1_000_000;
/** Default quota of the keys of callers without a credential, all of them together. */
export const DEFAULT_ANONYMOUS_KEYS = 10_000;

/** A completed record as snapshots keep it (in-flight ones are not kept: a restart ends them). */
export interface IdempotencyRecordState {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly createdAtMs: number;
  readonly response: StoredResponse;
  /** Kept by a caller without a credential (counted in the anonymous pool); absent otherwise. */
  readonly anonymous?: true;
}

interface IdempotencyRecord {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly createdAtMs: number;
  readonly pool: Pool;
  response: StoredResponse | null;
}

/** The records of one pool in creation order (a Set keeps insertion order), so the oldest come first. */
interface Pool {
  readonly records: Set<IdempotencyRecord>;
  readonly max: number;
}

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
 * the same key from two API keys is two records. Each credential has its own quota of unexpired
 * keys ({@link IdempotencyOptions.maxRecordsPerScope}); a credential at its quota gets
 * `over_quota` for new keys until its oldest expire, and never evicts anything, its own keys
 * included (a key evicted early would let its retry run twice). Expiry is lazy (checked on use,
 * a credential's expired keys purged when it adds one), so the store needs no timer.
 */
export class IdempotencyStore {
  readonly ttlMs: number;
  readonly maxRecords: number;
  readonly maxRecordsPerScope: number;
  readonly maxAnonymousRecords: number;
  // Per scope, insertion order is creation order, so the first entries are the oldest.
  readonly #scopes = new Map<string, Map<string, IdempotencyRecord>>();
  readonly #credentials: Pool;
  readonly #anonymous: Pool;
  #writes = 0;

  constructor(
    private readonly clock: Clock,
    options: IdempotencyOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? DAY_MS;
    this.maxRecords = Math.max(1, options.maxRecords ?? DEFAULT_KEYS_TOTAL);
    this.maxRecordsPerScope = Math.max(1, options.maxRecordsPerScope ?? DEFAULT_KEYS_PER_SCOPE);
    this.maxAnonymousRecords = Math.max(1, options.maxAnonymousRecords ?? DEFAULT_ANONYMOUS_KEYS);
    this.#credentials = { records: new Set(), max: this.maxRecords };
    this.#anonymous = { records: new Set(), max: this.maxAnonymousRecords };
  }

  /** Records held, both pools. */
  get size(): number {
    return this.#credentials.records.size + this.#anonymous.records.size;
  }

  /**
   * Changes so far that outlive the request that made them: an answer stored, records imported,
   * expired records purged. A key claimed and released by one synchronous request is not one (it
   * was never anyone's but that request's): a refused request that keeps no key changed nothing.
   */
  get writes(): number {
    return this.#writes;
  }

  /** Records held of callers without a credential. */
  get anonymousSize(): number {
    return this.#anonymous.records.size;
  }

  /**
   * Claims `key` for a request with `fingerprint` (see {@link requestFingerprint}). `anonymous` is a
   * caller without a credential: its key is counted against {@link maxAnonymousRecords}, not
   * {@link maxRecords}. Constant time, refusals included: only expired records are ever visited.
   */
  begin(scope: string, key: string, fingerprint: string, anonymous = false): BeginResult {
    const nowMs = this.clock.now();
    const records = this.#scopes.get(scope);
    const existing = records?.get(key);
    if (existing !== undefined && !this.#expired(existing, nowMs)) {
      if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
      if (existing.response === null) return { kind: 'in_flight' };
      return { kind: 'replay', response: existing.response };
    }
    if (records !== undefined) this.#purge(records, nowMs, existing);
    if ((this.#scopes.get(scope)?.size ?? 0) >= this.maxRecordsPerScope)
      return { kind: 'over_quota', limit: this.maxRecordsPerScope, scope: 'credential' };
    const pool = anonymous ? this.#anonymous : this.#credentials;
    if (pool.records.size >= pool.max) {
      this.#purgePool(pool, nowMs);
      if (pool.records.size >= pool.max)
        return { kind: 'over_quota', limit: pool.max, scope: anonymous ? 'anonymous' : 'server' };
    }
    this.#insert({ scope, key, fingerprint, createdAtMs: nowMs, pool, response: null });
    return { kind: 'started' };
  }

  /** Stores the answer of a started request for replay. */
  complete(scope: string, key: string, response: StoredResponse): void {
    const record = this.#scopes.get(scope)?.get(key);
    if (record === undefined) return;
    record.response = freezeResponse(response);
    this.#writes += 1;
  }

  /** Forgets a started request that changed nothing (so a retry runs it afresh). */
  release(scope: string, key: string): void {
    const records = this.#scopes.get(scope);
    if (records?.get(key)?.response === null) this.#delete(records, key);
  }

  /**
   * The one idempotency path (the reference server's pipeline and the property model both run it):
   * begin, run, then keep the answer for replay or release the key. `keep` is the family's rule of
   * which answers are replayed (docs/decisions.md): it returns the response to store, or `undefined`
   * to release the key so that a retry runs afresh. `run` throwing (or rejecting) releases the key
   * and rethrows. Synchronous when `run` is: no promise on the hot path.
   */
  /**
   * Told when a keyed request is about to run; the function it returns is called once the request
   * answered (the request journal notes which journal entries each key committed: GET /_mock/invariants).
   */
  onRun: ((scope: string, key: string) => () => void) | undefined;

  execute(
    scope: string,
    key: string,
    fingerprint: string,
    run: () => StoredResponse,
  ): Executed<StoredResponse>;
  execute<R>(
    scope: string,
    key: string,
    fingerprint: string,
    run: () => R | Promise<R>,
    keep: (answer: R) => StoredResponse | undefined,
    anonymous?: boolean,
  ): Executed<R> | Promise<Executed<R>>;
  execute<R>(
    scope: string,
    key: string,
    fingerprint: string,
    run: () => R | Promise<R>,
    keep?: (answer: R) => StoredResponse | undefined,
    anonymous = false,
  ): Executed<R> | Promise<Executed<R>> {
    const begun = this.begin(scope, key, fingerprint, anonymous);
    if (begun.kind !== 'started') return begun;
    const noted = this.onRun?.(scope, key);
    const settle = (answer: R): Executed<R> => {
      noted?.();
      // Without a rule the answer is a StoredResponse (first overload): every answer is kept.
      const stored = keep === undefined ? (answer as StoredResponse) : keep(answer);
      if (stored === undefined) this.release(scope, key);
      else this.complete(scope, key, stored);
      return { kind: 'done', response: answer };
    };
    const fail = (error: unknown): never => {
      this.release(scope, key);
      throw error;
    };
    let answer: R | Promise<R>;
    try {
      answer = run();
    } catch (error) {
      return fail(error);
    }
    return answer instanceof Promise ? answer.then(settle, fail) : settle(answer);
  }

  /** Completed, unexpired records, oldest first per credential (for snapshots). */
  exportRecords(): IdempotencyRecordState[] {
    const nowMs = this.clock.now();
    const out: IdempotencyRecordState[] = [];
    for (const records of this.#scopes.values()) {
      for (const record of records.values()) {
        if (record.response === null || this.#expired(record, nowMs)) continue;
        const { scope, key, fingerprint, createdAtMs, response } = record;
        const state = { scope, key, fingerprint, createdAtMs, response };
        out.push(record.pool === this.#anonymous ? { ...state, anonymous: true } : state);
      }
    }
    return out;
  }

  /** Replaces every record (snapshot restore). */
  importRecords(records: readonly IdempotencyRecordState[]): void {
    this.#writes += 1;
    this.#scopes.clear();
    this.#credentials.records.clear();
    this.#anonymous.records.clear();
    for (const { scope, key, fingerprint, createdAtMs, response, anonymous } of records) {
      const pool = anonymous === true ? this.#anonymous : this.#credentials;
      this.#insert({ scope, key, fingerprint, createdAtMs, pool, response: freezeResponse(response) });
    }
  }

  #expired(record: IdempotencyRecord, nowMs: number): boolean {
    return nowMs - record.createdAtMs >= this.ttlMs;
  }

  /** Drops the scope's expired records from the oldest on (and `stale`, an expired record being replaced). */
  #purge(records: Map<string, IdempotencyRecord>, nowMs: number, stale: IdempotencyRecord | undefined): void {
    let purged = stale !== undefined;
    if (stale !== undefined) this.#delete(records, stale.key);
    for (const [key, record] of records) {
      if (!this.#expired(record, nowMs)) break;
      this.#delete(records, key);
      purged = true;
    }
    if (purged) this.#purged();
  }

  /**
   * A purge is counted as a write, though an expired key answers as no key: the store holds fewer
   * records, and which later purges reach a record depends on what is held (a clock set back).
   */
  #purged(): void {
    this.#writes += 1;
  }

  /**
   * Drops a pool's expired records from the oldest on, stopping at the first unexpired one: each
   * record is visited once in its life, so a refusal at a full pool costs O(1), not a scan of every
   * credential.
   */
  #purgePool(pool: Pool, nowMs: number): void {
    for (const record of pool.records) {
      if (!this.#expired(record, nowMs)) break;
      const records = this.#scopes.get(record.scope);
      if (records === undefined) pool.records.delete(record);
      else this.#delete(records, record.key);
      this.#purged();
    }
  }

  #insert(record: IdempotencyRecord): void {
    let records = this.#scopes.get(record.scope);
    if (records === undefined) {
      records = new Map();
      this.#scopes.set(record.scope, records);
    }
    const replaced = records.get(record.key);
    if (replaced !== undefined) replaced.pool.records.delete(replaced);
    records.set(record.key, record);
    record.pool.records.add(record);
  }

  #delete(records: Map<string, IdempotencyRecord>, key: string): void {
    const record = records.get(key);
    if (record === undefined) return;
    records.delete(key);
    record.pool.records.delete(record);
    // A credential without keys costs nothing: its map goes too.
    if (records.size === 0) this.#scopes.delete(record.scope);
  }
}

function freezeResponse(response: StoredResponse): StoredResponse {
  const body = freezeJson(response.body);
  if (response.headers === undefined) return Object.freeze({ status: response.status, body });
  return Object.freeze({ status: response.status, body, headers: Object.freeze({ ...response.headers }) });
}
