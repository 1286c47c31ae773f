/**
 * `ledgerline/mock/matchers`: verification matchers for vitest's and jest's `expect.extend`, over the
 * reference server's request journal. They read the same journal in-process (a `MockApp`, e.g.
 * `createMockFetch().app`) and over HTTP ({@link remoteRequests} against a standalone server or a
 * sandbox), so one test reads the same either way. Opt-in: neither the SDK nor the server imports it.
 *
 * @example
 * ```ts
 * import { requestMatchers } from 'ledgerline/mock/matchers';
 * expect.extend(requestMatchers);
 * await expect(mock.app).toHaveReceivedOperationTimes('transferCreditsToChild', 1);
 * ```
 * @module ledgerline/mock/matchers
 */
import { familyOperationIds, type OperationId } from '../generated/operations.js';
import { closestKey } from './services/closest-name.js';
import type { RequestPage, RequestQuery, RequestRecord } from './services/request-journal.js';

export type { OperationId, RequestPage, RequestQuery, RequestRecord };

/** Anything that answers request-journal pages: a `MockApp` in-process, or {@link remoteRequests}. */
export interface RequestSource {
  /** One page of recorded requests, newest first (what `GET /_mock/requests` answers). */
  requests(query?: RequestQuery): RequestPage | Promise<RequestPage>;
  /**
   * The operations the server routes besides openapi.yaml's (families added with `defineFamily`):
   * the matchers refuse any other name. A `MockApp` lists its registry's.
   */
  operationIds?(): readonly string[] | Promise<readonly string[]>;
}

/** Options of {@link remoteRequests}. */
export interface RemoteRequestsOptions {
  /** The server's admin token, sent as `x-mock-admin-token`. */
  readonly adminToken?: string;
  /** A fetch to use instead of the global one. */
  readonly fetch?: typeof fetch;
  /** Operations of families the server adds to openapi.yaml's, for the matchers' name check. */
  readonly operationIds?: readonly string[];
}

/**
 * The request journal of a server reached over HTTP: `baseUrl` is the server's URL or a sandbox's
 * `baseUrl`.
 * @throws Error from `requests()` when the server answers anything but 200 (a wrong admin token).
 */
export function remoteRequests(baseUrl: string, options: RemoteRequestsOptions = {}): RequestSource {
  const root = baseUrl.replace(/\/+$/, '');
  const call = options.fetch ?? fetch;
  const extra = options.operationIds ?? [];
  return {
    operationIds: () => extra,
    async requests(query: RequestQuery = {}): Promise<RequestPage> {
      const search = new URLSearchParams();
      for (const [name, value] of Object.entries(query))
        if (value !== undefined) search.set(name, String(value));
      const response = await call(`${root}/_mock/requests?${search}`, {
        headers: options.adminToken ? { 'x-mock-admin-token': options.adminToken } : {},
      });
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`GET ${root}/_mock/requests answered ${response.status}: ${text.slice(0, 300)}`);
      return JSON.parse(text) as RequestPage;
    },
  };
}

/** One step of {@link LedgerlineMatchers.toHaveReceivedOperationsInOrder}: an operation, maybe with a body. */
export type OrderStep = OperationId | { readonly operationId: OperationId; readonly body?: unknown };

/** Fields of a recorded request whose value is JSON of any shape: matched partially. */
export type OpenField = 'requestBody' | 'responseBody' | 'requestHeaders' | 'responseHeaders' | 'fault';

/**
 * What {@link LedgerlineMatchers.toHaveReceivedOperationWith} can expect of a recorded request
 * (`GET /_mock/requests`' fields): `{ status: 409 }`, `{ replayed: true }`, `{ delivered: false,
 * fault: { kind: 'reset-after-commit' } }`, `{ requestBody: { minutes: 20 }, status: 200 }`. Objects
 * match on the keys given; any value may be an asymmetric matcher (`expect.any(Number)`).
 */
export type RequestExpectation = {
  readonly [Field in Exclude<keyof RequestRecord, 'operationId'>]?: Field extends OpenField
    ? unknown
    : RequestRecord[Field];
};

