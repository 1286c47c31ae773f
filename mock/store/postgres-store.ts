import type pg from 'pg';
import {
  commitText,
  type Job,
  lockOrder,
  publishBatch,
  reasonOf,
  runSections,
  type Settled,
  type WorldChanges,
  WorldPositions,
} from './postgres-batch.js';
import { PostgresLink } from './postgres-link.js';
import {
  lockAndRead,
  readConsistent,
  readEverything,
  type WorldWanted,
  writeWorldSnapshot,
} from './postgres-log.js';
import {
  LOCK_CLASS,
  migrate,
  type PostgresTarget,
  parsePostgresUrl,
  STALE_STATE,
  schemaLockKey,
  stateOf,
  type Tables,
  tablesOf,
} from './postgres-schema.js';
import {
  MAIN_WORLD,
  type NewOperationRecord,
  type OperationStore,
  type Section,
  type SectionContext,
  StaleSectionError,
  StoreBusyError,
  type StoreContents,
  StoreOpenError,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
  type WorldId,
} from './types.js';

/** At most this many sections share one transaction (and one INSERT of at most this many records x 64 kB). */
export const MAX_SECTIONS_PER_BATCH = 256;
/** While the database is away, a reload is tried this often. */
export const RELOAD_RETRY_MS = 500;
// Captured at load: fake timers a test installs later must not hold commits back.
const afterIo = globalThis.setImmediate;

/**
 * The PostgreSQL store (`--store postgres://...`): any number of server processes on one database
 * serve one ledger. Its log is partitioned by world (docs/decisions.md, "Replicas partitioned by
 * world"): the main world and each sandbox have a log of their own in `ledgerline_operations`,
 * numbered 1, 2, 3... within the world, a row in `ledgerline_worlds` holding its last number, and
 * their own snapshots in `ledgerline_snapshots`.
 *
 * Group commit: the sections that arrive in one I/O phase form a batch, run in one transaction that
 * first takes the advisory lock of each world its sections name (`pg_advisory_xact_lock`, in one
 * order; the main world's log is read without its lock when no section writes to it) and reads the
 * records other replicas committed to those worlds since this one last looked (`missed`); the
 * sections then run against the caught-up state, and their records are inserted with the COMMIT,
 * which also moves each world's row on only if it is still at the number this replica applied (the
 * fence: a replica that lost its lock while paused can never commit on a stale view). Nothing is
 * answered before that COMMIT returned and was flushed. Reads are sections too, so a replica answers
 * a read only from state that includes every write committed to its world before the read arrived.
 */
export class PostgresStore implements OperationStore {
  readonly location: string;
  /** Other processes write to this store: reads catch up too, and are refused while it is unreachable. */
  readonly shared = true;
  readonly partitioned = true;
  readonly #target: PostgresTarget;
  readonly #tables: Tables;
  readonly #lockKey: number;
  readonly #link: PostgresLink;
  /** Resolves once everything answered so far is on disk (the last batch's flush). */
  #flushed: Promise<void> = Promise.resolve();
  #queue: Job[] = [];
  #scheduled = false;
  #batching = false;
  /** Serialises batches, compactions and reloads on the one connection. */
  #lane: Promise<unknown> = Promise.resolve();
  /** Where this process stands in each world's log. */
  readonly #at = new WorldPositions();
  /** Moves on each failure: a snapshot taken before it may hold state that was never committed. */
  #epoch = 0;
  #failed = false;
  #closed = false;
  /** `true` while this process is the first of an empty store and owes it the seed snapshot. */
  #seedLocked = false;

  constructor(url: string) {
    this.#target = parsePostgresUrl(url);
    this.location = this.#target.location;
    this.#tables = tablesOf(this.#target.schema);
    this.#lockKey = schemaLockKey(this.#target.schema);
    this.#link = new PostgresLink(this.#target.config);
  }

  get failed(): boolean {
    return this.#failed;
  }

  get recordsSinceSnapshot(): number {
    return this.#at.sinceSnapshot();
  }

