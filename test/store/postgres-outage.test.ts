import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createMockServer, type MockServer, PostgresStore } from '../../mock/index.js';
import { freshSchema, type Relay, startRelay } from './postgres-support.js';

// What a replica does when its database goes away and comes back. The database is the machine's
// real PostgreSQL; "going away" is a TCP relay in front of it that this test stops and starts again.

const schema = freshSchema();
let server: MockServer | undefined;
let relay: Relay | undefined;
const relays: Relay[] = [];

afterAll(async () => {
  await relay?.stop();
  await server?.close();
  await Promise.all(relays.map((other) => other.stop()));
  await schema.drop();
});

const TRANSFER = {
  method: 'POST',
  headers: { authorization: 'Bearer wl_admin_demo', 'content-type': 'application/json' },
  body: JSON.stringify({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 }),
} as const;

describe('PostgreSQL store: the database goes away and comes back', () => {
  it('answers 503 in each family shape while it is away, reads included, and serves again once it is back', async () => {
    relay = await startRelay();
    const url = `postgres://postgres@127.0.0.1:${relay.port}/test?schema=${schema.name}`;
    server = await createMockServer({ port: 0, store: new PostgresStore(url), onStoreLog: () => undefined });
    const base = server.url;
    expect((await fetch(`${base}/api/white-label/transfer`, TRANSFER)).status).toBe(200);

    await relay.stop();
    const transfer = await fetch(`${base}/api/white-label/transfer`, TRANSFER);
    expect(transfer.status).toBe(503);
    expect(await transfer.json()).toEqual({ error: expect.stringContaining('cannot reach its database') });
    const wallet = await fetch(`${base}/api/v1/billing/wallet`, {
      headers: { authorization: 'Bearer flowyte_sk_test_demo' },
    });
    expect(wallet.status).toBe(503);
    expect(wallet.headers.get('content-type')).toContain('application/problem+json');
    const state = await fetch(`${base}/_mock/state`);
    expect(state.status).toBe(503);
    expect(await state.json()).toEqual({ error: expect.stringContaining('retry later') });

    await relay.start();
    let status = 0;
    for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await fetch(`${base}/api/white-label/transfer`, TRANSFER)).status;
    }
    expect(status).toBe(200);
    const journal = (await (await fetch(`${base}/_mock/journal?family=whiteLabel`)).json()) as {
      entries: { operationId: string }[];
    };
    // The first transfer and the one after the outage; nothing from the refused ones.
    const transfers = journal.entries.filter((entry) => entry.operationId === 'transferWhiteLabelBalance');
    expect(transfers).toHaveLength(2);
  });

  it('closes while it still waits for the database after a failed write, instead of waiting for ever', async () => {
    const away = await startRelay();
    relays.push(away);
    const url = `postgres://postgres@127.0.0.1:${away.port}/test?schema=${schema.name}`;
    const replica = await createMockServer({
      port: 0,
      store: new PostgresStore(url),
      onStoreLog: () => undefined,
    });
    expect((await fetch(`${replica.url}/api/white-label/transfer`, TRANSFER)).status).toBe(200);
    await away.stop();
    // The failed write starts the reload of the database's state, which retries until it answers.
    expect((await fetch(`${replica.url}/api/white-label/transfer`, TRANSFER)).status).toBe(503);
    // Closing ends that reload (the database may never come back) rather than waiting for it.
    await replica.close();
  });

  it('refuses to start (exit status 2) when the database cannot be reached, naming it', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'mock/cli.ts',
        '--port',
        '0',
        '--store',
        'postgres://postgres@127.0.0.1:1/test?schema=nowhere',
      ],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain(
      'cannot reach PostgreSQL at postgres://postgres@127.0.0.1:1/test (schema nowhere)',
    );
  });
});
