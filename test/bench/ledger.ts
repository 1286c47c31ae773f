/**
 * Ledger engine benchmark: 1,000,000 single-posting transfers across 10,000 accounts with the
 * journal recording every entry. Budgets (docs/decisions.md, "The project contract"): >= 500,000 transfers/s, last 100k at
 * >= 0.8 x the throughput of the first 100k, <= 300 bytes of heap per journal entry.
 *
 * Run alone: `npx tsx test/bench/ledger.ts`, or through `test/bench/run.ts ledger`.
 */
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BUILTIN_ASSETS } from '../../mock/families/index.js';
import { Clock, Ledger } from '../../mock/ledger/index.js';

const TRANSFERS = 1_000_000;
const ACCOUNTS = 10_000;
const CHUNK = 100_000;
const OPENING_UNITS = 1_000_000_000n;

export const LEDGER_BUDGETS = { transfersPerSec: 500_000, scaleRatio: 0.8, heapBytesPerEntry: 300 };

/** The JSON line the bench ends with. */
export interface LedgerBenchResult {
  readonly bench: 'ledger';
  readonly transfersPerSec: number;
  readonly scaleRatio: number;
  readonly heapBytesPerEntry: number;
}

/** `global.gc`, exposed at run time when node was started without `--expose-gc`. */
function getGc(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing !== undefined) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap in use including typed-array backing stores (the journal's columns live there). */
function retainedBytes(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Deterministic xorshift32, so every run moves the same amounts between the same accounts. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

export function runLedgerBench(log: (line: string) => void = console.log): LedgerBenchResult {
  const gc = getGc();
  const ledger = new Ledger({ clock: new Clock(), assets: BUILTIN_ASSETS });
  const ids: string[] = [];
  ledger.openAccount({ id: 'billing:opening', family: 'billing', kind: 'system' });
  for (let i = 0; i < ACCOUNTS; i += 1) {
    const id = `billing:wallet:${i}`;
    ids.push(id);
    ledger.openAccount({
      id,
      family: 'billing',
      kind: 'wallet',
      identifiers: [{ kind: 'organizationId', value: i }],
    });
    ledger.commit({
      family: 'billing',
      operation: 'opening',
      postings: [{ debit: 'billing:opening', credit: id, asset: 'credits', amount: OPENING_UNITS }],
    });
  }
  // Inputs are drawn before timing: the bench measures the engine, not the generator.
  const random = prng(20_240_601);
  const from = new Uint32Array(TRANSFERS);
  const to = new Uint32Array(TRANSFERS);
  const amountIndex = new Uint16Array(TRANSFERS);
  for (let i = 0; i < TRANSFERS; i += 1) {
    const payer = Math.floor(random() * ACCOUNTS);
    from[i] = payer;
    to[i] = (payer + 1 + Math.floor(random() * (ACCOUNTS - 1))) % ACCOUNTS;
    amountIndex[i] = Math.floor(random() * 1000);
  }
  const amounts = Array.from({ length: 1000 }, (_, i) => BigInt(i + 1));
  const entriesBefore = ledger.journalSize;
  const bytesBefore = retainedBytes(gc);

  log(
    `ledger bench: ${TRANSFERS.toLocaleString('en')} transfers across ${ACCOUNTS.toLocaleString('en')} accounts`,
  );
  const chunkRates: number[] = [];
  const started = performance.now();
  for (let chunkStart = 0; chunkStart < TRANSFERS; chunkStart += CHUNK) {
    const chunkStarted = performance.now();
    for (let i = chunkStart; i < chunkStart + CHUNK; i += 1) {
      ledger.commit({
        family: 'billing',
        operation: 'transfer',
        postings: [
          {
            debit: ids[from[i] ?? 0] ?? '',
            credit: ids[to[i] ?? 0] ?? '',
            asset: 'credits',
            amount: amounts[amountIndex[i] ?? 0] ?? 1n,
          },
        ],
      });
    }
    const rate = CHUNK / ((performance.now() - chunkStarted) / 1000);
    chunkRates.push(rate);
    log(
      `  ${(chunkStart + CHUNK).toLocaleString('en').padStart(9)} transfers  ${Math.round(rate).toLocaleString('en').padStart(9)} /s`,
    );
  }
  const elapsedMs = performance.now() - started;
  const entries = ledger.journalSize - entriesBefore;
  const bytesAfter = retainedBytes(gc);

  const transfersPerSec = Math.round(TRANSFERS / (elapsedMs / 1000));
  const scaleRatio = round2((chunkRates[chunkRates.length - 1] ?? 0) / (chunkRates[0] ?? 1));
  const heapBytesPerEntry = Math.round((bytesAfter - bytesBefore) / entries);
  log(
    `  total ${(elapsedMs / 1000).toFixed(2)} s, journal ${ledger.journalSize.toLocaleString('en')} entries`,
  );
  log(
    `  retained ${((bytesAfter - bytesBefore) / 1e6).toFixed(1)} MB (JS heap + typed arrays) for ${entries.toLocaleString('en')} entries`,
  );
  const checks: [string, boolean, string][] = [
    [
      'throughput',
      transfersPerSec >= LEDGER_BUDGETS.transfersPerSec,
      `${transfersPerSec} >= ${LEDGER_BUDGETS.transfersPerSec} transfers/s`,
    ],
    [
      'scaling',
      scaleRatio >= LEDGER_BUDGETS.scaleRatio,
      `last/first 100k ${scaleRatio} >= ${LEDGER_BUDGETS.scaleRatio}`,
    ],
    [
      'memory',
      heapBytesPerEntry <= LEDGER_BUDGETS.heapBytesPerEntry,
      `${heapBytesPerEntry} <= ${LEDGER_BUDGETS.heapBytesPerEntry} bytes/entry`,
    ],
  ];
  for (const [name, met, detail] of checks) log(`  budget ${met ? 'met   ' : 'MISSED'} ${name}: ${detail}`);
  // Keep the ledger alive until after the last measurement.
  if (ledger.balance(ids[0] ?? '', 'credits') < 0n) throw new Error('negative wallet balance');
  const result: LedgerBenchResult = { bench: 'ledger', transfersPerSec, scaleRatio, heapBytesPerEntry };
  log(JSON.stringify(result));
  return result;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  runLedgerBench();
}