/** The record fields: an expected object naming only these is a {@link RequestExpectation}. */
const RECORD_FIELDS: ReadonlySet<string> = new Set<keyof RequestRecord>([
  'id',
  'time',
  'method',
  'path',
  'query',
  'family',
  'credential',
  'idempotencyKey',
  'requestHeaders',
  'requestBody',
  'status',
  'responseHeaders',
  'responseBody',
  'delivered',
  'durationMs',
  'replayed',
  'fault',
]);

/** The matchers' types, to add to your runner's `Assertion` (vitest) or `Matchers` (jest) interface. */
export interface LedgerlineMatchers {
  /** At least one request was routed to `operationId`. */
  toHaveReceivedOperation(operationId: OperationId): Promise<void>;
  /** Exactly `times` requests were routed to `operationId`. */
  toHaveReceivedOperationTimes(operationId: OperationId, times: number): Promise<void>;
  /**
   * At least one request to `operationId` matched `expected`: a {@link RequestExpectation} (an
   * object naming only fields of a recorded request: `{ status: 409 }`, `{ replayed: true }`) is
   * matched against the whole record, anything else against the request body. Objects match when
   * every key given matches (others are ignored), arrays element by element, leaves by equality or
   * by an asymmetric matcher (`expect.any(Number)`).
   */
  toHaveReceivedOperationWith(operationId: OperationId, expected: RequestExpectation): Promise<void>;
  /** The request-body form of {@link toHaveReceivedOperationWith}: `{ minutes: 20 }`. */
  toHaveReceivedOperationWith(operationId: OperationId, body: unknown): Promise<void>;
  /** These operations (and bodies, where given) were received in this order, others in between allowed. */
  toHaveReceivedOperationsInOrder(steps: readonly OrderStep[]): Promise<void>;
}

/** The part of vitest's and jest's matcher context (`this` in a matcher) the matchers use. */
export interface MatcherContext {
  /** True under `.not`. */
  readonly isNot?: boolean;
  /** The runner's deep equality, which understands asymmetric matchers. */
  equals?(actual: unknown, expected: unknown): boolean;
}

/** What a matcher answers its runner. */
export interface MatcherResult {
  /** Whether the expectation holds (before `.not`). */
  readonly pass: boolean;
  /** The failure message, built only when the runner reports it. */
  readonly message: () => string;
}

/** Pages read at most per verification: 100 pages of 1000, the largest journal the CLI allows a tenth of. */
const MAX_PAGES = 100;
/** Requests listed in a failure message. */
const SHOWN = 10;

interface Journal {
  /** Oldest first. */
  readonly records: readonly RequestRecord[];
  readonly evicted: number;
}

function sourceOf(source: unknown): RequestSource {
  if (typeof (source as RequestSource | null)?.requests !== 'function')
    throw new TypeError(
      'expect(...) needs a request source: a MockApp (createMockFetch().app, server.app) or remoteRequests(baseUrl).',
    );
  return source as RequestSource;
}

/** The journal's records matching `query`, after checking that each of `operationIds` exists. */
async function readAll(
  received: unknown,
  query: RequestQuery,
  operationIds: readonly unknown[] = [],
): Promise<Journal> {
  const source = sourceOf(received);
  for (const operationId of operationIds) await checkOperation(source, operationId);
  const records: RequestRecord[] = [];
  let cursor: string | undefined;
  let evicted = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const answer = await source.requests({
      ...query,
      limit: 1000,
      ...(cursor === undefined ? {} : { cursor }),
    });
    if (page === 0) evicted = answer.evicted;
    records.push(...answer.requests);
    if (answer.nextCursor === null) break;
    cursor = answer.nextCursor;
  }
  return { records: records.reverse(), evicted };
}

/**
 * Refuses an operation the server does not route, whatever `.not` says: a typo must not pass as
 * "not received". Known: openapi.yaml's family operations, the source's own (`operationIds`), and
 * any the journal lists (a remote server's added family).
 * @throws TypeError naming the closest known operationId.
 */
