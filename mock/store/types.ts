/**
 * The durable store interface (docs/decisions.md, "The project contract" and "Durability and hostile input").
 *
 * A store keeps the reference server's state as a **log of committed operations** plus an occasional
 * **snapshot**. An operation record is the accepted state-changing request itself (method, target,
 * the headers the pipeline reads, body text) with the mock-clock instants it ran at and the random
 * bytes it drew; replaying the records in sequence order through `MockApp` rebuilds the state exactly,
 * because every operation is a deterministic function of (state, request, time, random bytes).
 *
 * Two implementations share this interface: the file store (`--state-file`, mock/store/file-store.ts:
 * an append-only checksummed log with group commit, one process) and the PostgreSQL store (many
 * server processes on one database). The server's durable layer (mock/store/durable.ts) is
 * written against this interface only.
 *
 * The contract, in one paragraph: {@link OperationStore.commit} runs a *section* in the store's
 * exclusive section. The section first applies `missed` (records other writers committed after the
 * last one this process applied; always empty for the single-process file store), then runs requests
 * against the in-memory state, calling `append` for each state-changing request at the moment its
 * operation runs (mutation order). The promise resolves only once every appended record is durable;
 * only then may the answers leave. Records get consecutive sequence numbers 1, 2, 3... in one total
 * order, which every replica applies in the same order.
 */
import type { LedgerSnapshot } from '../ledger/snapshot.js';

/** Which ledger a record belongs to: {@link MAIN_WORLD}, or a sandbox's id. */
export type WorldId = string;

/** The server's own world (the one `/_mock/reset` and the family paths without a sandbox prefix use). */
export const MAIN_WORLD: WorldId = 'main';

/**
 * One committed state-changing request. Replayed through the app with the clock pinned to
 * `receivedAtMs` (authentication, token expiry) and then `timeMs` (the operation: journal times,
 * month boundaries), and with `random` handed back in order to whatever draws random bytes.
 */
export interface OperationRecord {
  /** Position in the one total order: 1 for the first record ever, no gaps. */
  readonly seq: number;
  /**
   * The world the request ran in: a request under `/_mock/sandboxes/{id}/...` belongs to sandbox `id`
   * (its `target` keeps the whole path); creating and deleting a sandbox are records of MAIN_WORLD.
   */
  readonly world: WorldId;
  /**
   * System time (epoch ms) the request's authentication read: a real clock reads it, a controlled
   * clock ignores it (its time is state, moved only by records).
   */
  readonly receivedAtMs: number;
  /** System time (epoch ms) its operation ran at: every state change of the record happens at it. */
  readonly timeMs: number;
  /** `POST`, `DELETE`, ... (`GET` only for a fault firing: reads are not recorded, {@link faults}). */
  readonly method: string;
  /** Path and query as received (`/api/v1/reseller/credits/transfer`). */
  readonly target: string;
  /**
   * The request headers the pipeline reads, lower-case names: credentials (`authorization`, `token`),
   * `idempotency-key`, `content-type`. Never the admin token: a record was already authorised.
   */
  readonly headers: Readonly<Record<string, string>>;
  /** Body text as received (`null` when there was none). */
  readonly body: string | null;
  /** Random bytes the operation drew (token secrets, client secrets), base64url, in draw order. */
  readonly random: readonly string[];
  /**
   * Set only on a *fault firing* (docs/decisions.md, "Faults are state"): the faults with these ids fired on this request and
   * each spent one of its `times`. Replaying it spends them again and runs nothing (method and
   * target say which request it was; headers and body are left out). The request's operation, when
   * it ran, is a record of its own after this one.
   */
  readonly faults?: readonly string[];
}

/** A record before the store numbers it. */
export type NewOperationRecord = Omit<OperationRecord, 'seq'>;

/** Every world's state as of record `seq` (0: before any record). */
export interface StoreSnapshot {
  readonly format: 'ledgerline-store';
  readonly version: 1;
  /** The last record whose effects the snapshot holds; records `<= seq` are never replayed over it. */
  readonly seq: number;
  /** Wall-clock epoch ms when it was taken (for operators; not used to restore). */
  readonly takenAtMs: number;
  /** `MockApp.snapshot()` of each world, {@link MAIN_WORLD} always present. */
  readonly worlds: Readonly<Record<WorldId, LedgerSnapshot>>;
  /**
   * Optional, partitioned stores only (PostgreSQL, where each world numbers its own log): the last
   * record of each world's log that the world's state holds. A world missing here is not written.
   */
  readonly seqs?: Readonly<Record<WorldId, number>>;
}

/** One world's state as of record `seq` of that world's log (partitioned stores). */
export interface WorldSnapshot {
  readonly world: WorldId;
  readonly seq: number;
  readonly snapshot: LedgerSnapshot;
}

/** What a store holds: the newest snapshot and the records after it. */
export interface StoreContents {
  /** `null` for a new, empty store: the caller builds the state from the seed and compacts at once. */
  readonly snapshot: StoreSnapshot | null;
  /** Records with `seq > snapshot.seq` (or from 1 without a snapshot), consecutive, in order. */
  readonly records: readonly OperationRecord[];
  /** Things repaired on the way that an operator should see (e.g. a torn last record ignored). */
  readonly warnings: readonly string[];
}

