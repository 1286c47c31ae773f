/**
 * Server benchmark: white-label transfer POSTs over loopback with 10 keep-alive connections
 * (autocannon, from this process) against the reference server's CLI, `prism mock` on the same
 * openapi.yaml, a bare node:http server answering a constant JSON body (the ceiling), the reference
 * server on a --state-file, and a bare node:http server that appends a line per request to a file
 * and answers after its group's fdatasync (the durable ceiling). Targets alternate in rounds so
 * drift on a shared machine hits all alike; figures are ratios taken in one run. Every server but
 * Prism runs with the CPU probe (support/probe.ts): CPU per request is the server process's own CPU
 * time over the requests it answered in the measured rounds, the load generator's left out.
 * Budgets (docs/decisions.md, "The project contract"): >= 5 x Prism, >= 0.5 x the ceiling, CPU per
 * request <= 1.5 x the ceiling's, --state-file >= 0.6 x the durable ceiling.
 *
 * Run alone: `node --import tsx test/bench/run.ts server`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import autocannon, { type Result } from 'autocannon';
import { saveCostMsPer1000 } from './save-cost.js';
import { probeArgs, probeDelta, readProbe } from './support/probe.js';
import { type Child, freePort, waitForAnswer, withChildren } from './support/processes.js';
import { type Log, printBudgets, printTable, round2 } from './support/report.js';
import {
  buildReferenceCli,
  PROBE,
  startCeiling,
  startDurableCeiling,
  startPrism,
  startReference,
  TRANSFER,
  writeBenchSeed,
} from './support/targets.js';

const CONNECTIONS = 10;
const WARMUP_SECONDS = 2;
const ROUND_SECONDS = 4;
const ROUNDS = 2;

export const SERVER_BUDGETS = {
  vsPrism: 5,
  vsCeiling: 0.5,
  cpuVsCeiling: 1.5,
  durableVsDurableCeiling: 0.6,
  durableVsMemory: 0.5,
  saveCostGrowth: 1.5,
};

export interface ServerBenchResult {
  readonly bench: 'server';
  readonly reqPerSec: number;
  readonly p99Ms: number;
  readonly prismReqPerSec: number;
  readonly ceilingReqPerSec: number;
  /** The reference server on a --state-file: every answer waits for its record's fsync. */
  readonly durableReqPerSec: number;
  /** A bare node:http server that appends a line per request and fdatasyncs once per group. */
  readonly durableCeilingReqPerSec: number;
  /** The server process's CPU time (user + system) per answered request, in microseconds. */
  readonly cpuUsPerRequest: number;
  readonly ceilingCpuUsPerRequest: number;
  readonly durableCpuUsPerRequest: number;
  readonly durableCeilingCpuUsPerRequest: number;
  /** Milliseconds per 1,000 durable transfers with 10k and 500k journal entries (test/bench/save-cost.ts). */
  readonly saveMsPer1000At10k: number;
  readonly saveMsPer1000At500k: number;
}

interface Target {
  readonly name: string;
  readonly url: string;
  readonly runs: Result[];
  /** Started with the CPU probe: its CPU time over the measured rounds is summed here. */
  readonly child?: Child;
  cpuUs: number;
}

/** One measured round; the target's CPU time across it is added to `target.cpuUs`. */
async function measure(target: Target, seconds: number): Promise<void> {
  const before = target.child === undefined ? undefined : await readProbe(target.child);
  target.runs.push(await load(target.url, seconds));
  if (target.child !== undefined && before !== undefined)
    target.cpuUs += probeDelta(before, await readProbe(target.child)).cpuUs;
}

function load(url: string, seconds: number): Promise<Result> {
  return autocannon({
    url: url + TRANSFER.path,
    method: 'POST',
    headers: { ...TRANSFER.headers },
    body: TRANSFER.body,
    connections: CONNECTIONS,
    duration: seconds,
    timeout: 10,
  });
}

