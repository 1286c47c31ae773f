/**
 * Startup benchmark: process start to first answered request (a 2xx to `GET /api/v1/billing/plans`,
 * polled every few ms), for the reference server's CLI (bundled as `dist/cli.js` is) and for
 * `prism mock openapi.yaml`, each started several times; medians. Budget (docs/decisions.md, "The project contract"): the reference
 * server's cold start <= 0.2 x Prism's.
 *
 * Run alone: `node --import tsx test/bench/run.ts startup`.
 */
import { type Child, freePort, waitForAnswer } from './support/processes.js';
import { type Log, median, printBudgets, printTable, round2 } from './support/report.js';
import { buildReferenceCli, PROBE, startPrism, startReference } from './support/targets.js';

const REFERENCE_RUNS = 7;
const PRISM_RUNS = 3;

export const STARTUP_BUDGETS = { vsPrism: 0.2 };

export interface StartupBenchResult {
  readonly bench: 'startup';
  readonly coldStartMs: number;
  readonly prismColdStartMs: number;
}

/** Spawns a server, times spawn -> first 2xx, stops it; always stops it, even on a timeout. */
async function coldStart(start: (port: number) => Child, intervalMs: number): Promise<number> {
  const port = await freePort();
  const spawned = performance.now();
  const child = start(port);
  try {
    const answered = await waitForAnswer(
      child,
      `http://127.0.0.1:${port}${PROBE.path}`,
      { headers: PROBE.headers },
      { timeoutMs: 60_000, intervalMs },
    );
    return answered - spawned;
  } finally {
    await child.stop();
  }
}

export async function runStartupBench(log: Log = console.log): Promise<StartupBenchResult> {
  log(
    `startup bench: spawn -> first 2xx of GET ${PROBE.path}; reference server x${REFERENCE_RUNS}, prism x${PRISM_RUNS}, medians`,
  );
  const cli = await buildReferenceCli();
  // One unmeasured start of each fills the OS file cache, as it is on a developer's machine.
  await coldStart((port) => startReference(cli, port), 5);
  const reference: number[] = [];
  for (let i = 0; i < REFERENCE_RUNS; i += 1)
    reference.push(await coldStart((port) => startReference(cli, port), 5));
  await coldStart(startPrism, 20);
  const prism: number[] = [];
  for (let i = 0; i < PRISM_RUNS; i += 1) prism.push(await coldStart(startPrism, 20));

  const coldStartMs = Math.round(median(reference));
  const prismColdStartMs = Math.round(median(prism));
  const runs = (values: number[]) => values.map((v) => Math.round(v)).join(', ');
  printTable(log, [
    ['target', 'median ms', 'min ms', 'max ms', 'runs (ms)'],
    [
      'reference server',
      coldStartMs,
      Math.round(Math.min(...reference)),
      Math.round(Math.max(...reference)),
      runs(reference),
    ],
    [
      'prism mock',
      prismColdStartMs,
      Math.round(Math.min(...prism)),
      Math.round(Math.max(...prism)),
      runs(prism),
    ],
  ]);
  printBudgets(log, [
    {
      name: 'cold start vs Prism',
      value: round2(coldStartMs / prismColdStartMs),
      op: '<=',
      limit: STARTUP_BUDGETS.vsPrism,
      unit: 'x',
    },
  ]);
  const result: StartupBenchResult = { bench: 'startup', coldStartMs, prismColdStartMs };
  log(JSON.stringify(result));
  return result;
}
