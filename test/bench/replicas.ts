/**
 * Replica benchmark: committed white-label transfers per second with the reference
 * server's state in PostgreSQL (127.0.0.1:5432, database `test`, a fresh schema per setup, dropped
 * afterwards), with one replica and with three replicas on one schema (the load spread evenly over
 * them), and the in-memory server's figure in the same run. The same number of connections in
 * every setup. Every 200 answer is a committed transfer (no Idempotency-Key, so no replays).
 * Budget: >= 1,000 committed transfers/s with three replicas.
 *
 * Every server runs with the CPU probe (support/probe.ts), which also counts what the PostgreSQL
 * store does per batch (one transaction of many requests): the per-request costs of the throughput
 * model in docs/reference-server.md ("Running replicas") are printed as a second table.
 *
 * Run alone: `npm run bench -- replicas` (LEDGERLINE_BENCH_POSTGRES: another server's URL).
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import autocannon, { type Result } from 'autocannon';
import pg from 'pg';
import { type ProbeReading, probeArgs, probeDelta, probeSum, readProbe } from './support/probe.js';
import { type Child, freePort, startProcess, waitForAnswer, withChildren } from './support/processes.js';
import { type Log, printBudgets, printTable, round2 } from './support/report.js';
import { buildReferenceCli, PROBE, ROOT, TRANSFER, writeBenchSeed } from './support/targets.js';

const POSTGRES = process.env.LEDGERLINE_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';
const CONNECTIONS = 48;
const WARMUP_SECONDS = 2;
const SECONDS = 6;

export const REPLICAS_BUDGET = { threeReplicasReqPerSec: 1_000, shardedVsOne: 0.9, threeVsOne: 0.5 };
/** Sandboxes of the sharded setup, each pinned to replica `i % 3`. */
const SANDBOXES = 8;

export interface ReplicasBenchResult {
  readonly bench: 'replicas';
  readonly oneReplicaReqPerSec: number;
  readonly threeReplicasReqPerSec: number;
  /** Three replicas, eight sandboxes, each sandbox's requests pinned to one replica. */
  readonly threeReplicasShardedReqPerSec: number;
  readonly inMemoryReqPerSec: number;
  /** Server CPU time per committed request, all replicas together, in microseconds. */
  readonly oneReplicaCpuUsPerRequest: number;
  readonly threeReplicasCpuUsPerRequest: number;
  /** Other replicas' records applied per committed request (the catch-up). */
  readonly threeReplicasCaughtUpPerRequest: number;
  /** The model's a, b and r (see fitModel). */
  readonly requestUs: number;
  readonly batchUs: number;
  readonly applyUsPerRecord: number;
  /** Statements sent to PostgreSQL per batch, WAL flushes included. */
  readonly oneReplicaRoundTripsPerBatch: number;
  readonly threeReplicasRoundTripsPerBatch: number;
  readonly oneReplicaRequestsPerBatch: number;
  readonly threeReplicasRequestsPerBatch: number;
}

interface Figure {
  readonly name: string;
  readonly committed: number;
  readonly seconds: number;
  readonly committedPerSec: number;
  readonly p99Ms: number;
  readonly other: number;
  /** The servers' probes over the measured run, summed. */
  readonly probe?: ProbeReading;
}

/** The per-request and per-batch costs of one setup (see the model in docs/reference-server.md). */
function costs(figure: Figure) {
  const probe = figure.probe;
  const per = (value: number, count: number) => (count === 0 ? Number.NaN : value / count);
  const committed = figure.committed;
  return {
    // Cores the servers kept busy: well under the machine's, they waited (for locks, the database).
    serverCores: round2(per(probe?.cpuUs ?? Number.NaN, figure.seconds * 1e6)),
    cpuUsPerRequest: Math.round(per(probe?.cpuUs ?? Number.NaN, committed) * 10) / 10,
    caughtUpPerRequest: round2(per(probe?.caughtUpRecords ?? Number.NaN, committed)),
    requestsPerBatch: round2(per(probe?.records ?? Number.NaN, probe?.batches ?? 0)),
    roundTripsPerBatch: round2(per(probe?.queries ?? Number.NaN, probe?.batches ?? 0)),
    flushesPerBatch: round2(per(probe?.flushes ?? Number.NaN, probe?.batches ?? 0)),
    caughtUpPerBatch: round2(per(probe?.caughtUpRecords ?? Number.NaN, probe?.batches ?? 0)),
    lockWaitUsPerBatch: Math.round(per(probe?.lockWaitUs ?? Number.NaN, probe?.batches ?? 0)),
    sectionsUsPerBatch: Math.round(per(probe?.sectionsUs ?? Number.NaN, probe?.batches ?? 0)),
    commitUsPerBatch: Math.round(per(probe?.commitUs ?? Number.NaN, probe?.batches ?? 0)),
  };
}

/**
 * Load spread evenly over `urls` (base URLs: a server, or a sandbox under one) at once; returns
 * committed (200) transfers per second.
 */
