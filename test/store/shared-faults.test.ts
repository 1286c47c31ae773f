import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer, PostgresStore } from '../../mock/index.js';
import { request, startServer } from '../server/support.js';
import { freshSchema, type TestSchema } from './postgres-support.js';

// Faults are state (docs/decisions.md). Adding, clearing and firing them is committed in the one total order
// every replica applies, they are part of every snapshot, and latency waits outside the commit.

const schemas: TestSchema[] = [];
const folders: string[] = [];

afterAll(async () => {
  await Promise.all(schemas.map((schema) => schema.drop()));
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
});

/** Two replicas on one fresh schema (stopped after the test by test/server/support.ts). */
async function twoReplicas(): Promise<{ url: string; a: MockServer; b: MockServer }> {
  const schema = freshSchema();
  schemas.push(schema);
  const a = await startServer({ store: new PostgresStore(schema.url) });
  const b = await startServer({ store: new PostgresStore(schema.url) });
  return { url: schema.url, a, b };
}

const WALLET_READER = 'flowyte_sk_test_demo';
const wallet = (server: MockServer) =>
  request(server.url, 'GET', '/api/v1/billing/wallet', { bearer: WALLET_READER });
const transfer = (server: MockServer, amount: number) =>
  request(server.url, 'POST', '/api/white-label/transfer', {
    bearer: 'wl_admin_demo',
    json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount },
  });
const faultsOf = async (server: MockServer) =>
  (await request(server.url, 'GET', '/_mock/faults')).body.faults;

/** User 123's minutes as `GET /_mock/state` shows them. */
async function minutes(server: MockServer): Promise<number> {
  const state = await request(server.url, 'GET', '/_mock/state');
  const user = state.body.accounts.find((account: { id: string }) => account.id.includes('123'));
  return user.balances.minutes;
}

