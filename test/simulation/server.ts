import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { MockRequest, Outcome } from '../../mock/family-kit/types.js';
import { Clock } from '../../mock/ledger/clock.js';
import { demoSeed } from '../../mock/seed.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { FailOnce } from '../store/fail-once.js';
import { adminQuery, freshSchema, type TestSchema } from '../store/postgres-support.js';
import { flaky } from './flaky-family.js';

import type { Prng } from './prng.js';

/**
 * The demo seed with no white-label credits held: credits a seed hands out were paid for by no
 * transfer, so without them every credit's minutes went through the conversion account, which then
 * never holds fewer than zero minutes (the checks' rule that no refund mints value).
 */
export function simulationSeed(): Record<string, unknown> {
  const seed = structuredClone(demoSeed) as { whiteLabel: { platforms: { users: { credits: number }[] }[] } };
  for (const platform of seed.whiteLabel.platforms) for (const user of platform.users) user.credits = 0;
  return seed;
}

/** Where the simulated clock starts (a controlled clock: it moves only when the run moves it). */
export const START = '2025-06-01T12:00:00Z';

/** Where a run keeps its state: a state file, or two replicas on one PostgreSQL schema. */
export type SimulatedStore = 'file' | 'postgres';

/** One process of the run's server: its store (which can be made to fail once) and its app. */
interface Replica {
  store: FailOnce;
  durable: DurableApp;
}

/**
 * The reference server of one run. `'file'`: a durable app on a file store (`--state-file`) in a
 * temporary folder. `'postgres'`: two replicas on a fresh PostgreSQL schema, each request answered
 * by one drawn from the run's generator, so every step also checks that a replica acts on what the
 * other committed. {@link crash} drops one process without a clean close (no last snapshot) and
 * opens its store again, as a restart after a kill does: what was answered was committed, so it
 * must all come back.
 */
export class SimulatedServer {
  readonly #open: () => FailOnce;
  readonly #seed: unknown;
  readonly #random: () => number;
  readonly #cleanUp: () => Promise<void>;
  readonly #replicas: Replica[];
  readonly #postgres: TestSchema | undefined;
  /** The replica whose store fails its next write: requests go to it until that write happened. */
  #failing: Replica | undefined;
  readonly warnings: string[] = [];

  private constructor(
    open: () => FailOnce,
    seed: unknown,
    random: () => number,
    cleanUp: () => Promise<void>,
    postgres: TestSchema | undefined,
  ) {
    this.#open = open;
    this.#seed = seed;
    this.#random = random;
    this.#cleanUp = cleanUp;
    this.#postgres = postgres;
    this.#replicas = [];
  }

  static async start(seed: unknown, prng: Prng, kind: SimulatedStore = 'file'): Promise<SimulatedServer> {
    const random = () => prng.next();
    let server: SimulatedServer;
    if (kind === 'file') {
      const dir = mkdtempSync(join(tmpdir(), 'll-simulate-'));
      const open = () => new FailOnce(new FileStore(join(dir, 'state.json')));
      server = new SimulatedServer(
        open,
        seed,
        random,
        async () => rmSync(dir, { recursive: true, force: true }),
        undefined,
      );
    } else {
      const schema = freshSchema();
      const open = () => new FailOnce(new PostgresStore(schema.url));
      server = new SimulatedServer(open, seed, random, () => schema.drop(), schema);
    }
    // One at a time: the first replica seeds an empty store, the next reads it.
    for (let i = 0; i < (kind === 'file' ? 1 : 2); i++) server.#replicas.push(await server.#start());
    return server;
  }

  async #start(): Promise<Replica> {
    const store = this.#open();
    const durable = await DurableApp.open(
      store,
      { seed: this.#seed, clock: Clock.controlled(START), random: this.#random, families: [flaky] },
      (line) => this.warnings.push(line),
    );
    return { store, durable };
  }

  /** How many processes serve the run: one, or two replicas on PostgreSQL. */
  get replicas(): number {
    return this.#replicas.length;
  }

  /** The next write fails after it reached the store: the server answers 503 and rolls back to it. */
  failNextWrite(): void {
    const replica = this.#pick();
    replica.store.failNext = true;
    this.#failing = replica;
  }

  /**
   * What the store's log holds: a request that changes nothing adds no record. For PostgreSQL, the
   * sum of every world's sequence, as the database has it (a replica's own count moves when it
   * catches up on the other's records).
   */
  async records(): Promise<number> {
    if (this.#postgres === undefined) return this.#replicas[0]?.store.recordsSinceSnapshot ?? 0;
    const { rows } = await adminQuery<{ total: string | null }>(
      `SELECT sum(seq)::text AS total FROM ${pg.escapeIdentifier(this.#postgres.name)}.ledgerline_worlds`,
    );
    return Number(rows[0]?.total ?? 0);
  }

  answer(request: MockRequest): Outcome | Promise<Outcome> {
    const failing = this.#failing;
    if (failing !== undefined && !failing.store.failNext) this.#failing = undefined;
    const replica = this.#failing ?? this.#pick();
    // A PostgreSQL replica whose write failed answers 503 to everything until it has read the
    // database's state back: the run waits for that, so what a request meets never depends on how
    // fast the machine is.
    if (this.#postgres !== undefined) return this.#recovered(replica, request);
    return replica.durable.answer(request);
  }

  /** `request` answered by every replica in turn (each after recovering from a failed write). */
  async answerEach(request: MockRequest): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const replica of this.#replicas) outcomes.push(await this.#recovered(replica, request));
    return outcomes;
  }

  async #recovered(replica: Replica, request: MockRequest): Promise<Outcome> {
    await replica.durable.settled();
    return replica.durable.answer(request);
  }

  /** A kill and a restart of one process: the old app is dropped as it is (nothing written), its store opened again. */
  async crash(): Promise<void> {
    const index = this.#draw();
    const replica = this.#replicas[index];
    if (replica === undefined) return;
    await replica.store.close();
    if (this.#failing === replica) this.#failing = undefined;
    this.#replicas[index] = await this.#start();
  }

  async stop(): Promise<void> {
    for (const replica of this.#replicas) await replica.durable.close().catch(() => undefined);
    await this.#cleanUp();
  }

  #pick(): Replica {
    const replica = this.#replicas[this.#draw()];
    if (replica === undefined) throw new Error('the simulated server has no replica');
    return replica;
  }

  /** A replica's index; with one replica nothing is drawn, so a file-store run's draws stay as they were. */
  #draw(): number {
    const count = this.#replicas.length;
    return count === 1 ? 0 : Math.floor(this.#random() * count);
  }
}