async function measure(
  name: string,
  urls: readonly string[],
  seconds: number,
  children: readonly Child[] = [],
): Promise<Figure> {
  const before = await Promise.all(children.map((child) => readProbe(child)));
  const runs: Result[] = await Promise.all(
    urls.map((url) =>
      autocannon({
        url: url + TRANSFER.path,
        method: 'POST',
        headers: { ...TRANSFER.headers },
        body: TRANSFER.body,
        connections: Math.round(CONNECTIONS / urls.length),
        duration: seconds,
        timeout: 20,
      }),
    ),
  );
  const ok = runs.reduce((sum, run) => sum + (run.statusCodeStats['200']?.count ?? 0), 0);
  const all = runs.reduce((sum, run) => sum + run.requests.total + run.errors + run.timeouts, 0);
  const duration = Math.max(...runs.map((run) => run.duration));
  const after = await Promise.all(children.map((child) => readProbe(child)));
  const deltas = children.map((_, i) => probeDelta(before[i] as ProbeReading, after[i] as ProbeReading));
  return {
    name,
    committed: ok,
    seconds: duration,
    committedPerSec: Math.round(ok / duration),
    p99Ms: Math.max(...runs.map((run) => run.latency.p99)),
    other: all - ok,
    ...(children.length > 0 ? { probe: probeSum(deltas) } : {}),
  };
}

type Costs = ReturnType<typeof costs>;

/**
 * The throughput model's CPU terms (docs/reference-server.md, "Running replicas"), from three
 * setups: CPU per request = a + b / B + m r, with B requests per batch and m records of other
 * replicas applied per request. One replica and the pinned sandboxes (m = 0, smaller batches) give
 * a and b; three replicas on one world then give r. b also takes whatever three processes cost
 * beyond one, as the pinned setup runs three.
 */
function fitModel(one: Costs, three: Costs, pinned: Costs) {
  const batchUs =
    (pinned.cpuUsPerRequest - one.cpuUsPerRequest) / (1 / pinned.requestsPerBatch - 1 / one.requestsPerBatch);
  const requestUs = one.cpuUsPerRequest - batchUs / one.requestsPerBatch;
  const applyUs =
    (three.cpuUsPerRequest - requestUs - batchUs / three.requestsPerBatch) / three.caughtUpPerRequest;
  return { requestUs: Math.round(requestUs), batchUs: Math.round(batchUs), applyUs: Math.round(applyUs) };
}

/** Starts `count` CLI processes (`extra` arguments, with the CPU probe) and waits until each answers. */
async function startServers(
  started: (child: Child) => Child,
  cli: string,
  count: number,
  extra: readonly string[],
): Promise<{ urls: string[]; children: Child[] }> {
  const urls: string[] = [];
  const children: Child[] = [];
  const probe = await probeArgs();
  for (let i = 0; i < count; i += 1) {
    const port = await freePort();
    const child = started(
      startProcess(
        `replica ${i + 1}`,
        process.execPath,
        [...probe, cli, '--port', String(port), '--log', 'error', ...extra],
        ROOT,
        {},
        { ipc: true },
      ),
    );
    const url = `http://127.0.0.1:${port}`;
    await waitForAnswer(child, url + PROBE.path, { headers: PROBE.headers }, { timeoutMs: 60_000 });
    urls.push(url);
    children.push(child);
  }
  return { urls, children };
}

