import { describe, expect, it } from 'vitest';
import { replayCommand } from './shrink.js';
import { runSimulation } from './simulation.js';

// The deterministic simulation (docs/reference-server.md, "Deterministic simulation"): the SDK and
// the durable reference server in one process, driven by one seed. `npm run test:soak` runs more
// seeds and steps (SIMULATION_SEEDS, SIMULATION_STEPS).

const SEEDS = Number(process.env.SIMULATION_SEEDS ?? 3);
const STEPS = Number(process.env.SIMULATION_STEPS ?? 80);
const FIRST_SEED = Number(process.env.SIMULATION_FIRST_SEED ?? 1);

describe('deterministic simulation', () => {
  const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i);
  it.each(seeds)(
    `seed %i: ${STEPS} steps keep every invariant`,
    async (seed) => {
      const result = await runSimulation(seed, STEPS);
      const replay = result.failure
        ? `seed ${seed} failed at step ${result.failure.step}: ${result.failure.message}\nreplay: ${replayCommand(seed, result.failure.step)} --verbose`
        : '';
      expect(result.failure, replay).toBeUndefined();
      expect(result.ran).toBe(STEPS);
    },
    300_000,
  );

  // The same steps on two replicas of one PostgreSQL schema, each request answered by one drawn
  // from the seed: after every step both answer the same books (SIMULATION_POSTGRES_SEEDS).
  const postgresSeeds = Array.from(
    { length: Number(process.env.SIMULATION_POSTGRES_SEEDS ?? 1) },
    (_, i) => FIRST_SEED + i,
  );
  it.each(postgresSeeds)(
    `seed %i on two PostgreSQL replicas: ${STEPS} steps keep every invariant and the replicas agree`,
    async (seed) => {
      const result = await runSimulation(seed, STEPS, 'postgres');
      const replay = result.failure
        ? `seed ${seed} failed at step ${result.failure.step}: ${result.failure.message}\nreplay: ${replayCommand(seed, result.failure.step, 'postgres')} --verbose`
        : '';
      expect(result.failure, replay).toBeUndefined();
      expect(result.ran).toBe(STEPS);
    },
    300_000,
  );

  it('repeats a run exactly from its seed: the same event log, the same digest', async () => {
    const first = await runSimulation(FIRST_SEED, 40);
    const second = await runSimulation(FIRST_SEED, 40);
    expect(second.events).toEqual(first.events);
    expect(second.digest).toBe(first.digest);
    // A run of fewer steps is the beginning of the longer one (what shrinking relies on).
    const shorter = await runSimulation(FIRST_SEED, 20);
    expect(first.events.slice(0, shorter.events.length)).toEqual(shorter.events);
    // Another seed is another run.
    expect((await runSimulation(FIRST_SEED + 1, 40)).digest).not.toBe(first.digest);
  }, 300_000);
});
