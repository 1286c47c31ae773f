/**
 * CPU time (and store batch counters) read inside a measured server process: the server is started
 * with `--import <probe>` and an IPC channel, and {@link readProbe} asks it for its figures. Reading
 * them from inside keeps the load generator's CPU (autocannon, in the bench process) out.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Child } from './processes.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** What the probe reports: cumulative since the process started. */
export interface ProbeReading {
  readonly cpuUs: number;
  readonly batches: number;
  readonly records: number;
  readonly caughtUpRecords: number;
  readonly roundTrips: number;
  readonly lockWaitUs: number;
  readonly sectionsUs: number;
  readonly commitUs: number;
  /** Statements sent to PostgreSQL (each one round trip), of which WAL flushes. */
  readonly queries: number;
  readonly flushes: number;
}

let built: Promise<string> | undefined;

/** The probe built to plain JavaScript (once per bench process), for `node --import`. */
export function buildProbe(): Promise<string> {
  built ??= (async () => {
    const outfile = join(ROOT, 'node_modules/.cache/ledgerline-bench/probe.js');
    await mkdir(dirname(outfile), { recursive: true });
    await build({
      entryPoints: [join(ROOT, 'test/bench/support/probe-preload.ts')],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // The server's own pg (the CLI keeps it external too): the probe counts that module's queries.
      external: ['pg'],
      logLevel: 'warning',
    });
    return outfile;
  })();
  return built;
}

/** The node arguments that load the probe (put them before the script). */
export async function probeArgs(): Promise<string[]> {
  return ['--import', await buildProbe()];
}

/** The child's figures now; the child must have been started with {@link probeArgs} and an IPC channel. */
export function readProbe(child: Child, timeoutMs = 5_000): Promise<ProbeReading> {
  const proc = child.process;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.off('message', onMessage);
      reject(new Error(`${child.name} did not answer the CPU probe within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: unknown) => {
      clearTimeout(timer);
      proc.off('message', onMessage);
      resolve(message as ProbeReading);
    };
    proc.on('message', onMessage);
    if (!proc.send?.('probe')) {
      clearTimeout(timer);
      proc.off('message', onMessage);
      reject(new Error(`${child.name} has no IPC channel (start it with ipc: true)`));
    }
  });
}

/** `after - before`, field by field. */
export function probeDelta(before: ProbeReading, after: ProbeReading): ProbeReading {
  return {
    cpuUs: after.cpuUs - before.cpuUs,
    batches: after.batches - before.batches,
    records: after.records - before.records,
    caughtUpRecords: after.caughtUpRecords - before.caughtUpRecords,
    roundTrips: after.roundTrips - before.roundTrips,
    lockWaitUs: after.lockWaitUs - before.lockWaitUs,
    sectionsUs: after.sectionsUs - before.sectionsUs,
    commitUs: after.commitUs - before.commitUs,
    queries: after.queries - before.queries,
    flushes: after.flushes - before.flushes,
  };
}

export const NO_READING: ProbeReading = {
  cpuUs: 0,
  batches: 0,
  records: 0,
  caughtUpRecords: 0,
  roundTrips: 0,
  lockWaitUs: 0,
  sectionsUs: 0,
  commitUs: 0,
  queries: 0,
  flushes: 0,
};

/** Sums readings (several processes, or several rounds). */
export function probeSum(readings: readonly ProbeReading[]): ProbeReading {
  return readings.reduce(
    (sum, r) => ({
      cpuUs: sum.cpuUs + r.cpuUs,
      batches: sum.batches + r.batches,
      records: sum.records + r.records,
      caughtUpRecords: sum.caughtUpRecords + r.caughtUpRecords,
      roundTrips: sum.roundTrips + r.roundTrips,
      lockWaitUs: sum.lockWaitUs + r.lockWaitUs,
      sectionsUs: sum.sectionsUs + r.sectionsUs,
      commitUs: sum.commitUs + r.commitUs,
      queries: sum.queries + r.queries,
      flushes: sum.flushes + r.flushes,
    }),
    NO_READING,
  );
}
