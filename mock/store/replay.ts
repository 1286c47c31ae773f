import type { MockApp } from '../app.js';
import type { MockRequest } from '../family-kit/types.js';
import { pinSystemTime } from '../ledger/clock.js';
import { setEntropyTap } from '../ledger/entropy.js';
import { RequestContext } from '../steps/request-context.js';
import type { NewOperationRecord, OperationRecord, WorldId } from './types.js';
import { appOf } from './worlds.js';

/**
 * The request headers the pipeline reads (credentials, the Idempotency-Key, the body's type). The
 * admin token is left out on purpose: a record was authorised when it ran, and replays are trusted.
 */
export const RECORDED_HEADERS = ['authorization', 'token', 'idempotency-key', 'content-type'] as const;

/**
 * The headers a record of `app`'s requests keeps: {@link RECORDED_HEADERS} and those its families
 * declare (`FamilyDefinition.headers`: a credential header of their own), the admin token never.
 */
export function recordedHeaders(app: MockApp): readonly string[] {
  const declared = app.registry.families.flatMap((family) => family.headers);
  const names = new Set<string>([...RECORDED_HEADERS, ...declared]);
  names.delete('x-mock-admin-token');
  return [...names];
}

/** The record of a live request whose operation ran at `timeMs` and drew `random`, keeping `names` headers. */
export function recordOf(
  world: WorldId,
  request: MockRequest,
  receivedAtMs: number,
  timeMs: number,
  random: readonly string[],
  names: readonly string[] = RECORDED_HEADERS,
): NewOperationRecord {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const value = request.header(name);
    if (value !== undefined) headers[name] = value;
  }
  const query = request.query.toString();
  return {
    world,
    receivedAtMs,
    timeMs,
    method: request.method,
    target: query === '' ? request.path : `${request.path}?${query}`,
    headers,
    body: request.bodyText,
    random,
  };
}

/**
 * The record of a fault firing on a live request: which limited faults fired (each spending one of
 * its `times`). Headers and body are left out: the firing needs only the fault ids to replay.
 */
export function firingOf(
  world: WorldId,
  request: MockRequest,
  receivedAtMs: number,
  faults: readonly string[],
): NewOperationRecord {
  const query = request.query.toString();
  return {
    world,
    receivedAtMs,
    timeMs: receivedAtMs,
    method: request.method,
    target: query === '' ? request.path : `${request.path}?${query}`,
    headers: {},
    body: null,
    random: [],
    faults,
  };
}

/** The request a record stands for, marked as coming from the log. */
export function requestOf(record: OperationRecord): MockRequest {
  const mark = record.target.indexOf('?');
  const path = mark === -1 ? record.target : record.target.slice(0, mark);
  const query = new URLSearchParams(mark === -1 ? '' : record.target.slice(mark + 1));
  const headers = record.headers;
  return {
    method: record.method,
    path,
    query,
    header: (name) => headers[name],
    bodyText: record.body,
    fromLog: true,
  };
}

/** The gate's side of one record being replayed. */
export interface Replay {
  /** The operation starts: the clock reads the record's `timeMs`, draws get the recorded bytes. */
  enter(): boolean;
  leave(ran: boolean): void;
}

/** How {@link replayRecords} tells its caller which record is under way. */
export interface ReplayHooks {
  begin(replay: Replay): void;
  end(record: OperationRecord): void;
  warn(line: string): void;
  /** Optional: records whose effect the restored state already holds; they are passed over (`end` still sees them). */
  skip?(record: OperationRecord): boolean;
}

/**
 * Replays records in order through `app`, one at a time (each one's asynchronous steps finish before
 * the next starts), with the system time pinned to the record's instants for its whole run.
 */
export async function replayRecords(
  app: MockApp,
  records: readonly OperationRecord[],
  hooks: ReplayHooks,
): Promise<void> {
  for (const record of records) {
    if (hooks.skip?.(record) === true) {
      hooks.end(record);
      continue;
    }
    if (record.faults !== undefined) {
      // A fault firing: its faults spend their `times` again; the request's operation, if it ran,
      // is the next record.
      appOf(app, record.world)?.faults.spend(record.faults);
      hooks.end(record);
      continue;
    }
    const random = record.random.map((text) => new Uint8Array(Buffer.from(text, 'base64url')));
    let entered = false;
    let untap: (() => void) | undefined;
    const restoreTime = pinSystemTime(record.receivedAtMs);
    hooks.begin({
      enter: () => {
        entered = true;
        pinSystemTime(record.timeMs); // undone by restoreTime below, after the whole record
        untap = setEntropyTap((drawn) => random.shift() ?? drawn);
        return true;
      },
      leave: () => {
        untap?.();
        untap = undefined;
      },
    });
    try {
      // The store is the adapter of a record it replays: it builds the request's context.
      await app.handleNow(new RequestContext(requestOf(record)));
    } finally {
      restoreTime();
      hooks.end(record);
    }
    if (!entered)
      hooks.warn(`record ${record.seq} (${record.method} ${record.target}) changed nothing when replayed.`);
    else if (random.length > 0)
      hooks.warn(`record ${record.seq} drew fewer random bytes when replayed than when it ran.`);
  }
}

/** Records every random draw of the operation (base64url), handing the bytes through unchanged. */
export function tapEntropy(random: string[]): () => void {
  return setEntropyTap((bytes) => {
    random.push(Buffer.from(bytes).toString('base64url'));
    return bytes;
  });
}
