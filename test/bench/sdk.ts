/**
 * SDK benchmark: `client.whiteLabel.transfer(...)` calls per second with a stubbed fetch answering
 * a canned 200, against bare openapi-fetch (`client.POST` on the same path) and a raw fetch call on
 * the same stub. One call at a time, after a warm-up; the three alternate in rounds so drift hits
 * all alike. Budget (docs/decisions.md, "The project contract"): the SDK >= 0.8 x bare openapi-fetch.
 *
 * Run alone: `node --import tsx test/bench/run.ts sdk`.
 */
import createOpenApiClient from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import { createClient } from '../../src/index.js';
import { type Log, printBudgets, printTable, round2 } from './support/report.js';

const WARMUP_MS = 1_000;
const ROUND_MS = 1_500;
const ROUNDS = 3;
const BASE_URL = 'http://localhost:4010';
const PATH = '/api/white-label/transfer';
const API_KEY = 'wl_admin_demo';

export const SDK_BUDGETS = { vsOpenapiFetch: 0.8 };

export interface SdkBenchResult {
  readonly bench: 'sdk';
  readonly opsPerSec: number;
  readonly openapiFetchOpsPerSec: number;
  readonly rawFetchOpsPerSec: number;
}

const TRANSFER = { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 0.01 } as const;
const ANSWER = JSON.stringify({
  message: 'Transfer completed successfully.',
  transfer: { type: 'minutes', operation: 'add', amount: 0.01 },
  user: { id: 123, email: 'user@example.com', name: 'John Doe', minutes_balance: 50.51, credits_balance: 0 },
  your_balance: { minutes: 950.49 },
});
const ANSWER_HEADERS = { 'content-type': 'application/json' };

/** The stub every variant calls: a fresh canned Response (a body can be read once). */
const stubFetch = async (_input: Request | string, _init?: RequestInit): Promise<Response> =>
  new Response(ANSWER, { status: 200, headers: ANSWER_HEADERS });

type Call = () => Promise<unknown>;

function variants(): Record<string, Call> {
  const sdk = createClient({
    baseUrl: BASE_URL,
    credentials: { whiteLabel: { apiKey: API_KEY } },
    fetch: stubFetch,
  });
  const bare = createOpenApiClient<paths>({ baseUrl: BASE_URL, fetch: stubFetch });
  const headers = { Authorization: `Bearer ${API_KEY}` };
  return {
    'ledgerline SDK': () => sdk.whiteLabel.transfer(TRANSFER),
    'openapi-fetch': async () => {
      const { data, error } = await bare.POST(PATH, { body: TRANSFER, headers });
      if (error !== undefined) throw new Error('unexpected error answer');
      return data;
    },
    'raw fetch': async () => {
      const response = await stubFetch(BASE_URL + PATH, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(TRANSFER),
      });
      if (!response.ok) throw new Error('unexpected error answer');
      return response.json();
    },
  };
}

/** Calls `call` back to back for `ms`; returns [calls, elapsed ms]. */
async function runFor(call: Call, ms: number): Promise<[number, number]> {
  const started = performance.now();
  const until = started + ms;
  let calls = 0;
  // Check the clock every 64 calls: reading it costs more than a stubbed call's share.
  do {
    for (let i = 0; i < 64; i += 1) await call();
    calls += 64;
  } while (performance.now() < until);
  return [calls, performance.now() - started];
}

export async function runSdkBench(log: Log = console.log): Promise<SdkBenchResult> {
  log(
    `sdk bench: POST ${PATH} with a stubbed fetch, one call at a time, ${ROUNDS} rounds x ${ROUND_MS} ms per variant after ${WARMUP_MS} ms warm-up`,
  );
  const calls = variants();
  const totals = new Map<string, { calls: number; ms: number }>();
  for (const [name, call] of Object.entries(calls)) {
    const answer = (await call()) as { message?: string };
    if (answer.message !== 'Transfer completed successfully.') throw new Error(`${name}: wrong answer`);
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
  const opsPerSec = rate('ledgerline SDK');
  const openapiFetchOpsPerSec = rate('openapi-fetch');
  const rawFetchOpsPerSec = rate('raw fetch');
  printTable(log, [
    ['variant', 'calls/s', 'us/call', 'vs openapi-fetch'],
    ...[...totals.keys()].map((name) => [
      name,
      rate(name),
      round2(1e6 / rate(name)),
      `${round2(rate(name) / openapiFetchOpsPerSec)}x`,
    ]),
  ]);
  printBudgets(log, [
    {
      name: 'SDK calls/s vs bare openapi-fetch',
      value: round2(opsPerSec / openapiFetchOpsPerSec),
      op: '>=',
      limit: SDK_BUDGETS.vsOpenapiFetch,
      unit: 'x',
    },
  ]);
  const result: SdkBenchResult = { bench: 'sdk', opsPerSec, openapiFetchOpsPerSec, rawFetchOpsPerSec };
  log(JSON.stringify(result));
  return result;
}
