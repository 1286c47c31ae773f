import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { FailOnce } from './fail-once.js';
import { freshSchema, type Relay, startRelay } from './postgres-support.js';
import { type DurableCall, send, tempFolders } from './sandbox-support.js';

// Requests the durable layer answers 503 (a commit that failed, a database that went away) are in
// the request journal of the world they were sent to, with that 503: "did my app retry after the
// 503?" is read from the journal (found in review: they were missing, or listed with the 200 the
// client never got).

const folder = tempFolders('ll-outage-journal-');
const schema = freshSchema();
let relay: Relay | undefined;
afterAll(async () => {
  await relay?.stop();
  await schema.drop();
});

const TRANSFER_PATH = '/api/white-label/transfer';
const TRANSFER = {
  bearer: 'wl_admin_demo',
  json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 5 },
};
const WALLET = '/api/v1/billing/wallet';
const READER = 'flowyte_sk_test_demo';

interface Listed {
  method: string;
  path: string;
  operationId: string | null;
  status: number | null;
  responseBody: unknown;
}

const journalOf = async (call: DurableCall, prefix: string): Promise<Listed[]> => {
  const page = await call('GET', `${prefix}/_mock/requests`);
  expect(page.status).toBe(200);
  return page.body.requests;
};

/** A durable app on a file store whose next commit fails when `store.failNext` is set. */
async function openFailOnce(): Promise<{ store: FailOnce; durable: DurableApp; call: DurableCall }> {
  const store = new FailOnce(new FileStore(join(folder(), 'state.json')));
  const durable = await DurableApp.open(store, {}, () => undefined);
  return { store, durable, call: send(durable) };
}

describe('the request journal when the durable layer answers 503', () => {
  it('lists a write whose commit failed once, with the 503 it got (main world and sandbox)', async () => {
    const { store, durable, call } = await openFailOnce();
    try {
      const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
      for (const prefix of ['', `/_mock/sandboxes/${sandbox}`]) {
        store.failNext = true;
        const refused = await call('POST', `${prefix}${TRANSFER_PATH}`, TRANSFER);
        expect(refused.status).toBe(503);
        const listed = await journalOf(call, prefix);
        // One record, with the answer the client got (it was listed with the 200 of the rolled-back run).
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({
          method: 'POST',
          path: TRANSFER_PATH,
          operationId: 'transferWhiteLabelBalance',
          status: 503,
          responseBody: refused.body,
        });
        // The retry the QA user looks for comes after it.
        expect((await call('POST', `${prefix}${TRANSFER_PATH}`, TRANSFER)).status).toBe(200);
        expect((await journalOf(call, prefix)).map((record) => record.status)).toEqual([200, 503]);
      }
    } finally {
      await durable.close();
    }
  });

  it('lists a read whose commit failed once a single time, with the answer it was given again', async () => {
    const { store, durable, call } = await openFailOnce();
    try {
      const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
      for (const prefix of ['', `/_mock/sandboxes/${sandbox}`]) {
        store.failNext = true;
        const read = await call('GET', `${prefix}${WALLET}`, { bearer: READER });
        expect(read.status).toBe(200);
        // The read is answered again from the rolled-back state: one request, one record (was two).
        const listed = await journalOf(call, prefix);
        expect(listed).toHaveLength(1);
        expect(listed[0]).toMatchObject({
          method: 'GET',
          path: WALLET,
          status: 200,
          responseBody: read.body,
        });
      }
    } finally {
      await durable.close();
    }
  });

  it("keeps a sandbox's journal across a rollback that makes the sandbox again from its create", async () => {
    const { store, durable, call } = await openFailOnce();
    try {
      // Created after the last snapshot: the rollback replays its create (it was rebuilt empty).
      const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
      const prefix = `/_mock/sandboxes/${sandbox}`;
      expect((await call('GET', `${prefix}${WALLET}`, { bearer: READER })).status).toBe(200);
      expect((await call('POST', `${prefix}${TRANSFER_PATH}`, TRANSFER)).status).toBe(200);
      const entries = () => call('GET', `${prefix}/_mock/journal`).then((page) => page.body.entries);
      const before = await entries();
      store.failNext = true;
      expect((await call('POST', TRANSFER_PATH, TRANSFER)).status).toBe(503);
      const listed = await journalOf(call, prefix);
      expect(listed.map(({ method, status }) => [method, status])).toEqual([
        ['POST', 200],
        ['GET', 200],
      ]);
      // The sandbox's state is the replay's: the same entries, the transfer once.
      expect(await entries()).toEqual(before);
    } finally {
      await durable.close();
    }
  });

  it('lists the requests answered 503 while PostgreSQL was away, once it is back', async () => {
    relay = await startRelay();
    const url = `postgres://postgres@127.0.0.1:${relay.port}/test?schema=${schema.name}`;
    const durable = await DurableApp.open(new PostgresStore(url), {}, () => undefined);
    const call = send(durable);
    try {
      const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
      const prefixes = ['', `/_mock/sandboxes/${sandbox}`];
      for (const prefix of prefixes)
        expect((await call('POST', `${prefix}${TRANSFER_PATH}`, TRANSFER)).status).toBe(200);

      await relay.stop();
      const refused: Record<string, unknown[]> = {};
      for (const prefix of prefixes) {
        const write = await call('POST', `${prefix}${TRANSFER_PATH}`, TRANSFER);
        const read = await call('GET', `${prefix}${WALLET}`, { bearer: READER });
        expect([write.status, read.status]).toEqual([503, 503]);
        refused[prefix] = [read.body, write.body];
      }

      await relay.start();
      let status = 0;
      for (let attempt = 0; attempt < 100 && status !== 200; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        status = Number((await call('GET', '/_mock/requests')).status);
      }
      expect(status).toBe(200);
      for (const prefix of prefixes) {
        const listed = await journalOf(call, prefix);
        // Newest first: the refused read, the refused write, the transfer before the outage.
        expect(listed.map(({ method, path, status }) => [method, path, status])).toEqual([
          ['GET', WALLET, 503],
          ['POST', TRANSFER_PATH, 503],
          ['POST', TRANSFER_PATH, 200],
        ]);
        expect(listed.slice(0, 2).map((record) => record.responseBody)).toEqual(refused[prefix]);
      }
    } finally {
      await durable.close();
    }
  }, 30_000);
});
