import type pg from 'pg';
import { loadPg } from './postgres-driver.js';

/** The database server restarted (or failed over) since this process last read it: what it applied may be gone. */
export class ServerRestartedError extends Error {
  override readonly name = 'ServerRestartedError';
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The store's two connections to PostgreSQL: `main` for batches, snapshots and reloads (one at a
 * time, the store serialises them), and one that only forces the WAL to disk ({@link flush}).
 *
 * Batches commit with `synchronous_commit = off`: the COMMIT returns once its record is in the WAL
 * buffers, visible to the other replicas, and the log's lock is free for them at once; the answers
 * wait for {@link flush}, a transaction of its own that PostgreSQL commits synchronously, so its
 * WAL flush covers every commit before it. The disk write thus leaves the lock's critical section,
 * and one flush serves every batch that committed while the previous one ran (group commit across
 * batches and replicas). A replica may apply records another replica has not flushed yet; it too
 * answers only after a flush, which covers them. Should the server crash before the flush, those
 * records are gone: every new connection compares the server's start time with the one this process
 * has seen and refuses to go on ({@link ServerRestartedError}) until the caller reloaded.
 */
export class PostgresLink {
  readonly #config: pg.ClientConfig;
  #main: pg.Client | undefined;
  #flusher: pg.Client | undefined;
  /** `pg_postmaster_start_time()` of the server whose records this process applied. */
  #serverStart: string | undefined;
  #flushing = false;
  #next: Waiter[] = [];

  constructor(config: pg.ClientConfig) {
    this.#config = config;
  }

  /**
   * The main connection, opened when there is none (the last one failed).
   * @param acceptRestart `true` for a reload, which reads everything afresh.
   * @throws ServerRestartedError when the server restarted since this process last read it.
   */
  async main(acceptRestart = false): Promise<pg.Client> {
    this.#main ??= await this.#connect(acceptRestart, (client) => {
      if (this.#main === client) this.#main = undefined;
    });
    return this.#main;
  }

  /** Forgets a connection that failed; the server rolls back its open transaction and frees its locks. */
  drop(client: pg.Client): void {
    if (this.#main === client) this.#main = undefined;
    if (this.#flusher === client) this.#flusher = undefined;
    client.end().catch(() => undefined);
  }

  /**
   * Resolves once the WAL holds on disk every commit that returned before this call: the next
   * flush to start covers it; calls made while one runs share the next.
   */
  flush(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#next.push({ resolve, reject });
      if (!this.#flushing) this.#startFlush();
    });
  }

  async close(): Promise<void> {
    const clients = [this.#main, this.#flusher];
    this.#main = this.#flusher = undefined;
    await Promise.all(clients.map((client) => client?.end().catch(() => undefined)));
  }

  #startFlush(): void {
    const waiters = this.#next;
    this.#next = [];
    this.#flushing = true;
    this.#flushOnce().then(
      () => {
        for (const waiter of waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }

  async #flushOnce(): Promise<void> {
    try {
      this.#flusher ??= await this.#connect(false, (client) => {
        if (this.#flusher === client) this.#flusher = undefined;
      });
      const flusher = this.#flusher;
      // An xid makes this a transaction with a commit record, committed synchronously: PostgreSQL
      // flushes the WAL up to that record, so every commit that returned before it is on disk.
      await flusher.query('SELECT txid_current()').catch((error: unknown) => {
        this.drop(flusher);
        throw error;
      });
    } finally {
      this.#flushing = false;
      if (this.#next.length > 0) this.#startFlush();
    }
  }

  async #connect(acceptRestart: boolean, forget: (client: pg.Client) => void): Promise<pg.Client> {
    const { Client } = await loadPg();
    const client = new Client(this.#config);
    // A connection the server ends while idle reports here; it is replaced on next use.
    client.on('error', () => {
      forget(client);
      client.end().catch(() => undefined);
    });
    await client.connect();
    try {
      const result = await client.query<{ started: string }>(
        "SELECT pg_postmaster_start_time()::text AS started, set_config('synchronous_commit', 'on', false)",
      );
      const started = result.rows[0]?.started ?? '';
      if (this.#serverStart !== undefined && started !== this.#serverStart && !acceptRestart)
        throw new ServerRestartedError(
          `the database server restarted (at ${started}); records committed just before may be lost, so this replica reloads`,
        );
      this.#serverStart = started;
      return client;
    } catch (error) {
      client.end().catch(() => undefined);
      throw error;
    }
  }
}