async function checkOperation(source: RequestSource, operationId: unknown): Promise<void> {
  if (typeof operationId !== 'string' || operationId === '')
    throw new TypeError(`An operationId must be a non-empty string (got ${JSON.stringify(operationId)}).`);
  if ((familyOperationIds as readonly string[]).includes(operationId)) return;
  const extra = (await source.operationIds?.()) ?? [];
  if (extra.includes(operationId)) return;
  if ((await source.requests({ operationId, limit: 1 })).requests.length > 0) return;
  const known = [...familyOperationIds, ...extra];
  const meant = closestKey(operationId, known);
  throw new TypeError(
    `${operationId} is not an operation of this server${meant ? `; did you mean ${meant}?` : ''}` +
      ' (operationIds are those of openapi.yaml, or of the families the server adds).',
  );
}

/** Whether `expected` names fields of a recorded request only (a {@link RequestExpectation}), not a body. */
function isRecordExpectation(expected: unknown): boolean {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) return false;
  if (typeof (expected as { asymmetricMatch?: unknown }).asymmetricMatch === 'function') return false;
  const keys = Object.keys(expected);
  return keys.length > 0 && keys.every((key) => RECORD_FIELDS.has(key));
}

/** Partial deep match: given keys only, arrays whole, leaves through the runner's `equals`. */
function bodyMatches(actual: unknown, expected: unknown, context: MatcherContext): boolean {
  const isAsymmetric =
    typeof expected === 'object' &&
    expected !== null &&
    typeof (expected as { asymmetricMatch?: unknown }).asymmetricMatch === 'function';
  if (isAsymmetric || typeof expected !== 'object' || expected === null)
    return context.equals ? context.equals(actual, expected) : Object.is(actual, expected);
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => bodyMatches(actual[i], item, context))
    );
  if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) return false;
  return Object.entries(expected).every(
    ([key, value]) =>
      Object.hasOwn(actual, key) && bodyMatches((actual as Record<string, unknown>)[key], value, context),
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function describeRecords(records: readonly RequestRecord[]): string {
  if (records.length === 0) return 'No requests were recorded.';
  const newest = records.slice(-SHOWN).reverse();
  const lines = newest.map((r) => {
    let status = r.status === null ? 'dropped' : String(r.status);
    if (r.status !== null && !r.delivered) status += ' (never delivered)';
    if (r.replayed) status += ' (replayed)';
    const body = r.requestBody === null ? '' : ` ${JSON.stringify(r.requestBody).slice(0, 160)}`;
    return `  ${r.id} ${r.method} ${r.path} -> ${status} (${r.operationId ?? 'no operation'})${body}`;
  });
  return `Requests received (newest first, ${newest.length} of ${records.length}):\n${lines.join('\n')}`;
}

/**
 * A verification that depends on the whole journal cannot pass on a truncated one: the result then
 * fails whether or not `.not` is used, and says why.
 */
function truncated(journal: Journal, context: MatcherContext): MatcherResult {
  return {
    pass: context.isNot === true,
    message: () =>
      `The request journal evicted ${plural(journal.evicted, 'older request')}, so this cannot be verified. ` +
      'Clear it before the test (app.clearRequests() or DELETE /_mock/requests) or keep more (--request-journal).',
  };
}

async function toHaveReceivedOperation(
  this: MatcherContext,
  source: unknown,
  operationId: string,
): Promise<MatcherResult> {
  const journal = await readAll(source, { operationId }, [operationId]);
  const count = journal.records.length;
  if (count === 0 && journal.evicted > 0) return truncated(journal, this);
  return {
    pass: count > 0,
    message: () =>
      count > 0
        ? `expected ${operationId} not to have been received, but it was received ${plural(count, 'time')}.\n${describeRecords(journal.records)}`
        : `expected ${operationId} to have been received, but it was not.\n${describeRecords([])}`,
  };
}

async function toHaveReceivedOperationTimes(
  this: MatcherContext,
  source: unknown,
  operationId: string,
  times: number,
): Promise<MatcherResult> {
  if (!Number.isInteger(times) || times < 0)
    throw new TypeError(`times must be a whole number >= 0 (got ${times}).`);
  const journal = await readAll(source, { operationId }, [operationId]);
  if (journal.evicted > 0) return truncated(journal, this);
  const count = journal.records.length;
  const not = this.isNot ? 'not ' : '';
  return {
    pass: count === times,
    message: () =>
      `expected ${operationId} ${not}to have been received ${plural(times, 'time')}, and it was received ${plural(count, 'time')}.\n${describeRecords(journal.records)}`,
  };
}

async function toHaveReceivedOperationWith(
  this: MatcherContext,
  source: unknown,
  operationId: string,
  expected: unknown,
): Promise<MatcherResult> {
  const journal = await readAll(source, { operationId }, [operationId]);
  const whole = isRecordExpectation(expected);
  const matching = journal.records.filter((r) =>
    whole ? bodyMatches(r, expected, this) : bodyMatches(r.requestBody, expected, this),
  );
  if (matching.length === 0 && journal.evicted > 0) return truncated(journal, this);
  const wanted = `${whole ? '' : 'a body matching '}${JSON.stringify(expected)}`;
  return {
    pass: matching.length > 0,
    message: () =>
      matching.length > 0
        ? `expected no ${operationId} request with ${wanted}, but ${plural(matching.length, 'request')} matched.\n${describeRecords(matching)}`
        : `expected a ${operationId} request with ${wanted}, but none of ${plural(journal.records.length, 'request')} to it matched.\n${describeRecords(journal.records)}`,
  };
}

async function toHaveReceivedOperationsInOrder(
  this: MatcherContext,
  source: unknown,
  steps: readonly OrderStep[],
): Promise<MatcherResult> {
  const wanted = steps.map((step) => (typeof step === 'string' ? { operationId: step } : step));
  const journal = await readAll(
    source,
    {},
    wanted.map((step) => step.operationId),
  );
  if (journal.evicted > 0) return truncated(journal, this);
  let next = 0;
  for (const record of journal.records) {
    const step = wanted[next];
    if (step === undefined) break;
    if (record.operationId !== step.operationId) continue;
    if ('body' in step && !bodyMatches(record.requestBody, step.body, this)) continue;
    next += 1;
  }
  const names = wanted.map((s) => s.operationId).join(' -> ');
  const missing = wanted[next];
  return {
    pass: next === wanted.length,
    message: () =>
      next === wanted.length
        ? `expected the requests not to arrive in the order ${names}, but they did.\n${describeRecords(journal.records)}`
        : `expected the requests in the order ${names}; found the first ${next}, then no ${missing?.operationId}${missing && 'body' in missing ? ` with a body matching ${JSON.stringify(missing.body)}` : ''} after them.\n${describeRecords(journal.records)}`,
  };
}

/**
 * The matcher functions, as `expect.extend` takes them; {@link LedgerlineMatchers} types their use.
 * A type literal, not an interface: `expect.extend` wants a record of matchers.
 */
export type RequestMatcherFunctions = {
  /** See {@link LedgerlineMatchers.toHaveReceivedOperation}. */
  toHaveReceivedOperation(this: MatcherContext, source: unknown, operationId: string): Promise<MatcherResult>;
  /** See {@link LedgerlineMatchers.toHaveReceivedOperationTimes}. */
  toHaveReceivedOperationTimes(
    this: MatcherContext,
    source: unknown,
    operationId: string,
    times: number,
  ): Promise<MatcherResult>;
  /** See {@link LedgerlineMatchers.toHaveReceivedOperationWith}. */
  toHaveReceivedOperationWith(
    this: MatcherContext,
    source: unknown,
    operationId: string,
    expected: unknown,
  ): Promise<MatcherResult>;
  /** See {@link LedgerlineMatchers.toHaveReceivedOperationsInOrder}. */
  toHaveReceivedOperationsInOrder(
    this: MatcherContext,
    source: unknown,
    steps: readonly OrderStep[],
  ): Promise<MatcherResult>;
};

/** Pass to `expect.extend(requestMatchers)` in vitest or jest; see {@link LedgerlineMatchers}. */
export const requestMatchers: RequestMatcherFunctions = {
  toHaveReceivedOperation,
  toHaveReceivedOperationTimes,
  toHaveReceivedOperationWith,
  toHaveReceivedOperationsInOrder,
};