/** Starts a server and waits until it answers the probe (and one transfer with a 200). */
async function ready(child: Child, port: number): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  await waitForAnswer(child, url + PROBE.path, { headers: PROBE.headers }, { timeoutMs: 60_000 });
  const response = await fetch(url + TRANSFER.path, {
    method: 'POST',
    headers: TRANSFER.headers,
    body: TRANSFER.body,
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${child.name}: transfer answered ${response.status} ${text}`);
  return text;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function summary(target: Target) {
  const requests = target.runs.reduce((sum, run) => sum + run.requests.total, 0);
  const seconds = target.runs.reduce((sum, run) => sum + run.duration, 0);
  const statuses: Record<string, number> = {};
  for (const run of target.runs) {
    for (const [code, { count }] of Object.entries(run.statusCodeStats)) {
      statuses[code] = (statuses[code] ?? 0) + count;
    }
  }
  const errors = target.runs.reduce((sum, run) => sum + run.errors + run.timeouts, 0);
  const answered = Object.values(statuses).reduce((sum, count) => sum + count, 0);
  return {
    cpuUsPerRequest:
      target.child === undefined || answered === 0 ? Number.NaN : round1(target.cpuUs / answered),
    reqPerSec: Math.round(requests / seconds),
    p50Ms: Math.max(...target.runs.map((run) => run.latency.p50)),
    p99Ms: Math.max(...target.runs.map((run) => run.latency.p99)),
    requests,
    statuses,
    errors,
  };
}

export async function runServerBench(log: Log = console.log): Promise<ServerBenchResult> {
  log(
    `server bench: POST ${TRANSFER.path}, ${CONNECTIONS} connections, ${ROUNDS} rounds x ${ROUND_SECONDS} s per target after ${WARMUP_SECONDS} s warm-up`,
  );
  // LEDGERLINE_BENCH_CLI: a prebuilt CLI to measure instead (e.g. a baseline build, for before/after).
  const cli = process.env.LEDGERLINE_BENCH_CLI ?? (await buildReferenceCli());
  if (process.env.LEDGERLINE_BENCH_CLI) log(`  reference server: ${cli}`);
  const seed = await writeBenchSeed();
  try {
    return await withChildren(async (started) => {
      const [refPort, prismPort, ceilingPort] = [await freePort(), await freePort(), await freePort()];
      const [durablePort, durableCeilingPort] = [await freePort(), await freePort()];
      const probe = await probeArgs();
      // The request journal is on (the CLI's default), as users run the server.
      const reference = started(startReference(cli, refPort, seed.file, [], probe));
      const durable = started(
        startReference(
          cli,
          durablePort,
          seed.file,
          ['--state-file', join(dirname(seed.file), 'state.json')],
          probe,
        ),
      );
      const prism = started(startPrism(prismPort));
      const referenceBody = await ready(reference, refPort);
      // The ceilings answer a body of the reference server's size: the same bytes on the wire.
      const ceiling = started(startCeiling(ceilingPort, referenceBody, probe));
      // Its file beside the state file: the same disk.
      const durableCeiling = started(
        startDurableCeiling(
          durableCeilingPort,
          referenceBody,
          join(dirname(seed.file), 'ceiling.log'),
          probe,
        ),
      );
      await ready(prism, prismPort);
      await ready(ceiling, ceilingPort);
      await ready(durable, durablePort);
      await ready(durableCeiling, durableCeilingPort);

      const at = (port: number) => `http://127.0.0.1:${port}`;
      const targets: Target[] = [
        { name: 'reference server', url: at(refPort), runs: [], child: reference, cpuUs: 0 },
        { name: 'prism mock', url: at(prismPort), runs: [], cpuUs: 0 },
        { name: 'node:http ceiling', url: at(ceilingPort), runs: [], child: ceiling, cpuUs: 0 },
        { name: 'reference server, --state-file', url: at(durablePort), runs: [], child: durable, cpuUs: 0 },
        {
          name: 'durable node:http ceiling',
          url: at(durableCeilingPort),
          runs: [],
          child: durableCeiling,
          cpuUs: 0,
        },
      ];
      for (const target of targets) await load(target.url, WARMUP_SECONDS);
      for (let round = 0; round < ROUNDS; round += 1) {
        for (const target of targets) await measure(target, ROUND_SECONDS);
      }

      const summaries = targets.map(summary);
      const [ref, pr, ceil, dur, durCeil] = summaries;
      if (!ref || !pr || !ceil || !dur || !durCeil) throw new Error('missing results');
      printTable(log, [
        ['target', 'req/s', 'CPU us/req', 'p50 ms', 'p99 ms', 'requests', 'status codes', 'errors'],
        ...targets.map((target, i) => {
          const s = summaries[i] ?? ref;
          const codes = Object.entries(s.statuses)
            .map(([code, count]) => `${code}: ${count}`)
            .join(', ');
          const cpu = Number.isNaN(s.cpuUsPerRequest) ? '-' : s.cpuUsPerRequest;
          return [target.name, s.reqPerSec, cpu, s.p50Ms, s.p99Ms, s.requests, codes, s.errors];
        }),
      ]);
      const failures = ref.requests - (ref.statuses['200'] ?? 0) + ref.errors;
      if (failures > 0) log(`  WARNING: ${failures} reference server requests did not answer 200`);
      const vsPrism = round2(ref.reqPerSec / pr.reqPerSec);
      const vsCeiling = round2(ref.reqPerSec / ceil.reqPerSec);
      const durableVsMemory = round2(dur.reqPerSec / ref.reqPerSec);
      const cpuVsCeiling = round2(ref.cpuUsPerRequest / ceil.cpuUsPerRequest);
      const durableVsDurableCeiling = round2(dur.reqPerSec / durCeil.reqPerSec);
      const durableCpuVsDurableCeiling = round2(dur.cpuUsPerRequest / durCeil.cpuUsPerRequest);
      log(
        `  CPU per request: reference server ${ref.cpuUsPerRequest} us, node:http ceiling ${ceil.cpuUsPerRequest} us (${cpuVsCeiling}x); --state-file ${dur.cpuUsPerRequest} us, durable ceiling ${durCeil.cpuUsPerRequest} us (${durableCpuVsDurableCeiling}x)`,
      );
      const benchSeed = JSON.parse(await readFile(seed.file, 'utf8')) as unknown;
      const saveMsPer1000At10k = await saveCostMsPer1000(benchSeed, 10_000);
      const saveMsPer1000At500k = await saveCostMsPer1000(benchSeed, 500_000);
      log(
        `  saving cost: ${saveMsPer1000At10k} ms per 1,000 durable transfers at 10k journal entries, ${saveMsPer1000At500k} ms at 500k`,
      );
      const saveCostGrowth = round2(saveMsPer1000At500k / saveMsPer1000At10k);
      printBudgets(log, [
        { name: 'throughput vs Prism', value: vsPrism, op: '>=', limit: SERVER_BUDGETS.vsPrism, unit: 'x' },
        {
          name: 'throughput vs node:http ceiling',
          value: vsCeiling,
          op: '>=',
          limit: SERVER_BUDGETS.vsCeiling,
          unit: 'x',
        },
        {
          name: 'CPU per request vs node:http ceiling',
          value: cpuVsCeiling,
          op: '<=',
          limit: SERVER_BUDGETS.cpuVsCeiling,
          unit: 'x',
        },
        {
          name: 'durable (--state-file) throughput vs durable node:http ceiling',
          value: durableVsDurableCeiling,
          op: '>=',
          limit: SERVER_BUDGETS.durableVsDurableCeiling,
          unit: 'x',
        },
        {
          name: 'durable (--state-file) vs in-memory throughput',
          value: durableVsMemory,
          op: '>=',
          limit: SERVER_BUDGETS.durableVsMemory,
          unit: 'x',
        },
        {
          name: 'saving cost at 500k vs 10k journal entries',
          value: saveCostGrowth,
          op: '<=',
          limit: SERVER_BUDGETS.saveCostGrowth,
          unit: 'x',
        },
      ]);
      const result: ServerBenchResult = {
        bench: 'server',
        reqPerSec: ref.reqPerSec,
        p99Ms: ref.p99Ms,
        prismReqPerSec: pr.reqPerSec,
        ceilingReqPerSec: ceil.reqPerSec,
        durableReqPerSec: dur.reqPerSec,
        durableCeilingReqPerSec: durCeil.reqPerSec,
        cpuUsPerRequest: ref.cpuUsPerRequest,
        ceilingCpuUsPerRequest: ceil.cpuUsPerRequest,
        durableCpuUsPerRequest: dur.cpuUsPerRequest,
        durableCeilingCpuUsPerRequest: durCeil.cpuUsPerRequest,
        saveMsPer1000At10k,
        saveMsPer1000At500k,
      };
      log(JSON.stringify(result));
      return result;
    });
  } finally {
    await seed.remove();
  }
}
