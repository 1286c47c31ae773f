import type pg from 'pg';
import { PostgresLink } from './postgres-link.js';
import { parseRecordRow, parseSnapshotRow, type RecordRow, type SnapshotRow } from './postgres-rows.js';
import {
  LOCK_CLASS,
  migrate,
  type PostgresTarget,
  parsePostgresUrl,
  schemaLockKey,
  type Tables,
  tablesOf,
} from './postgres-schema.js';
import {
  type NewOperationRecord,
  type OperationRecord,
  type OperationStore,
  type Section,
  type SectionContext,
  type StoreContents,
  StoreOpenError,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
} from './types.js';

/** At most this many sections share one transaction (and one INSERT of at most this many records x 64 kB). */
export const MAX_SECTIONS_PER_BATCH = 256;
/** While the database is away, a reload is tried this often. */
export const RELOAD_RETRY_MS = 500;
// Captured at load: fake timers a test installs later must not hold commits back.
const afterIo = globalThis.setImmediate;
const NO_RECORDS: readonly OperationRecord[] = [];

interface Job {
  readonly section: Section<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/**
 * The PostgreSQL store (`--store postgres://...`): any number of server processes on one database
 * serve one ledger. The log is the table `ledgerline_operations` (one row per record, numbered in
 * one total order), compacted by `ledgerline_snapshots`. See docs/decisions.md, "Replicas on PostgreSQL".
 *
 * Group commit: the sections that arrive in one I/O phase form a batch, run in one transaction that
 * first takes the log's advisory lock (`pg_advisory_xact_lock`, so replicas append one at a time)
 * and reads the records other replicas committed since this one last looked (`missed`); the
 * sections then run against the caught-up state, and their records are inserted with the COMMIT.
 * Nothing is answered before that COMMIT returned. Reads are sections too, so a replica answers a
 * read only from state that includes every write committed before the read arrived.
 */
export class PostgresStore implements OperationStore {
  readonly location: string;
  /** Other processes write to this store: reads catch up too, and are refused while it is unreachable. */
  readonly shared = true;
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
  /** The last record this process applied or appended (committed, or in the open batch). */
  #lastSeq = 0;
  #durableSeq = 0;
  #snapshotSeq = 0;
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
    return this.#lastSeq - this.#snapshotSeq;
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
      let contents = await this.#read(client);
      if (contents.snapshot === null) {
        // The first replica of an empty store seeds it; the others wait here and then read its seed.
        await client.query(`SELECT pg_advisory_lock(${LOCK_CLASS.seed}, ${this.#lockKey})`);
        contents = await this.#read(client);
        if (contents.snapshot === null) this.#seedLocked = true;
        else await client.query(`SELECT pg_advisory_unlock(${LOCK_CLASS.seed}, ${this.#lockKey})`);
      }
      this.#snapshotSeq = contents.snapshot?.seq ?? 0;
      this.#lastSeq = this.#durableSeq = this.#snapshotSeq + contents.records.length;
      return contents;
    } catch (error) {
      await this.close();
      if (error instanceof StoreOpenError) throw error;
      throw new StoreOpenError(`cannot open the ledger in ${this.location}: ${reasonOf(error)}`);
    }
  }

  commit<T>(section: Section<T>): Promise<T> {
    if (this.#failed || this.#closed) return Promise.reject(this.#unavailable());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ section, resolve: resolve as (value: unknown) => void, reject });
      this.#schedule();
    });
  }

  compact(snapshot: StoreSnapshot): Promise<void> {
    return this.#serial(async () => {
      if (snapshot.seq > this.#durableSeq)
        throw new StoreWriteError(
          `the snapshot holds record ${snapshot.seq}, but only records up to ${this.#durableSeq} are committed`,
        );
      const client = await this.#link.main().catch((error: unknown) => {
        throw new StoreWriteError(`cannot reach ${this.location}: ${reasonOf(error)}`, { cause: error });
      });
      const text = JSON.stringify(snapshot);
      const { snapshots, operations } = this.#tables;
      try {
        await client.query('BEGIN');
        const newest = await client.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM ${snapshots}`);
        const newestSeq = newest.rows[0]?.seq === null ? -1 : Number(newest.rows[0]?.seq);
        if (snapshot.seq > newestSeq)
          await client.query(
            `INSERT INTO ${snapshots} (seq, taken_at_ms, snapshot) VALUES ($1, $2, $3) ON CONFLICT (seq) DO NOTHING`,
            [snapshot.seq, snapshot.takenAtMs, text],
          );
        // The two newest snapshots and the records after the older one are kept: a replica that is
        // behind the newest one catches up from it (see #catchUp) without a full reload.
        await client.query(
          `DELETE FROM ${snapshots} WHERE seq < (SELECT seq FROM ${snapshots} ORDER BY seq DESC OFFSET 1 LIMIT 1)`,
        );
        await client.query(`DELETE FROM ${operations} WHERE seq <= (SELECT min(seq) FROM ${snapshots})`);
        await client.query('COMMIT');
        this.#snapshotSeq = Math.max(snapshot.seq, newestSeq);
      } catch (error) {
        this.#link.drop(client);
        throw new StoreWriteError(`cannot write a snapshot to ${this.location}: ${reasonOf(error)}`, {
          cause: error,
        });
      }
      if (this.#seedLocked) {
        this.#seedLocked = false;
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
          const contents = await this.#read(client);
          this.#snapshotSeq = contents.snapshot?.seq ?? 0;
          this.#lastSeq = this.#durableSeq = this.#snapshotSeq + contents.records.length;
          this.#failed = false;
          return contents;
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
    if (this.#failed || this.#closed) {
      for (const job of this.#queue.splice(0, MAX_SECTIONS_PER_BATCH)) job.reject(this.#unavailable());
      return;
    }
    let client: pg.Client | undefined;
    let jobs: Job[] = [];
    let settled: Settled[];
    let changed: boolean;
    try {
      client = await this.#link.main();
      const before = { last: this.#lastSeq, snapshot: this.#snapshotSeq };
      const caughtUp = await this.#catchUp(client);
      // Taken once the lock is held: what arrived while waiting for it joins this batch.
      jobs = this.#queue.splice(0, MAX_SECTIONS_PER_BATCH);
      if (jobs.length === 0) {
        // Closed meanwhile: no section applies what was read, so it stays unread.
        await client.query('ROLLBACK');
        this.#lastSeq = this.#durableSeq = before.last;
        this.#snapshotSeq = before.snapshot;
        return;
      }
      const rows: string[] = [];
      const db = client;
      const append = (record: NewOperationRecord): number => {
        this.#lastSeq += 1;
        rows.push(
          `(${this.#lastSeq}, ${db.escapeLiteral(record.world)}, ${db.escapeLiteral(JSON.stringify(record))})`,
        );
        return this.#lastSeq;
      };
      settled = await runSections(jobs, { ...caughtUp, append });
      const insert =
        rows.length === 0
          ? ''
          : `INSERT INTO ${this.#tables.operations} (seq, world, record) VALUES ${rows.join(', ')}; `;
      await client.query(`${insert}COMMIT`);
      this.#durableSeq = this.#lastSeq;
      changed = rows.length > 0 || caughtUp.missed.length > 0 || caughtUp.snapshot !== undefined;
    } catch (error) {
      if (client !== undefined) this.#link.drop(client);
      this.#fail(error, jobs.length > 0 ? jobs : this.#queue.splice(0, MAX_SECTIONS_PER_BATCH));
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
    this.#lastSeq = this.#durableSeq;
    const failure = new StoreWriteError(`cannot commit to ${this.location}: ${reasonOf(cause)}`, { cause });
    for (const job of jobs) job.reject(failure);
  }

  /**
   * Opens the batch's transaction, takes the log's lock and reads the records committed after the
   * last one this process has. When compaction already removed some of them, the newest snapshot
   * comes along and the records after it (the section restores it first).
   */
  async #catchUp(client: pg.Client): Promise<Pick<SectionContext, 'missed' | 'snapshot'>> {
    const results = (await client.query(
      // synchronous_commit off: the COMMIT frees the lock without waiting for the disk (see PostgresLink).
      `BEGIN; SET LOCAL synchronous_commit TO off; SELECT pg_advisory_xact_lock(${LOCK_CLASS.log}, ${this.#lockKey}); ` +
        `SELECT seq, record FROM ${this.#tables.operations} WHERE seq > ${this.#lastSeq} ORDER BY seq`,
    )) as unknown as pg.QueryResult<RecordRow>[];
    const rows = results[3]?.rows ?? [];
    if (rows.length === 0 || Number(rows[0]?.seq) === this.#lastSeq + 1) {
      const missed = rows.map(parseRecordRow);
      this.#lastSeq = this.#durableSeq = this.#lastSeq + missed.length;
      return { missed };
    }
    const contents = await this.#read(client, false);
    if (contents.snapshot === null)
      throw new Error(`record ${this.#lastSeq + 1} is missing and there is no snapshot`);
    this.#snapshotSeq = contents.snapshot.seq;
    this.#lastSeq = this.#durableSeq = this.#snapshotSeq + contents.records.length;
    return { snapshot: contents.snapshot, missed: contents.records };
  }

  /** The newest snapshot and the records after it, read in one consistent view. */
  async #read(client: pg.Client, ownTransaction = true): Promise<StoreContents> {
    const { snapshots, operations } = this.#tables;
    if (ownTransaction) await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      const newest = await client.query<SnapshotRow>(
        `SELECT seq, snapshot FROM ${snapshots} ORDER BY seq DESC LIMIT 1`,
      );
      const row = newest.rows[0];
      const snapshot = row === undefined ? null : parseSnapshotRow(row, this.location);
      const after = await client.query<RecordRow>(
        `SELECT seq, record FROM ${operations} WHERE seq > $1 ORDER BY seq`,
        [snapshot?.seq ?? 0],
      );
      const records = after.rows.map(parseRecordRow);
      const since = snapshot?.seq ?? 0;
      records.forEach((record, i) => {
        if (record.seq !== since + i + 1)
          throw new StoreOpenError(
            `${this.location}: record ${since + i + 1} is missing (found ${record.seq}); the log cannot be replayed.`,
          );
      });
      if (snapshot === null && records.length > 0)
        throw new StoreOpenError(`${this.location} has records but no snapshot; it cannot be replayed.`);
      if (ownTransaction) await client.query('COMMIT');
      return { snapshot, records, warnings: [] };
    } catch (error) {
      if (ownTransaction) await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  #unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(`${this.location} cannot be reached; changes resume when it can.`);
  }
}

/**
 * Runs the batch's sections: the first alone when it must apply other replicas' records (the
 * others then start on the caught-up state), otherwise all at once, as the file store does.
 */
async function runSections(jobs: readonly Job[], context: SectionContext): Promise<Settled[]> {
  const rest: SectionContext = { missed: NO_RECORDS, append: context.append };
  if (context.missed.length === 0 && context.snapshot === undefined)
    return Promise.all(jobs.map((job) => settle(job, rest)));
  const [first, ...others] = jobs;
  if (first === undefined) return [];
  const head = await settle(first, context);
  return [head, ...(await Promise.all(others.map((job) => settle(job, rest))))];
}

async function settle(job: Job, context: SectionContext): Promise<Settled> {
  try {
    return { ok: true, value: await job.section(context) };
  } catch (error) {
    return { ok: false, error };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
