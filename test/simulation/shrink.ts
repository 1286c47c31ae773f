import type { SimulatedStore } from './server.js';
import { runSimulation, type SimulationResult } from './simulation.js';

/** The command that replays a run. */
export const replayCommand = (seed: number, steps: number, store: SimulatedStore = 'file') =>
  `npm run simulate -- --seed ${seed} --steps ${steps}${store === 'file' ? '' : ` --store ${store}`}`;

/**
 * The shortest step count of `seed` that still fails, by binary search over 1..the failed step
 * (each step draws from the one seeded stream, so a shorter run is the longer run's beginning).
 */
export async function shrink(failed: SimulationResult): Promise<SimulationResult> {
  let shortest = failed;
  let low = 1;
  let high = failed.failure?.step ?? failed.steps;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    const run = await runSimulation(failed.seed, middle, failed.store);
    if (run.failure) {
      shortest = run;
      high = middle;
    } else low = middle + 1;
  }
  if (shortest.steps !== high) shortest = await runSimulation(failed.seed, high, failed.store);
  return shortest;
}
