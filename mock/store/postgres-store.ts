import pg from 'pg';
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
 * one total order), compacted by `ledgerline_snapshots`. See docs/decisions.md (issue 16).
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
  #client: pg.Client | undefined;
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
      client = await this.#connection();
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
      const client = await this.#connection().catch((error: unknown) => {
        throw new StoreWriteError(`cannot reach ${this.location}: ${reasonOf(error)}`, { cause: error });
      });
      const text = JSON.stringify(snapshot);
      const { snapshots, operations } = this.#tables;
      try {
        await client.query('BEGIN');
        const newest = await client.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM ${snapshots}`);
        const newestSeq = newest.rows[0]?.seq === null ? -1 : Number(newest.rows[0]?.seq);
        if (snapshot.seq > newestSeq)
          await client.query(`INSERT INTO ${snapshots} (seq, taken_at_ms, snapshot) VALUES ($1, $2, $3)`, [
            snapshot.seq,
            snapshot.takenAtMs,
            text,
          ]);
        // The two newest snapshots and the records after the older one are kept: a replica that is
        // behind the newest one catches up from it (see #catchUp) without a full reload.
        await client.query(
          `DELETE FROM ${snapshots} WHERE seq < (SELECT seq FROM ${snapshots} ORDER BY seq DESC OFFSET 1 LIMIT 1)`,
        );
        await client.query(`DELETE FROM ${operations} WHERE seq <= (SELECT min(seq) FROM ${snapshots})`);
        await client.query('COMMIT');
        this.#snapshotSeq = Math.max(snapshot.seq, newestSeq);
      } catch (error) {
        this.#drop(client);
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
   * {@link RELOAD_RETRY_MS}) until it answers or the store is closed: the database holds the
   * only durable state, so there is nothing else to roll back to. Success ends the failed state,
   * as the caller's state is then the database's again.
   */
  reload(): Promise<StoreContents> {
    return this.#serial(async () => {
      for (;;) {
        if (this.#closed) throw this.#unavailable();
        try {
          const contents = await this.#read(await this.#connection());
          this.#snapshotSeq = contents.snapshot?.seq ?? 0;
          this.#lastSeq = this.#durableSeq = this.#snapshotSeq + contents.records.length;
          this.#failed = false;
          return contents;
        } catch (error) {
          if (this.#client !== undefined) this.#drop(this.#client);
          if (error instanceof StoreOpenError) throw error;
          await new Promise((resolve) => setTimeout(resolve, RELOAD_RETRY_MS));
        }
      }
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#lane.catch(() => undefined);
    for (const job of this.#queue.splice(0)) job.reject(this.#unavailable());
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
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
    const jobs = this.#queue.splice(0, MAX_SECTIONS_PER_BATCH);
    if (this.#failed || this.#closed) {
      for (const job of jobs) job.reject(this.#unavailable());
      return;
    }
    let client: pg.Client | undefined;
    let settled: Settled[];
    try {
      client = await this.#connection();
      const caughtUp = await this.#catchUp(client);
      const rows: string[] = [];
      const append = (record: NewOperationRecord): number => {
        this.#lastSeq += 1;
        rows.push(
          `(${this.#lastSeq}, ${pg.escapeLiteral(record.world)}, ${pg.escapeLiteral(JSON.stringify(record))})`,
        );
        return this.#lastSeq;
      };
      // The first section applies what other replicas committed; the others start once it has.
      const first = await settle(jobs[0] as Job, { ...caughtUp, append });
      const context: SectionContext = { missed: NO_RECORDS, append };
      const others = await Promise.all(jobs.slice(1).map((job) => settle(job, context)));
      settled = [first, ...others];
      const insert =
        rows.length === 0
          ? ''
          : `INSERT INTO ${this.#tables.operations} (seq, world, record) VALUES ${rows.join(', ')}; `;
      await client.query(`${insert}COMMIT`);
      this.#durableSeq = this.#lastSeq;
    } catch (error) {
      this.#failed = true;
      this.#lastSeq = this.#durableSeq;
      if (client !== undefined) this.#drop(client);
      const failure = new StoreWriteError(`cannot commit to ${this.location}: ${reasonOf(error)}`, {
        cause: error,
      });
      for (const job of jobs) job.reject(failure);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = settled[i] as Settled;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  /**
   * Opens the batch's transaction, takes the log's lock and reads the records committed after the
   * last one this process has. When compaction already removed some of them, the newest snapshot
   * comes along and the records after it (the section restores it first).
   */
  async #catchUp(client: pg.Client): Promise<Pick<SectionContext, 'missed' | 'snapshot'>> {
    const results = (await client.query(
      `BEGIN; SELECT pg_advisory_xact_lock(${LOCK_CLASS.log}, ${this.#lockKey}); ` +
        `SELECT seq, record FROM ${this.#tables.operations} WHERE seq > ${this.#lastSeq} ORDER BY seq`,
    )) as unknown as pg.QueryResult<RecordRow>[];
    const rows = results[2]?.rows ?? [];
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

  /** The connection, opened when there is none (the last one failed). */
  async #connection(): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    const client = new pg.Client(this.#target.config);
    // A connection the server ends while idle reports here; it is replaced on next use.
    client.on('error', () => this.#drop(client));
    await client.connect();
    this.#client = client;
    return client;
  }

  /** Forgets a connection that failed; the server rolls back its open transaction and frees its locks. */
  #drop(client: pg.Client): void {
    if (this.#client === client) this.#client = undefined;
    client.end().catch(() => undefined);
  }

  #unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(`${this.location} cannot be reached; changes resume when it can.`);
  }
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
