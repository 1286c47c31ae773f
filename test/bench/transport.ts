/**
 * In-process transport benchmark: the same SDK call, `client.whiteLabel.me()` (`GET /api/user/me`),
 * answered by the reference server in the same process two ways: through `createMockFetch` (the
 * client's `fetch` calls the server directly) and through MSW (`setupServer` over `createHandlers`,
 * the client on the global fetch MSW intercepts). One call at a time, after a warm-up; the two
 * alternate in rounds so drift hits both alike. Budget: createMockFetch >= 2 x the MSW path.
 *
 * Run alone: `node --expose-gc --import tsx test/bench/run.ts transport`.
 */
import { setupServer } from 'msw/node';
import { createHandlers, createMockFetch } from '../../mock/index.js';
import { createClient } from '../../src/index.js';
import { type Log, printBudgets, printTable, round2 } from './support/report.js';

const WARMUP_MS = 1_000;
const ROUND_MS = 1_500;
const ROUNDS = 3;
const credentials = { whiteLabel: { apiKey: 'wl_admin_demo' } } as const;

export const TRANSPORT_BUDGETS = { mockFetchVsMsw: 2 };

export interface TransportBenchResult {
  readonly bench: 'transport';
  readonly mockFetchCallsPerSec: number;
  readonly mswCallsPerSec: number;
}

type Call = () => Promise<unknown>;

/** Calls `call` back to back for `ms`; returns [calls, elapsed ms]. */
async function runFor(call: Call, ms: number): Promise<[number, number]> {
  const started = performance.now();
  const until = started + ms;
  let calls = 0;
  do {
    for (let i = 0; i < 16; i += 1) await call();
    calls += 16;
  } while (performance.now() < until);
  return [calls, performance.now() - started];
}

export async function runTransportBench(log: Log = console.log): Promise<TransportBenchResult> {
  log(
    `transport bench: client.whiteLabel.me() in process, createMockFetch against MSW, ${ROUNDS} rounds x ${ROUND_MS} ms per variant after ${WARMUP_MS} ms warm-up`,
  );
  const direct = createMockFetch({ requestJournalSize: 0 });
  const viaMsw = await createHandlers({ requestJournalSize: 0 });
  const msw = setupServer(...viaMsw.handlers);
  msw.listen({ onUnhandledRequest: 'error' });
  try {
    // One client per variant, made once: the bench measures calls, not client construction.
    const overMockFetch = createClient({ fetch: direct.fetch, credentials });
    const overMsw = createClient({ credentials });
    const calls: Record<string, Call> = {
      createMockFetch: () => overMockFetch.whiteLabel.me(),
      'MSW setupServer': () => overMsw.whiteLabel.me(),
    };
    const totals = new Map<string, { calls: number; ms: number }>();
    for (const [name, call] of Object.entries(calls)) {
      const answer = (await call()) as { name?: string };
      if (typeof answer.name !== 'string') throw new Error(`${name}: wrong answer`);
      await runFor(call, WARMUP_MS);
      totals.set(name, { calls: 0, ms: 0 });
    }
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const [name, call] of Object.entries(calls)) {
        (globalThis as { gc?: () => void }).gc?.();
        const [n, ms] = await runFor(call, ROUND_MS);
        const total = totals.get(name) ?? { calls: 0, ms: 0 };
        totals.set(name, { calls: total.calls + n, ms: total.ms + ms });
      }
    }
    const rate = (name: string) => {
      const total = totals.get(name) ?? { calls: 0, ms: 1 };
      return Math.round(total.calls / (total.ms / 1000));
    };
    const mockFetchCallsPerSec = rate('createMockFetch');
    const mswCallsPerSec = rate('MSW setupServer');
    printTable(log, [
      ['variant', 'calls/s', 'us/call', 'vs MSW'],
      ...[...totals.keys()].map((name) => [
        name,
        rate(name),
        round2(1e6 / rate(name)),
        `${round2(rate(name) / mswCallsPerSec)}x`,
      ]),
    ]);
    printBudgets(log, [
      {
        name: 'createMockFetch calls/s vs MSW',
        value: round2(mockFetchCallsPerSec / mswCallsPerSec),
        op: '>=',
        limit: TRANSPORT_BUDGETS.mockFetchVsMsw,
        unit: 'x',
      },
    ]);
    const result: TransportBenchResult = { bench: 'transport', mockFetchCallsPerSec, mswCallsPerSec };
    log(JSON.stringify(result));
    return result;
  } finally {
    msw.close();
  }
}
