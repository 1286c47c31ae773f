import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MockRequest, Outcome } from '../../mock/family-kit/types.js';
import { Clock } from '../../mock/ledger/clock.js';
import { demoSeed } from '../../mock/seed.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { FailOnce } from '../store/fail-once.js';
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

/**
 * The reference server of one run: a durable app on a file store (`--state-file`) in a temporary
 * folder. {@link crash} drops it without a clean close (no last snapshot) and opens the files again,
 * as a restart after a kill does: what was answered was fsynced, so it must all come back.
 */
export class SimulatedServer {
  readonly #dir: string;
  readonly #seed: unknown;
  readonly #random: () => number;
  #store: FailOnce;
  #durable: DurableApp;
  readonly warnings: string[] = [];

  private constructor(
    dir: string,
    seed: unknown,
    random: () => number,
    store: FailOnce,
    durable: DurableApp,
  ) {
    this.#dir = dir;
    this.#seed = seed;
    this.#random = random;
    this.#store = store;
    this.#durable = durable;
  }

  static async start(seed: unknown, prng: Prng): Promise<SimulatedServer> {
    const dir = mkdtempSync(join(tmpdir(), 'll-simulate-'));
    const random = () => prng.next();
    const store = new FailOnce(new FileStore(join(dir, 'state.json')));
    const server = new SimulatedServer(
      dir,
      seed,
      random,
      store,
      await SimulatedServer.#open(store, seed, random, []),
    );
    return server;
  }

  static #open(
    store: FailOnce,
    seed: unknown,
    random: () => number,
    warnings: string[],
  ): Promise<DurableApp> {
    return DurableApp.open(
      store,
      { seed, clock: Clock.controlled(START), random, families: [flaky] },
      (line) => warnings.push(line),
    );
  }

  get durable(): DurableApp {
    return this.#durable;
  }

  /** The next write fails after it reached the disk: the server answers 503 and rolls back to the disk. */
  failNextWrite(): void {
    this.#store.failNext = true;
  }

  /** Records in the store's log since its last snapshot: a request that changes nothing adds none. */
  get records(): number {
    return this.#store.recordsSinceSnapshot;
  }

  answer(request: MockRequest): Outcome | Promise<Outcome> {
    return this.#durable.answer(request);
  }

  /** A kill and a restart: the old app is dropped as it is (its files closed, nothing written), the files opened again. */
  async crash(): Promise<void> {
    await this.#store.close();
    this.#store = new FailOnce(new FileStore(join(this.#dir, 'state.json')));
    this.#durable = await SimulatedServer.#open(this.#store, this.#seed, this.#random, this.warnings);
  }

  async stop(): Promise<void> {
    await this.#durable.close().catch(() => undefined);
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
