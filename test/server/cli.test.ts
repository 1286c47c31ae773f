import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { request, startServer } from './support.js';

const CLI = ['--import', 'tsx', 'mock/cli.ts'];
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-'));
  dirs.push(dir);
  return dir;
}

/** Runs the CLI until it prints its base URL. */
function startCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [...CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ child, url: match[1], output: () => output });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

const TRANSFER = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };

describe('the ledgerline-mock CLI', () => {
  it('prints the base URL, the demo credentials, a curl per family and one log line per request', async () => {
    const { url, output, child } = await startCli(['--port', '0']);
    expect(output()).toContain('wl_admin_demo');
    expect(output().match(/curl /g)?.length).toBeGreaterThanOrEqual(5);
    await request(url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: TRANSFER,
      headers: { 'idempotency-key': 'k' },
    });
    await request(url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: TRANSFER,
      headers: { 'idempotency-key': 'k' },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(output()).toMatch(/POST \/api\/v1\/reseller\/credits\/transfer 200 [\d.]+ms\n/);
    expect(output()).toMatch(/POST \/api\/v1\/reseller\/credits\/transfer 200 [\d.]+ms replayed/);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('explains a bad option and exits 2', async () => {
    const child = spawn(process.execPath, [...CLI, '--port', 'eighty'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exited(child)).toBe(2);
    expect(stderr).toContain('--port must be a whole number');
  });

  it.each([
    [['--port', '1e3'], '--port must be a whole number'],
    [['--admin-token', ''], '--admin-token must not be empty'],
    [['--state-file', '/nonexistent-folder/state.json'], 'does not exist'],
    [['--max-keys-per-credential', '0'], '--max-keys and --max-keys-per-credential must be at least 1'],
    [['--max-keys', '1e6'], '--max-keys must be a whole number'],
  ])('refuses %j with exit 2 (strict numbers, no empty token, no missing folder)', async (args, message) => {
    const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    expect(await exited(child)).toBe(2);
    expect(stderr).toContain(message);
  });

  it.each([
    ['--max-keys-per-credential', ['--max-keys-per-credential', '2'], {}],
    ['LEDGERLINE_MOCK_MAX_KEYS_PER_CREDENTIAL', [], { LEDGERLINE_MOCK_MAX_KEYS_PER_CREDENTIAL: '2' }],
  ])('takes the Idempotency-Key quota of a credential from %s', async (_, args, env) => {
    const { url } = await startCli(['--port', '0', ...args], env);
    const transfer = (key: string) =>
      fetch(`${url}/api/v1/reseller/credits/transfer`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer rs_demo',
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify({ ...TRANSFER, minutes: 1 }),
      });
    expect((await transfer('a')).status).toBe(200);
    expect((await transfer('b')).status).toBe(200);
    const over = await transfer('c');
    expect(over.status).toBe(429);
    expect(await over.text()).toContain('already holds 2 Idempotency-Keys');
  });

  it('keeps the state across a restart with --state-file, flushed on SIGTERM', async () => {
    const file = join(await tempDir(), 'state.json');
    const first = await startCli(['--port', '0', '--state-file', file]);
    await request(first.url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: TRANSFER,
      headers: { 'idempotency-key': 'before-restart' },
    });
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).format).toBe('ledgerline-store');

    const second = await startCli(['--port', '0', '--state-file', file]);
    const state = await request(second.url, 'GET', '/_mock/state');
    const child = state.body.accounts.find((a: { id: string }) => a.id === 'reseller:organization:4002');
    expect(child.balances.usd).toBe(14);
    const replay = await request(second.url, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: TRANSFER,
      headers: { 'idempotency-key': 'before-restart' },
    });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const again = await request(second.url, 'GET', '/_mock/state');
    expect(
      again.body.accounts.find((a: { id: string }) => a.id === 'reseller:organization:4002').balances.usd,
    ).toBe(14);
  });
});

describe('createMockServer with a state file', () => {
  it('writes the state atomically and restores it, journal included', async () => {
    const file = join(await tempDir(), 'state.json');
    const first = await startServer({ stateFile: file });
    await request(first.url, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_demo',
      json: { user_id: 123, transfer_type: 'credits', operation: 'add', amount: 9 },
    });
    const journalSize = first.app.world.ledger.journalSize;
    await first.close();
    const second = await startServer({ stateFile: file });
    expect(second.app.world.ledger.journalSize).toBe(journalSize);
    const me = await request(second.url, 'GET', '/api/white-label/users', { bearer: 'wl_admin_demo' });
    expect(me.body.data.find((u: { id: number }) => u.id === 123).credits_balance).toBe(9);
    await second.close();
  });
});
