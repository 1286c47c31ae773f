/**
 * Request-journal memory: what the reference server holds after 10,000 requests that each carry a
 * 14 KB header, with the journal on and off, against the documented bound of one journal
 * (`DEFAULT_REQUEST_JOURNAL_BYTES`, docs/reference-server.md "Verifying calls"). Two loads: a 14 KB
 * `Authorization` (kept masked, so it should cost next to nothing) and a 14 KB `x-padding` header
 * (kept whole, so the bound must evict). The server runs in this process (the same code as the CLI),
 * so a full garbage collection can run before each reading: RSS and V8's heap, after the load less
 * before it; the journal's cost is that growth with the journal on less the growth with it off.
 *
 * Run alone: `node --expose-gc --import tsx test/bench/run.ts journal-memory` (`npm run bench --
 * journal-memory`; `JOURNAL_REQUESTS=n` for fewer requests).
 */
import { Agent, request } from 'node:http';
import { createMockServer } from '../../mock/index.js';
import { DEFAULT_REQUEST_JOURNAL_BYTES } from '../../mock/services/request-journal.js';
import { type Log, printBudgets, printTable } from './support/report.js';
import { PROBE } from './support/targets.js';

const REQUESTS = Number(process.env.JOURNAL_REQUESTS ?? 10_000);
const CONCURRENCY = 16;
const HEADER_BYTES = 14 * 1024;
const MiB = 1024 * 1024;

interface Growth {
  readonly rss: number;
  readonly heap: number;
}

export interface JournalMemoryResult {
  readonly bench: 'journal-memory';
  readonly boundBytes: number;
  readonly loads: readonly { name: string; on: Growth; off: Growth }[];
}

/** Memory after a full collection (when node runs with --expose-gc). */
async function settled(): Promise<Growth> {
  await new Promise((resolve) => setTimeout(resolve, 50));
  globalThis.gc?.();
  globalThis.gc?.();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heap: heapUsed };
}

/** Sends `count` GETs of `path` with `headers`, `CONCURRENCY` at a time over keep-alive. */
async function load(
  port: number,
  path: string,
  headers: Record<string, string>,
  count: number,
): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, headers, agent }, (res) => {
        res.resume();
        res.once('end', () => resolve());
      });
      req.once('error', reject);
      req.end();
    });
  const worker = async () => {
    while (sent < count) {
      sent += 1;
      await one();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  agent.destroy();
}

/** Memory growth of a fresh server over the load, journal on or off. */
async function growth(journal: boolean, headers: Record<string, string>): Promise<Growth> {
  const server = await createMockServer({ port: 0, requestJournalSize: journal ? 10_000 : 0 });
  try {
    const port = Number(new URL(server.url).port);
    // A warm-up of a tenth of the load, so start-up allocations are not counted.
    await load(port, '/api/v1/billing/wallet', PROBE.headers, Math.ceil(REQUESTS / 10));
    server.app.clearRequests();
    const before = await settled();
    await load(port, '/api/v1/billing/wallet', headers, REQUESTS);
    const after = await settled();
    return { rss: after.rss - before.rss, heap: after.heap - before.heap };
  } finally {
    await server.close();
  }
}

export async function runJournalMemoryBench(log: Log = console.log): Promise<JournalMemoryResult> {
  if (globalThis.gc === undefined)
    log('(node runs without --expose-gc: the figures include garbage not yet collected)');
  const big = 'x'.repeat(HEADER_BYTES);
  const loads = [
    { name: '14 KB Authorization', headers: { authorization: `Bearer ${big}` } },
    { name: '14 KB x-padding', headers: { ...PROBE.headers, 'x-padding': big } },
  ];
  const results: { name: string; on: Growth; off: Growth }[] = [];
  for (const { name, headers } of loads) {
    const off = await growth(false, headers);
    const on = await growth(true, headers);
    results.push({ name, on, off });
  }
  const mib = (bytes: number) => Math.round((bytes / MiB) * 100) / 100;
  log(
    `\nRequest journal memory: growth over ${REQUESTS.toLocaleString('en')} requests, MiB (bound ${mib(DEFAULT_REQUEST_JOURNAL_BYTES)} MiB per journal)`,
  );
  printTable(log, [
    ['load', 'RSS off', 'RSS on', 'heap off', 'heap on', 'journal RSS', 'journal heap'],
    ...results.map((r) => [
      r.name,
      mib(r.off.rss),
      mib(r.on.rss),
      mib(r.off.heap),
      mib(r.on.heap),
      mib(r.on.rss - r.off.rss),
      mib(r.on.heap - r.off.heap),
    ]),
  ]);
  printBudgets(
    log,
    results.map((r) => ({
      name: `journal RSS, ${r.name}`,
      value: mib(r.on.rss - r.off.rss),
      op: '<=' as const,
      limit: mib(DEFAULT_REQUEST_JOURNAL_BYTES),
      unit: ' MiB',
    })),
  );
  return { bench: 'journal-memory', boundBytes: DEFAULT_REQUEST_JOURNAL_BYTES, loads: results };
}
