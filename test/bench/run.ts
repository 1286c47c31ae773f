/**
 * Benchmark runner: `npx tsx test/bench/run.ts [name] [argument]` runs every registered benchmark,
 * or the one named (with its argument, such as the part of `hostile`). For exact heap figures start
 * node with `--expose-gc`: `node --expose-gc --import tsx test/bench/run.ts ledger`.
 */
import { pathToFileURL } from 'node:url';

type Bench = (argument?: string) => Promise<unknown>;

/** Registered benchmarks; modules load lazily so one bench never pays for another's imports. */
export const BENCHMARKS: Readonly<Record<string, Bench>> = {
  ledger: async () => (await import('./ledger.js')).runLedgerBench(),
  server: async () => (await import('./server.js')).runServerBench(),
  startup: async () => (await import('./startup.js')).runStartupBench(),
  sdk: async () => (await import('./sdk.js')).runSdkBench(),
  bundle: async () => (await import('./bundle.js')).runBundleBench(),
  replicas: async () => (await import('./replicas.js')).runReplicasBench(),
  container: async () => (await import('./container.js')).runContainerBench(),
  transport: async () => (await import('./transport.js')).runTransportBench(),
  'journal-memory': async () => (await import('./journal-memory.js')).runJournalMemoryBench(),
  hostile: async (part) => {
    const code = await (await import('./hostile.js')).runHostileBench(part);
    if (code !== 0) throw new Error(`hostile ${part}: unknown part`);
  },
};

export async function runBenchmarks(name: string | undefined, argument?: string): Promise<number> {
  const names = name === undefined ? Object.keys(BENCHMARKS) : [name];
  for (const bench of names) {
    const run = BENCHMARKS[bench];
    if (run === undefined) {
      console.error(`unknown benchmark "${bench}"; available: ${Object.keys(BENCHMARKS).join(', ')}`);
      return 1;
    }
    await run(argument);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runBenchmarks(process.argv[2], process.argv[3]);
}
