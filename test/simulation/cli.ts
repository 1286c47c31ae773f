import { parseArgs } from 'node:util';
import { replayCommand, shrink } from './shrink.js';
import { runSimulation } from './simulation.js';

// `npm run simulate -- --seed N --steps M [--runs K] [--store file|postgres] [--verbose]`: docs/reference-server.md, "Deterministic simulation".

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    steps: { type: 'string', default: '200' },
    runs: { type: 'string', default: '1' },
    verbose: { type: 'boolean', default: false },
    store: { type: 'string', default: 'file' },
  },
});
const store = values.store;
if (store !== 'file' && store !== 'postgres') {
  console.error(`--store: expected file or postgres (the machine's, LEDGERLINE_TEST_POSTGRES), got ${store}`);
  process.exit(2);
}
const number = (name: string, text: string | undefined) => {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    console.error(`--${name}: expected a whole number, got ${text}`);
    process.exit(2);
  }
  return value;
};
const seed = number('seed', values.seed);
const steps = number('steps', values.steps);
const runs = number('runs', values.runs);

let failed = false;
for (let s = seed; s < seed + runs; s++) {
  const result = await runSimulation(s, steps, store);
  if (values.verbose) for (const line of result.events) console.log(line);
  if (!result.failure) {
    console.log(`seed ${s}: ${steps} steps ok, digest ${result.digest}`);
    continue;
  }
  failed = true;
  console.log(`seed ${s}: FAILED at step ${result.failure.step}\n${result.failure.message}`);
  const shortest = await shrink(result);
  console.log(`shortest failing run: ${shortest.steps} steps (digest ${shortest.digest})`);
  console.log(`replay: ${replayCommand(s, shortest.steps, store)} --verbose`);
}
process.exit(failed ? 1 : 0);
