import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockServer } from '../../mock/index.js';
import { request, startServer } from './support.js';

// Every bound checked, and a store that cannot write fails closed.

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-bounds-'));
  dirs.push(dir);
  return dir;
}

const TRANSFER = { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 };
const transfer = (url: string, key?: string) =>
  request(url, 'POST', '/api/v1/reseller/credits/transfer', {
    bearer: 'rs_demo',
    json: TRANSFER,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

describe('state file checks at start', () => {
  it('refuses a state file in a folder that does not exist', async () => {
    const dir = await tempDir();
    await expect(
      createMockServer({ port: 0, stateFile: join(dir, 'missing', 'state.json') }),
    ).rejects.toThrow(/folder .*missing.* does not exist/);
  });

  it('refuses a damaged clock or asset scales at start, naming what is wrong', async () => {
    const dir = await tempDir();
    const file = join(dir, 'state.json');
    const first = await startServer({ stateFile: file });
    await first.close();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    const clockBroken = structuredClone(saved);
    clockBroken.worlds.main.clock.nowMs = 'abc';
    await writeFile(file, JSON.stringify(clockBroken));
    await expect(createMockServer({ port: 0, stateFile: file })).rejects.toThrow(/clock.nowMs "abc"/);
    const scalesBroken = structuredClone(saved);
    for (const asset of scalesBroken.worlds.main.assets) asset.scale = 0;
    await writeFile(file, JSON.stringify(scalesBroken));
    await expect(createMockServer({ port: 0, stateFile: file })).rejects.toThrow(/assets/);
    const familyBroken = structuredClone(saved);
    familyBroken.worlds.main.extensions.families.billing = 'gone';
    await writeFile(file, JSON.stringify(familyBroken));
    await expect(createMockServer({ port: 0, stateFile: file })).rejects.toThrow(/family billing is damaged/);
  });
});

describe('a store that cannot write fails closed', () => {
  it('answers writes 503 in the family shape while its folder is gone, keeps reads, and resumes', async () => {
    const dir = join(await tempDir(), 'state');
    await mkdir(dir);
    const logs: string[] = [];
    const server = await startServer({
      stateFile: join(dir, 'state.json'),
      onStoreLog: (line) => logs.push(line),
    });
    expect((await transfer(server.url, 'before')).status).toBe(200);
    await rm(dir, { recursive: true });
    const failed = await transfer(server.url, 'during');
    expect(failed.status).toBe(503);
    expect(failed.body.error).toBe('service_unavailable');
    expect(logs.join('\n')).toMatch(/was removed; answering 503/);
    const state = await request(server.url, 'GET', '/_mock/state');
    expect(state.status).toBe(200);
    const child = state.body.accounts.find((a: { id: string }) => a.id === 'reseller:organization:4002');
    expect(child.balances.usd).toBe(10.2); // the refused transfer is not half-applied
    expect((await transfer(server.url, 'still-down')).status).toBe(503);
    await mkdir(dir);
    let resumed = 0;
    for (let i = 0; i < 40 && resumed !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      resumed = (await transfer(server.url, `after-${i}`)).status;
    }
    expect(resumed).toBe(200);
    expect(logs.join('\n')).toMatch(/writable again/);
  }, 30_000);
});

describe('HTTP bounds', () => {
  it('refuses fault statuses outside 200..599', async () => {
    const server = await startServer();
    const fault = await request(server.url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/reseller/credits/transfer', kind: 'status', status: 101 },
    });
    expect(fault.status).toBe(400);
  });

  it('answers HEAD like GET without a body, OPTIONS with CORS, and CORS headers on answers', async () => {
    const server = await startServer();
    const head = await fetch(`${server.url}/api/v1/billing/wallet`, {
      method: 'HEAD',
      headers: { authorization: 'Bearer flowyte_sk_test_demo' },
    });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
    const page = await fetch(`${server.url}/_mock/ui`, { method: 'HEAD' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(Number(page.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await page.text()).toBe('');
    const preflight = await fetch(`${server.url}/api/v1/billing/wallet`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.example', 'access-control-request-headers': 'authorization' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization');
    expect(head.headers.get('access-control-allow-origin')).toBe('*');
    const off = await startServer({ cors: false });
    const plain = await fetch(`${off.url}/api/v1/billing/wallet`, { method: 'OPTIONS' });
    expect(plain.status).toBe(204);
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('applies a reset-after-commit fault of times 1 to one of ten pipelined requests', async () => {
    const server = await startServer();
    await request(server.url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/reseller/credits/transfer', kind: 'reset-after-commit', times: 1 },
    });
    const before = server.app.world.ledger.journalSize;
    const body = JSON.stringify(TRANSFER);
    const one = `POST /api/v1/reseller/credits/transfer HTTP/1.1\r\nhost: x\r\nauthorization: Bearer rs_demo\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`;
    const { port } = new URL(server.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write(one.repeat(10)));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.app.world.ledger.journalSize - before).toBe(1);
  });

  it('closes slow connections after shutdownTimeoutMs and still saves the state', async () => {
    const file = join(await tempDir(), 'state.json');
    const server = await createMockServer({ port: 0, stateFile: file, shutdownTimeoutMs: 200 });
    expect((await transfer(server.url, 'saved')).status).toBe(200);
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1', () =>
      socket.write(
        'POST /api/v1/reseller/credits/transfer HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{',
      ),
    );
    socket.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    const again = await createMockServer({ port: 0, stateFile: file });
    const replay = await transfer(again.url, 'saved');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await again.close();
  });
});