  async open(): Promise<StoreContents> {
    let client: pg.Client;
    try {
      client = await this.#link.main(true);
    } catch (error) {
      throw new StoreOpenError(
        `cannot reach PostgreSQL at ${this.location}: ${reasonOf(error)}; check the --store URL and that the database server runs.`,
      );
    }
    try {
      await migrate(client, this.#target.schema, this.location);
      let full = await readConsistent(client, this.#tables, this.location);
      if (full.snapshot === null) {
        // The first replica of an empty store seeds it; the others wait here and then read its seed.
        await client.query(`SELECT pg_advisory_lock(${LOCK_CLASS.seed}, ${this.#lockKey})`);
        full = await readConsistent(client, this.#tables, this.location);
        if (full.snapshot === null) this.#seedLocked = true;
        else await client.query(`SELECT pg_advisory_unlock(${LOCK_CLASS.seed}, ${this.#lockKey})`);
      }
      this.#at.take(full);
      return { snapshot: full.snapshot, records: full.records, warnings: [] };
    } catch (error) {
      await this.close();
      if (error instanceof StoreOpenError) throw error;
      throw new StoreOpenError(`cannot open the ledger in ${this.location}: ${reasonOf(error)}`);
    }
  }

  commit<T>(section: Section<T>, worlds: readonly WorldId[] = [MAIN_WORLD]): Promise<T> {
    if (this.#failed || this.#closed) return Promise.reject(this.#unavailable());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        section,
        worlds: lockOrder(worlds),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      this.#schedule();
    });
  }

  /**
   * Writes each world's snapshot whose `seqs` entry is committed and newer than its newest, keeping two
   * snapshots per world and the records after the older: a replica behind catches up without a reload.
   */
  compact(snapshot: StoreSnapshot): Promise<void> {
    const epoch = this.#epoch;
    return this.#serial(async () => {
      // Without `seqs`, a snapshot holds the main world as of its `seq`.
      const seqs = snapshot.seqs ?? { [MAIN_WORLD]: snapshot.seq };
      if (epoch !== this.#epoch)
        throw new StoreWriteError(
          'the snapshot was taken before a failure; it may hold changes that were rolled back',
        );
      const client = await this.#link.main().catch((error: unknown) => {
        throw new StoreWriteError(`cannot reach ${this.location}: ${reasonOf(error)}`, { cause: error });
      });
      const { worlds } = this.#tables;
      const written = new Map<WorldId, number>();
      try {
        await client.query('BEGIN');
        if (this.#seedLocked)
          await client.query(`INSERT INTO ${worlds} (world, seq) VALUES ($1, 0) ON CONFLICT DO NOTHING`, [
            MAIN_WORLD,
          ]);
        for (const [world, state] of Object.entries(snapshot.worlds)) {
          const seq = seqs[world];
          const known = this.#at.snapshots.get(world) ?? -1;
          // Only committed state (never a batch still open or rolled back), and only news.
          if (seq === undefined || seq > (this.#at.durable.get(world) ?? 0) || seq <= known) continue;
          await writeWorldSnapshot(client, this.#tables, { world, seq, snapshot: state }, snapshot.takenAtMs);
          written.set(world, seq);
        }
        await client.query('COMMIT');
        for (const [world, seq] of written) this.#at.snapshots.set(world, seq);
      } catch (error) {
        this.#link.drop(client);
        throw new StoreWriteError(`cannot write a snapshot to ${this.location}: ${reasonOf(error)}`, {
          cause: error,
        });
      }
      if (this.#seedLocked) {
        this.#seedLocked = false;
        this.#at.durable.set(MAIN_WORLD, this.#at.durable.get(MAIN_WORLD) ?? 0);
        this.#at.applied.set(MAIN_WORLD, this.#at.applied.get(MAIN_WORLD) ?? 0);
        await client
          .query(`SELECT pg_advisory_unlock(${LOCK_CLASS.seed}, ${this.#lockKey})`)
          .catch(() => undefined);
      }
    });
  }

  /**
   * The committed contents. While the database is unreachable this keeps trying (every
   * `RELOAD_RETRY_MS`) until it answers or the store is closed: the database holds the
   * only durable state, so there is nothing else to roll back to. Success ends the failed state,
   * as the caller's state is then the database's again.
   */
  reload(): Promise<StoreContents> {
    return this.#serial(async () => {
      for (;;) {
        if (this.#closed) throw this.#unavailable();
        let client: pg.Client | undefined;
        try {
          client = await this.#link.main(true);
          const full = await readConsistent(client, this.#tables, this.location);
          this.#at.take(full);
          this.#failed = false;
          return { snapshot: full.snapshot, records: full.records, warnings: [] };
        } catch (error) {
          if (error instanceof StoreOpenError) throw error;
          if (client !== undefined) this.#link.drop(client);
          await new Promise((resolve) => setTimeout(resolve, RELOAD_RETRY_MS));
        }
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#lane.catch(() => undefined);
    for (const job of this.#queue.splice(0)) job.reject(this.#unavailable());
    await this.#flushed.catch(() => undefined);
    await this.#link.close();
  }

  #schedule(): void {
    if (this.#scheduled || this.#batching) return;
    this.#scheduled = true;
    afterIo(() => {
      this.#scheduled = false;
      this.#batching = true;
      void this.#serial(() => this.#batch()).finally(() => {
        this.#batching = false;
        if (this.#queue.length > 0) this.#schedule();
      });
    });
  }

  /** Runs `job` after every batch, compaction and reload queued before it. */
  #serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.#lane.then(job, job);
    this.#lane = run.catch(() => undefined);
    return run;
  }

  async #batch(): Promise<void> {
    let jobs = this.#queue.splice(0, MAX_SECTIONS_PER_BATCH);
    if (jobs.length === 0) return;
    if (this.#failed || this.#closed) {
      for (const job of jobs) job.reject(this.#unavailable());
      return;
    }
    const locked = lockOrder(jobs.flatMap((job) => job.worlds));
    const lockedSet = new Set(locked);
    let client: pg.Client | undefined;
    let settled: Settled[];
    let changed: boolean;
    try {
      client = await this.#link.main();
      const before = this.#at.copy();
      const marks = [performance.now()]; // opened, locked, ran: the batch event's times
      const caughtUp = await this.#catchUp(client, locked);
      marks.push(performance.now());
      if (caughtUp === 'busy') {
        for (const job of jobs) job.reject(this.#busy());
        return;
      }
      // Taken once the locks are held: what arrived meanwhile for these worlds joins this batch.
      const joining = this.#queue.filter((job) => job.worlds.every((world) => lockedSet.has(world)));
      if (joining.length > 0) {
        this.#queue = this.#queue.filter((job) => !joining.includes(job));
        jobs = [...jobs, ...joining];
      }
      const db = client;
      const rows: string[] = [];
      const start = new Map<WorldId, number>();
      const changes: WorldChanges = { created: [], dropped: [] };
      const context: SectionContext = {
        ...caughtUp,
        append: (record: NewOperationRecord): number => {
          const seq = this.#at.next(record.world, lockedSet, start);
          rows.push(
            `(${db.escapeLiteral(record.world)}, ${seq}, ${db.escapeLiteral(JSON.stringify(record))})`,
          );
          return seq;
        },
        created: (world, snapshot) => {
          changes.created.push({ world, snapshot });
          this.#at.applied.set(world, 0);
          start.set(world, 0);
        },
        dropped: (world) => {
          if (!lockedSet.has(world)) throw new Error(`world ${world} was ended without its lock`);
          changes.dropped.push(world);
        },
      };
      const run = await runSections(jobs, context);
      settled = run.settled;
      if (!run.applied) {
        // Every section was refused before applying the catch-up: it is read again next time.
        this.#at.restore(before);
        await client.query('ROLLBACK');
        for (const job of jobs) job.reject(new StaleSectionError(`${this.location}: refused before it ran`));
        return;
      }
      marks.push(performance.now());
      await client.query(commitText(this.#tables, db, rows, start, this.#at.applied, changes));
      publishBatch(rows.length, caughtUp.missed.length, marks);
      for (const world of start.keys()) this.#at.durable.set(world, this.#at.applied.get(world) ?? 0);
      for (const world of changes.dropped) this.#at.forget(world);
      changed =
        rows.length > 0 ||
        changes.created.length + changes.dropped.length > 0 ||
        caughtUp.missed.length > 0 ||
        caughtUp.snapshot !== undefined ||
        (caughtUp.worlds?.length ?? 0) > 0;
    } catch (error) {
      if (client !== undefined) this.#link.drop(client);
      this.#fail(error, jobs);
      return;
    }
    // New state (ours or another replica's) is answered once it is on disk; a batch that saw
    // nothing new still waits for the flush of the batches before it, whose state it may show.
    const flushed = changed ? this.#link.flush() : this.#flushed;
    this.#flushed = flushed;
    flushed.then(
      () => {
        jobs.forEach((job, i) => {
          const outcome = settled[i] as Settled;
          if (outcome.ok) job.resolve(outcome.value);
          else job.reject(outcome.error);
        });
      },
      (error: unknown) => this.#fail(error, jobs),
    );
  }

  /** Fails closed: the jobs are refused, and every commit until a reload succeeds. */
  #fail(cause: unknown, jobs: readonly Job[]): void {
    this.#failed = true;
    this.#epoch += 1;
    this.#at.rollback();
    const reason =
      stateOf(cause) === STALE_STATE
        ? `${reasonOf(cause)} (this replica acted on a stale view, so nothing it did is committed)`
        : reasonOf(cause);
    const failure = new StoreWriteError(`cannot commit to ${this.location}: ${reason}`, { cause });
    for (const job of jobs) job.reject(failure);
  }

  /**
   * Opens the batch's transaction, takes the locks of `locked` and reads what this process misses of
   * them and of the main world (a sandbox's snapshot when it never held it or compaction removed what
   * it needs; everything when that is the main world). `'busy'`: a lock outlasted its timeout.
   */
  async #catchUp(
    client: pg.Client,
    locked: readonly WorldId[],
  ): Promise<Omit<SectionContext, 'append'> | 'busy'> {
    const wanted: WorldWanted[] = lockOrder([MAIN_WORLD, ...locked]).map((world) => ({
      world,
      after: this.#at.applied.get(world),
    }));
    const read = await lockAndRead(client, this.#tables, this.#target.schema, locked, wanted, this.location);
    if (read === 'busy') return 'busy';
    if (read === 'full') {
      const full = await readEverything(client, this.#tables, this.location);
      if (full.snapshot === null) throw new Error('the store lost its snapshot of the main world');
      this.#at.take(full);
      return { snapshot: full.snapshot, missed: full.records };
    }
    const worlds = this.#at.absorb(read, wanted);
    const missed = wanted.flatMap((want) => read.records.get(want.world) ?? []);
    return worlds.length > 0 ? { missed, worlds } : { missed };
  }

  #unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(`${this.location} cannot be reached; changes resume when it can.`);
  }

  #busy(): StoreBusyError {
    const { lock } = this.#target.timeouts;
    return new StoreBusyError(
      `a world's lock in ${this.location} stayed taken for lock_timeout (${lock} ms)`,
    );
  }
}
