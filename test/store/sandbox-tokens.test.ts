import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MockAppOptions } from '../../mock/app.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { freshSchema } from './postgres-support.js';
import { type DurableCall, send, tempFolders } from './sandbox-support.js';

// A sandbox's token and label are part of the state a durable store keeps: after a crash (replayed
// from the log), after a clean stop (from the snapshot) and on every replica of a PostgreSQL store,
// the token still reaches its sandbox and still reaches nothing else.

const ADMIN = 'admin-secret';
const options: Omit<MockAppOptions, 'gate' | 'snapshot'> = { adminToken: ADMIN };
const folder = tempFolders('ll-sandbox-token-');
const schema = freshSchema();
const opened: DurableApp[] = [];

afterAll(async () => {
  await Promise.all(opened.map((durable) => durable.close()));
  await schema.drop();
});

async function open(store: FileStore | PostgresStore): Promise<DurableCall> {
  const durable = await DurableApp.open(store, options, () => undefined);
  opened.push(durable);
  return send(durable);
}

const as = (token: string) => ({ headers: { 'x-mock-admin-token': token } });

async function made(call: DurableCall): Promise<{ id: string; token: string }> {
  const answer = await call('POST', '/_mock/sandboxes', { ...as(ADMIN), json: { label: 'team a' } });
  expect(answer.status).toBe(201);
  return answer.body;
}

/** The token reaches its sandbox (label kept) and nothing else. */
async function expectReach(call: DurableCall, { id, token }: { id: string; token: string }): Promise<void> {
  expect((await call('GET', `/_mock/sandboxes/${id}/_mock/state`, as(token))).status).toBe(200);
  expect((await call('GET', `/_mock/sandboxes/${id}`, as(token))).body.label).toBe('team a');
  expect((await call('GET', '/_mock/state', as(token))).status).toBe(401);
  const wrong = `${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`;
  expect((await call('GET', `/_mock/sandboxes/${id}/_mock/state`, as(wrong))).status).toBe(401);
}

describe('sandbox tokens in durable stores', () => {
  it('survive a crash (the log replays the same token) and a clean stop (the snapshot holds it)', async () => {
    const dir = folder();
    const first = await open(new FileStore(join(dir, 'state.json')));
    const sandbox = await made(first);
    await expectReach(first, sandbox);

    const crashed = folder();
    cpSync(dir, crashed, { recursive: true });
    await expectReach(await open(new FileStore(join(crashed, 'state.json'))), sandbox);

    await Promise.all(opened.splice(0).map((durable) => durable.close()));
    await expectReach(await open(new FileStore(join(dir, 'state.json'))), sandbox);
  });

  it('work on every PostgreSQL replica, also one started after the sandbox was made', async () => {
    const a = await open(new PostgresStore(schema.url));
    const sandbox = await made(a);
    await expectReach(a, sandbox);
    const b = await open(new PostgresStore(schema.url));
    await expectReach(b, sandbox);
    expect((await b('DELETE', `/_mock/sandboxes/${sandbox.id}`, as(sandbox.token))).status).toBe(204);
    expect((await a('GET', `/_mock/sandboxes/${sandbox.id}/_mock/state`, as(sandbox.token))).status).toBe(
      404,
    );
  });
});
