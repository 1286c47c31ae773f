import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants } from '../../mock/index.js';
import { ADMIN_KEY, createMockServer, drillSeed, journalTransfers, seededRandom } from './support.js';

// Crash drill: concurrent writers with unique Idempotency-Keys against the CLI on a
// --state-file, SIGKILL at a random moment, restart on the same file, several rounds. Every answered
// key must replay with `Idempotent-Replayed: true` and the same answer, each answered transfer must be
// in the journal exactly once, the books must balance, and no temporary file may be left.
// CRASH_ROUNDS raises the rounds (`npm run test:soak`).

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 3);
const WRITERS = 8;
const USERS = 10;
const PATH = '/api/white-label/transfer';
const random = seededRandom(14_2026);
const children: ChildProcess[] = [];
let folder = '';

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  if (folder) await rm(folder, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly text: string;
}

function startCli(stateFile: string, seedFile: string): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--import', 'tsx', 'mock/cli.ts', '--port', '0', '--log', 'info'];
  const child = spawn(process.execPath, [...args, '--seed', seedFile, '--state-file', stateFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1] });
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.on('exit', (code) => reject(new Error(`the CLI exited with ${code}: ${output}`)));
  });
}

const body = (key: string) => {
  const n = Number(key.split('-').at(-1));
  return JSON.stringify({
    user_id: (n % USERS) + 1,
    transfer_type: 'minutes',
    operation: 'add',
    amount: 0.01 * ((n % 7) + 1),
  });
};

function send(url: string, key: string): Promise<Response> {
  return fetch(url + PATH, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${ADMIN_KEY}`,
      'content-type': 'application/json',
      'idempotency-key': key,
    },
    body: body(key),
  });
}

/** Writes with fresh keys until the server dies; returns every answer it got. */
async function writer(url: string, prefix: string, answered: Map<string, Answer>): Promise<void> {
  for (let n = 0; ; n += 1) {
    const key = `${prefix}-${n}`;
    let response: Response;
    try {
      response = await send(url, key);
    } catch {
      return; // killed: this request may or may not have committed, and it was never answered
    }
    const text = await response.text().catch(() => undefined);
    if (text === undefined) return;
    answered.set(key, { status: response.status, text });
  }
}

async function expectReplays(url: string, answered: Map<string, Answer>): Promise<void> {
  const keys = [...answered.keys()];
  for (let i = 0; i < keys.length; i += 50) {
    await Promise.all(
      keys.slice(i, i + 50).map(async (key) => {
        const response = await send(url, key);
        const text = await response.text();
        expect({
          key,
          replayed: response.headers.get('idempotent-replayed'),
          status: response.status,
          text,
        }).toEqual({
          key,
          replayed: 'true',
          ...answered.get(key),
        });
      }),
    );
  }
}

describe('crash drill: SIGKILL during concurrent writes on a state file', () => {
  it(`loses no answered transfer over ${ROUNDS} kills and restarts`, async () => {
    folder = await mkdtemp(join(tmpdir(), 'ledgerline-crash-'));
    const stateFile = join(folder, 'state.json');
    const seedFile = join(folder, 'seed.json');
    await writeFile(seedFile, JSON.stringify(drillSeed(USERS)));
    const answered = new Map<string, Answer>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const { child, url } = await startCli(stateFile, seedFile);
      await expectReplays(url, answered);
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(url, `r${round}-w${w}`, answered));
      await new Promise((resolve) => setTimeout(resolve, 150 + random() * 350));
      const died = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await died;
      await Promise.all(writers);
    }
    expect(answered.size).toBeGreaterThan(ROUNDS * WRITERS);

    const server = await createMockServer({ port: 0, stateFile });
    try {
      await expectReplays(server.url, answered);
      const committed = (await journalTransfers(server)).map((entry) => entry.idempotencyKey);
      expect(new Set(committed).size).toBe(committed.length);
      const okKeys = [...answered].filter(([, answer]) => answer.status === 200).map(([key]) => key);
      expect(okKeys.filter((key) => !committed.includes(key))).toEqual([]);
      expect(checkInvariants(server.app.world.ledger)).toEqual([]);
    } finally {
      await server.close();
    }
    expect((await readdir(folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});