/** Makes `count` sandboxes (through the first server) seeded like the bench; their base URLs pinned to server `i % servers`. */
async function shard(urls: readonly string[], seed: unknown, count: number): Promise<string[]> {
  const bases: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const made = await fetch(`${urls[0]}/_mock/sandboxes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seed }),
    });
    if (made.status !== 201)
      throw new Error(`POST /_mock/sandboxes answered ${made.status}: ${await made.text()}`);
    const { id } = (await made.json()) as { id: string };
    bases.push(`${urls[i % urls.length]}/_mock/sandboxes/${id}`);
  }
  return bases;
}

/** One setup's figure: its servers started, warmed up, measured and stopped; its schema dropped. */
async function setup(
  name: string,
  cli: string,
  count: number,
  args: readonly string[],
  schema?: string,
  sharded?: unknown,
) {
  try {
    return await withChildren(async (started) => {
      const storeArgs = schema === undefined ? [] : ['--store', `${POSTGRES}?schema=${schema}`];
      const servers = await startServers(started, cli, count, [...args, ...storeArgs]);
      const urls = sharded === undefined ? servers.urls : await shard(servers.urls, sharded, SANDBOXES);
      await measure(name, urls, WARMUP_SECONDS);
      return await measure(name, urls, SECONDS, servers.children);
    });
  } finally {
    if (schema !== undefined) await dropSchema(schema);
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}

export async function runReplicasBench(log: Log = console.log): Promise<ReplicasBenchResult> {
  log(
    `replicas bench: POST ${TRANSFER.path}, ${CONNECTIONS} connections in all, ${SECONDS} s per setup after ${WARMUP_SECONDS} s warm-up; PostgreSQL ${POSTGRES}`,
  );
  const cli = await buildReferenceCli();
  const seed = await writeBenchSeed();
  const run = randomBytes(4).toString('hex');
  try {
    const args = ['--seed', seed.file];
    const memory = await setup('in-memory, 1 process', cli, 1, args);
    const one = await setup('PostgreSQL, 1 replica', cli, 1, args, `ll_bench_${run}_1`);
    const three = await setup('PostgreSQL, 3 replicas', cli, 3, args, `ll_bench_${run}_3`);
    const benchSeed = JSON.parse(await readFile(seed.file, 'utf8')) as unknown;
    const sharded = await setup(
      `PostgreSQL, 3 replicas, ${SANDBOXES} sandboxes pinned`,
      cli,
      3,
      args,
      `ll_bench_${run}_s`,
      benchSeed,
    );
    printTable(log, [
      ['setup', 'committed/s', 'p99 ms', 'other answers and errors'],
      ...[memory, one, three, sharded].map((figure) => [
        figure.name,
        figure.committedPerSec,
        figure.p99Ms,
        figure.other,
      ]),
    ]);
    const figures = [memory, one, three, sharded];
    const cost = figures.map(costs);
    log('  per committed request and per batch (one transaction), all replicas together:');
    printTable(log, [
      [
        'setup',
        'server cores busy',
        'CPU us/req',
        'caught-up/req',
        'reqs/batch',
        'round trips/batch',
        'flushes/batch',
        'caught-up/batch',
        'lock+read us',
        'sections us',
        'commit us',
      ],
      ...figures.map((figure, i) => {
        const c = cost[i] ?? costs(figure);
        const shown = (value: number) => (Number.isNaN(value) ? '-' : value);
        return [
          figure.name,
          shown(c.serverCores),
          shown(c.cpuUsPerRequest),
          shown(c.caughtUpPerRequest),
          shown(c.requestsPerBatch),
          shown(c.roundTripsPerBatch),
          shown(c.flushesPerBatch),
          shown(c.caughtUpPerBatch),
          shown(c.lockWaitUsPerBatch),
          shown(c.sectionsUsPerBatch),
          shown(c.commitUsPerBatch),
        ];
      }),
    ]);
    const [, oneCost, threeCost, pinnedCost] = cost;
    if (oneCost === undefined || threeCost === undefined || pinnedCost === undefined)
      throw new Error('missing costs');
    const model = fitModel(oneCost, threeCost, pinnedCost);
    log(
      `  model: a = ${model.requestUs} us per request, b = ${model.batchUs} us per batch, r = ${model.applyUs} us per applied record (c = a + b / B: ${oneCost.cpuUsPerRequest} us at B = ${oneCost.requestsPerBatch}, 1 replica; ${threeCost.cpuUsPerRequest} us = ${round2(threeCost.cpuUsPerRequest / oneCost.cpuUsPerRequest)}x that, 3 replicas on one world, m = ${threeCost.caughtUpPerRequest})`,
    );
    printBudgets(log, [
      {
        name: 'committed transfers/s, 3 replicas',
        value: three.committedPerSec,
        op: '>=',
        limit: REPLICAS_BUDGET.threeReplicasReqPerSec,
        unit: '/s',
      },
      {
        name: '3 replicas, sandboxes pinned, vs 1 replica',
        value: round2(sharded.committedPerSec / one.committedPerSec),
        op: '>=',
        limit: REPLICAS_BUDGET.shardedVsOne,
        unit: 'x',
      },
      {
        name: '3 replicas, one world, vs 1 replica',
        value: round2(three.committedPerSec / one.committedPerSec),
        op: '>=',
        limit: REPLICAS_BUDGET.threeVsOne,
        unit: 'x',
      },
    ]);
    const result: ReplicasBenchResult = {
      bench: 'replicas',
      oneReplicaReqPerSec: one.committedPerSec,
      threeReplicasReqPerSec: three.committedPerSec,
      threeReplicasShardedReqPerSec: sharded.committedPerSec,
      inMemoryReqPerSec: memory.committedPerSec,
      oneReplicaCpuUsPerRequest: oneCost.cpuUsPerRequest,
      threeReplicasCpuUsPerRequest: threeCost.cpuUsPerRequest,
      threeReplicasCaughtUpPerRequest: threeCost.caughtUpPerRequest,
      requestUs: model.requestUs,
      batchUs: model.batchUs,
      applyUsPerRecord: model.applyUs,
      oneReplicaRoundTripsPerBatch: oneCost.roundTripsPerBatch,
      threeReplicasRoundTripsPerBatch: threeCost.roundTripsPerBatch,
      oneReplicaRequestsPerBatch: oneCost.requestsPerBatch,
      threeReplicasRequestsPerBatch: threeCost.requestsPerBatch,
    };
    log(JSON.stringify(result));
    return result;
  } finally {
    await seed.remove();
  }
}