describe('faults across PostgreSQL replicas', () => {
  it('fires a times-1 fault added on one replica exactly once for requests spread over both', async () => {
    const { a, b } = await twoReplicas();
    const once = await request(a.url, 'POST', '/_mock/faults', {
      json: { method: 'GET', path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 1 },
    });
    const thrice = await request(b.url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/reseller/*', kind: 'status', status: 502, times: 3 },
    });
    // One id sequence for both replicas: the second fault is numbered after the first.
    expect([once.body.id, thrice.body.id]).toEqual(['flt_1', 'flt_2']);

    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => wallet(i % 2 === 0 ? a : b)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([...Array(9).fill(200), 503]);

    const reseller = (server: MockServer) =>
      request(server.url, 'POST', '/api/v1/reseller/credits/transfer', {
        bearer: 'rs_demo',
        json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
      });
    expect((await reseller(a)).status).toBe(502);
    expect((await reseller(b)).status).toBe(502);
    const left = [
      { id: 'flt_2', path: '/api/v1/reseller/*', kind: 'status', status: 502, times: 3, remaining: 1 },
    ];
    expect(await faultsOf(a)).toEqual(left);
    expect(await faultsOf(b)).toEqual(left);

    expect((await request(b.url, 'DELETE', '/_mock/faults')).status).toBe(204);
    expect(await faultsOf(a)).toEqual([]);
    expect((await reseller(a)).status).toBe(200);
  }, 30_000);

  it('draws a probability once, on the replica that took the request: the others apply its decision', async () => {
    const { a, b } = await twoReplicas();
    await request(a.url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 6, probability: 0.5 },
    });
    const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => wallet(i % 2 === 0 ? a : b)));
    const fired = answers.filter((answer) => answer.status === 503).length;
    expect(fired + answers.filter((answer) => answer.status === 200).length).toBe(16);
    const left = await faultsOf(a);
    expect(await faultsOf(b)).toEqual(left);
    // Every firing spent one of the six, whichever replica drew it.
    expect(left[0]?.remaining ?? 0).toBe(6 - fired);
  }, 30_000);

  it("shares a sandbox's faults too: injected through one replica, fired once through either", async () => {
    const { a, b } = await twoReplicas();
    const made = await request(a.url, 'POST', '/_mock/sandboxes', { json: {} });
    expect(made.status).toBe(201);
    const base = `/_mock/sandboxes/${made.body.id}`;
    const inject = (json: object) => request(a.url, 'POST', `${base}/_mock/faults`, { json });
    await inject({ path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 1 });
    await inject({ path: '/nowhere', kind: 'reset', times: 2 });
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        request(i % 2 === 0 ? a.url : b.url, 'GET', `${base}/api/v1/billing/wallet`, {
          bearer: WALLET_READER,
        }),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 200, 200, 503]);
    const left = [{ id: 'flt_2', path: '/nowhere', kind: 'reset', times: 2, remaining: 2 }];
    expect((await request(b.url, 'GET', `${base}/_mock/faults`)).body.faults).toEqual(left);
    expect((await request(a.url, 'GET', `${base}/_mock/faults`)).body.faults).toEqual(left);
    expect(await faultsOf(b)).toEqual([]); // the main world has its own faults
  }, 30_000);

  it('keeps faults through a clean stop (a snapshot) and a replica starting from it; a reset clears them', async () => {
    const { url, a, b } = await twoReplicas();
    await request(a.url, 'POST', '/_mock/faults', {
      json: { path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 3 },
    });
    expect((await wallet(b)).status).toBe(503);
    await a.close(); // writes a snapshot: the log before it is compacted away
    const c = await startServer({ store: new PostgresStore(url) });
    const left = [
      { id: 'flt_1', path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 3, remaining: 2 },
    ];
    expect(await faultsOf(c)).toEqual(left);
    expect((await wallet(c)).status).toBe(503);
    expect(await faultsOf(b)).toEqual([{ ...left[0], remaining: 1 }]);
    expect((await request(c.url, 'POST', '/_mock/reset')).status).toBe(200);
    expect(await faultsOf(b)).toEqual([]);
    expect((await wallet(b)).status).toBe(200);
  }, 30_000);

  it('commits an operation with a latency fault at once and answers it later, holding no other request', async () => {
    const { a, b } = await twoReplicas();
    await request(a.url, 'POST', '/_mock/faults', {
      json: { method: 'POST', path: '/api/white-label/transfer', kind: 'latency', delayMs: 3000, times: 1 },
    });
    const before = await minutes(a);
    const order: string[] = [];
    const slow = transfer(a, 5).then((answer) => {
      order.push('slow answered');
      return answer;
    });
    // The slow transfer's commit shows on both replicas while its answer still waits.
    for (let i = 0; i < 100 && (await minutes(a)) !== before + 5; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    order.push('committed');
    expect(await minutes(b)).toBe(before + 5);
    expect((await transfer(a, 1)).status).toBe(200);
    order.push('a later transfer on the same replica answered');
    expect((await transfer(b, 1)).status).toBe(200);
    order.push('a later transfer on the other replica answered');
    expect((await slow).body.user.minutes_balance).toBe(before + 5);
    expect(order).toEqual([
      'committed',
      'a later transfer on the same replica answered',
      'a later transfer on the other replica answered',
      'slow answered',
    ]);
  }, 30_000);
});

describe('faults with a state file', () => {
  it('survive a restart: replayed from the log after a crash, and kept in the snapshot of a clean stop', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ledgerline-faults-'));
    folders.push(folder);
    const file = join(folder, 'state.json');
    const first = await startServer({ stateFile: file });
    await request(first.url, 'POST', '/_mock/faults', {
      json: { method: 'GET', path: '/api/v1/billing/wallet', kind: 'status', status: 503, times: 3 },
    });
    await request(first.url, 'POST', '/_mock/faults', { json: { path: '/nowhere', kind: 'reset' } });
    expect((await wallet(first)).status).toBe(503);
    // What a crash now would leave: the seed snapshot and the log (every answer is fsynced first).
    const crashed = join(folder, 'crashed.json');
    await copyFile(file, crashed);
    await copyFile(`${file}.log`, `${crashed}.log`);
    const left = [
      {
        id: 'flt_1',
        method: 'GET',
        path: '/api/v1/billing/wallet',
        kind: 'status',
        status: 503,
        times: 3,
        remaining: 2,
      },
      { id: 'flt_2', path: '/nowhere', kind: 'reset' },
    ];
    const replayed = await startServer({ stateFile: crashed });
    expect(await faultsOf(replayed)).toEqual(left);

    await first.close();
    const second = await startServer({ stateFile: file });
    expect(await faultsOf(second)).toEqual(left);
    expect((await wallet(second)).status).toBe(503);
    expect((await wallet(second)).status).toBe(503);
    expect((await wallet(second)).status).toBe(200);
    expect(await faultsOf(second)).toEqual([left[1]]);
    const added = await request(second.url, 'POST', '/_mock/faults', {
      json: { path: '/nowhere', kind: 'reset' },
    });
    expect(added.body.id).toBe('flt_3'); // ids are never reused across a restart
  }, 30_000);

  it('refuses a state file whose saved faults are damaged at start, naming them', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ledgerline-faults-'));
    folders.push(folder);
    const file = join(folder, 'state.json');
    const first = await startServer({ stateFile: file });
    await request(first.url, 'POST', '/_mock/faults', { json: { path: '/nowhere', kind: 'reset' } });
    await first.close();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.worlds.main.extensions.faults).toEqual({
      nextId: 2,
      faults: [{ id: 'flt_1', path: '/nowhere', kind: 'reset', remaining: null }],
    });
    saved.worlds.main.extensions.faults.faults[0].kind = 'gremlins';
    await writeFile(file, JSON.stringify(saved));
    await expect(createMockServer({ port: 0, stateFile: file })).rejects.toThrow(/saved fault 0 is damaged/);
  });
});

describe('a fault firing when the state cannot be saved', () => {
  it('is refused with 503 and spends nothing; it fires once the store writes again', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ledgerline-faults-'));
    folders.push(folder);
    const dir = join(folder, 'state');
    await mkdir(dir);
    const server = await startServer({ stateFile: join(dir, 'state.json'), onStoreLog: () => undefined });
    await request(server.url, 'POST', '/_mock/faults', {
      json: { method: 'GET', path: '/api/v1/billing/wallet', kind: 'status', status: 418, times: 1 },
    });
    await rm(dir, { recursive: true });
    // A write fails first, so the store knows it cannot save; the fault has not fired yet.
    expect((await transfer(server, 1)).status).toBe(503);
    const refused = await wallet(server);
    expect(refused.status).toBe(503);
    expect(refused.body.detail).toMatch(/cannot save its state/);
    expect(await faultsOf(server)).toEqual([
      {
        id: 'flt_1',
        method: 'GET',
        path: '/api/v1/billing/wallet',
        kind: 'status',
        status: 418,
        times: 1,
        remaining: 1,
      },
    ]);
    await mkdir(dir);
    let status = 503;
    for (let i = 0; i < 40 && status === 503; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await wallet(server)).status;
    }
    expect(status).toBe(418);
    expect((await wallet(server)).status).toBe(200);
  }, 30_000);
});
