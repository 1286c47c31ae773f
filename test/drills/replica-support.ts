import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** One `ledgerline-mock --store` process. */
export interface Replica {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote to standard error (store warnings and failures). */
  readonly errors: () => string;
  /** SIGTERM and wait for the exit (a clean stop writes a last snapshot). */
  stop(): Promise<void>;
}

/** A loopback port that was free a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** Starts the CLI on a free port with `--store storeUrl` and waits until it answers. */
export async function startReplica(storeUrl: string, args: readonly string[] = []): Promise<Replica> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'mock/cli.ts',
      '--port',
      String(port),
      '--log',
      'error',
      '--store',
      storeUrl,
      ...args,
    ],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const url = `http://127.0.0.1:${port}`;
  // Generous: three replicas start at once, next to the whole suite, on two busy cores.
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`replica exited with ${child.exitCode} before answering: ${stderr}`);
    const answered = await fetch(`${url}/_mock/state`, { signal: AbortSignal.timeout(1_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) throw new Error(`replica did not answer in 90 s: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    child,
    errors: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A JSON number of `GET /_mock/state` as an exact integer of 10^-9 units (every asset has at most 9 decimals). */
export function nanoUnits(value: number): bigint {
  const text = String(value);
  if (/e/i.test(text)) throw new Error(`balance ${text} is not a plain decimal`);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const units = BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9));
  return negative ? -units : units;
}

export interface StateView {
  now: string;
  accounts: { id: string; family: string; kind: string; balances: Record<string, number> }[];
}

/** The books' rules over `GET /_mock/state`: each asset sums to zero, no user-facing balance is negative. */
export function bookViolations(state: StateView): string[] {
  const sums = new Map<string, bigint>();
  const violations: string[] = [];
  for (const account of state.accounts) {
    for (const [asset, value] of Object.entries(account.balances)) {
      const name = `${account.family}/${asset}`;
      const units = nanoUnits(value);
      sums.set(name, (sums.get(name) ?? 0n) + units);
      if (units < 0n && account.kind !== 'system')
        violations.push(`${account.id} ${name} is negative (${value})`);
    }
  }
  for (const [name, sum] of sums) if (sum !== 0n) violations.push(`${name} sums to ${sum} nano-units, not 0`);
  return violations;
}

export interface JournalEntry {
  id: string;
  family: string;
  operation: string;
  idempotencyKey: string | null;
}

/** Every journal entry of every family, following the cursor. */
export async function allJournalEntries(url: string): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 10_000; page += 1) {
    const query = new URLSearchParams({ limit: '1000', ...(cursor ? { cursor } : {}) });
    const response = await fetch(`${url}/_mock/journal?${query}`);
    if (response.status !== 200) throw new Error(`GET /_mock/journal answered ${response.status}`);
    const body = (await response.json()) as { entries: JournalEntry[]; nextCursor: string | null };
    entries.push(...body.entries);
    cursor = body.nextCursor;
    if (cursor === null) return entries;
  }
  throw new Error('the journal has more than 10,000 pages');
}
