/**
 * Figures of the bounds against hostile input (docs/reference-server.md, "Limits of the server"):
 * `npm run bench -- hostile [part]` (or `node --expose-gc --import tsx test/bench/hostile.ts [part]`),
 * part one of `keys`, `logins`, `pipelined`, `clock` (all by default, about a minute). `logins`,
 * `pipelined` and `clock` each start a server of their own and print the figures beside the original
 * report's (test/bench/hostile-server.ts).
 */
import { pathToFileURL } from 'node:url';
import { Clock } from '../../mock/ledger/clock.js';
import { IdempotencyStore, requestFingerprint } from '../../mock/ledger/idempotency.js';
import { clockPart, loginsPart, type PartResult, pipelinedPart, printPart } from './hostile-server.js';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/** Heap bytes one kept Idempotency-Key costs with a white-label transfer's answer (about 200 bytes of JSON). */
export function keyMemory(keys = 200_000): { keys: number; bytesPerKey: number } {
  const clock = Clock.controlled('2025-06-01T00:00:00Z');
  const store = new IdempotencyStore(clock, { maxRecords: keys, maxRecordsPerScope: keys });
  const user = {
    id: 123,
    name: 'Ada',
    email: 'ada@example.com',
    minutes_balance: 150.5,
    credits_balance: 12,
  };
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < keys; i += 1) {
    const key = `${i.toString(36).padStart(8, '0')}-5f0c2a4e-9b1d-4c3e-8f7a-2d6b1e0c9a3f`;
    const body = { user: { ...user, minutes_balance: i }, your_balance: { minutes: 850.5, credits: 100 } };
    store.begin(
      'white-label:wl_admin_demo',
      key,
      requestFingerprint('POST', '/api/white-label/transfer', body),
    );
    store.complete('white-label:wl_admin_demo', key, {
      status: 200,
      body,
      headers: { 'x-request-id': `req_${i}` },
    });
  }
  gc();
  const bytesPerKey = Math.round((process.memoryUsage().heapUsed - before) / store.size);
  return { keys: store.size, bytesPerKey };
}

const log = (line: string): void => console.log(line);
const figures =
  (name: string, part: (log: (line: string) => void) => Promise<PartResult>) => async (): Promise<void> =>
    printPart(log, name, await part(log));

const PARTS: Readonly<Record<string, () => Promise<unknown> | unknown>> = {
  keys: () => keyMemory(),
  logins: figures('logins', loginsPart),
  pipelined: figures('pipelined', pipelinedPart),
  clock: figures('clock', clockPart),
};

export async function runHostileBench(part?: string): Promise<number> {
  for (const name of part === undefined ? Object.keys(PARTS) : [part]) {
    const run = PARTS[name];
    if (run === undefined) {
      console.error(`unknown part "${name}"; available: ${Object.keys(PARTS).join(', ')}`);
      return 1;
    }
    console.log(`hostile ${name}`);
    const result = await run();
    if (result !== undefined) console.log(`  ${JSON.stringify(result)}`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runHostileBench(process.argv[2]);
}