/** What a section gets inside the exclusive section. */
export interface SectionContext {
  /**
   * Records committed by other writers after the last record this process applied or appended,
   * in order. Apply them before anything else. Always empty for a single-process store.
   */
  readonly missed: readonly OperationRecord[];
  /**
   * Optional, shared stores only (PostgreSQL): set when compaction removed records this process had
   * not applied yet. Replace every world's state with it before applying `missed` (which then starts
   * at `snapshot.seq + 1`).
   */
  readonly snapshot?: StoreSnapshot;
  /**
   * Optional, partitioned stores only: sandbox worlds this process did not hold, or held behind a
   * compaction. Apply `missed` of the main world first (it may create the sandbox), then restore each
   * of these, then apply the other worlds' `missed` (which then start at each one's `seq + 1`).
   */
  readonly worlds?: readonly WorldSnapshot[];
  /**
   * Appends a record (numbered by the store) at the moment its operation runs, in mutation order;
   * returns its `seq` (in the one log, or in its world's log for a partitioned store).
   */
  append(record: NewOperationRecord): number;
  /** Optional, partitioned stores: a section made the sandbox world `world`, whose state is `snapshot`. */
  created?(world: WorldId, snapshot: LedgerSnapshot): void;
  /** Optional, partitioned stores: a section ended the sandbox world `world` (its log goes with it). */
  dropped?(world: WorldId): void;
}

/** Work that runs in the store's exclusive section; it may be asynchronous (credit-send's JWT checks). */
export type Section<T> = (context: SectionContext) => T | Promise<T>;

/**
 * A durable home for the state. Implementations: the file store (one process) and PostgreSQL
 * (replicas). All methods may be called only after {@link open} resolved, and never after
 * {@link close}.
 */
export interface OperationStore {
  /** Where the state lives, for log lines and errors (`file /var/lib/ledger.json`). */
  readonly location: string;
  /**
   * Opens the store (creating it when new), checks all of its content (checksums, sequence, snapshot
   * shape) and returns it. A torn last record is dropped and named in `warnings`.
   * @throws StoreOpenError when it cannot be used (missing folder, damaged record before the end,
   *   not a ledgerline store): the CLI exits with status 2 and the message.
   */
  open(): Promise<StoreContents>;
  /**
   * Runs `section` in the exclusive section and makes the records it appended durable.
   * Group commit: sections started in the same I/O phase may share one write and one fsync.
   * Resolves with the section's result once its records are durable (a section that appended
   * nothing resolves once the records appended before it are durable, so no answer reveals state
   * that could still be lost).
   * @throws StoreUnavailableError before running `section` while the store is failed (fail closed).
   * @throws StoreWriteError when the records could not be made durable: the section's effects are
   *   not durable, and the caller must rebuild its state from {@link reload} before answering
   *   anything else. The store is failed from then on, until a {@link compact} succeeds.
   * A section that throws appends nothing it had not appended yet; its error is rethrown.
   * `worlds` (partitioned stores; default the main world) are the worlds the section may append to:
   * the store holds their locks for it and hands it what it missed of them (and of the main world).
   * @throws StoreBusyError when a world's lock stayed taken for the lock timeout: nothing ran.
   */
  commit<T>(section: Section<T>, worlds?: readonly WorldId[]): Promise<T>;
  /**
   * Stores `snapshot` (which holds every record up to `snapshot.seq`, the last one appended) so that
   * records up to it need not be kept. Also how a failed store recovers: a snapshot written in full
   * ends the failed state. @throws StoreWriteError (the store stays or becomes failed).
   */
  compact(snapshot: StoreSnapshot): Promise<void>;
  /** The durable contents again (the snapshot and every record made durable), after a StoreWriteError. */
  reload(): Promise<StoreContents>;
  /** Records appended since the last snapshot: the caller's compaction policy reads it. */
  readonly recordsSinceSnapshot: number;
  /** `true` between a StoreWriteError and the next successful {@link compact}. */
  readonly failed: boolean;
  /**
   * Optional, `true` when other processes write to the same store (PostgreSQL replicas): reads go
   * through {@link commit} too, so they catch up, and while the store is failed reads are refused
   * (503) like writes, since this process's state may then be behind the others'. For such a store a
   * {@link reload} that succeeds also ends the failed state (the database is the state).
   */
  readonly shared?: boolean;
  /**
   * Optional, `true` when each world has a log of its own (PostgreSQL): records are numbered per
   * world, `commit` takes the worlds a section needs, and a full snapshot restores every sandbox
   * from its own log (so the main world's records that made or ended sandboxes are passed over).
   */
  readonly partitioned?: boolean;
  /** Waits for pending writes, then releases files or connections. */
  close(): Promise<void>;
}

/** The store cannot be opened; the message says what to fix. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

/** A write or fsync failed; `cause` is the system error. */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
}

/** The store is failed and refuses writes until it recovers; the server answers 503. */
export class StoreUnavailableError extends Error {
  override readonly name: string = 'StoreUnavailableError';
}

/**
 * A world's lock stayed with another replica (or a statement ran) past the store's timeouts: nothing
 * ran and nothing changed, the store is not failed, and the request is answered 503 (retry).
 */
export class StoreBusyError extends StoreUnavailableError {
  override readonly name = 'StoreBusyError';
}

/**
 * A section refused to run before it applied or changed anything (it was queued before a rebuild of
 * the caller's state): a store hands what it missed to the next section instead, and answers 503.
 */
export class StaleSectionError extends StoreUnavailableError {
  override readonly name = 'StaleSectionError';
}
