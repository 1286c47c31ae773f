import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { requestOf } from '../mock/support.js';
import { FailingDisk } from './failing-disk.js';
import { send, tempFolders } from './sandbox-support.js';

// What a file store's server does when a write fails: the refused request's answer, the rollback
// to what is durable, the 503s while the disk refuses writes, and the way back once it can write.

const folder = tempFolders('ll-failed-write-');

const TRANSFER = '/api/v1/reseller/credits/transfer';
const transfer = { bearer: 'rs_demo', json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 } };

async function openFailing(dir: string, lines: string[]) {
  const disk = new FailingDisk(new FileStore(join(dir, 'state.json')));
  const durable = await DurableApp.open(disk, {}, (line) => lines.push(line));
  return { disk, durable, call: send(durable) };
}

const accountsOf = async (call: ReturnType<typeof send>) => (await call('GET', '/_mock/state')).body.accounts;

describe('a write the disk refuses (file store)', () => {
  it('answers it 503 "cannot save", and the next request already sees the state rolled back', async () => {
    const lines: string[] = [];
    const { disk, durable, call } = await openFailing(folder(), lines);
    try {
      const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
      const before = await accountsOf(call);
      disk.failNext = true;
      const refused = await durable.answer(requestOf('POST', TRANSFER, transfer));
      expect(refused.kind).toBe('respond');
      if (refused.kind !== 'respond') return;
      expect(refused.response.status).toBe(503);
      // Not a stored answer replayed under an Idempotency-Key: the server log says so.
      expect(refused.replayed).toBe(false);
      expect(JSON.stringify(refused.response.body)).toContain('cannot save its state right now');
      expect(lines).toEqual([
        'ledgerline-mock: injected: the disk refused the write; answering 503 to writes until it can write again.',
      ]);
      // The transfer ran in memory before the write failed: the answer waited for the rollback.
      expect(await accountsOf(call)).toEqual(before);
      // A sandbox made after the last snapshot is in the log only: the rollback replays its creation.
      const listed = (await call('GET', '/_mock/sandboxes')).body.sandboxes;
      expect(listed.map((made: { id: string }) => made.id)).toEqual([sandbox]);
      // A one-off failure: the store is not failed, the next write goes through.
      expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
      expect(await accountsOf(call)).not.toEqual(before);
    } finally {
      await durable.close();
    }
  });

  it('answers a read whose write failed again from the durable state, not 503', async () => {
    const lines: string[] = [];
    const { disk, durable, call } = await openFailing(folder(), lines);
    try {
      disk.failNext = true;
      const read = await call('GET', '/api/v1/billing/wallet', { bearer: 'flowyte_sk_test_demo' });
      expect(read.status).toBe(200);
      // A one-off failure leaves the store writable: no recovery is under way, none is announced.
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      expect(lines).toHaveLength(1);
    } finally {
      await durable.close();
    }
  });

  it('refuses writes while the disk is failed, takes them again once a snapshot can be written', async () => {
    const lines: string[] = [];
    const dir = folder();
    const { disk, durable, call } = await openFailing(dir, lines);
    let closed = false;
    try {
      const before = await accountsOf(call);
      disk.failNext = true;
      disk.staysBroken = true;
      expect((await call('POST', TRANSFER, transfer)).status).toBe(503);
      expect((await call('POST', TRANSFER, transfer)).status).toBe(503);
      expect(await accountsOf(call)).toEqual(before);
      disk.broken = false;
      // The server tries a snapshot about every second; one that is written ends the failure.
      await vi.waitFor(
        () =>
          expect(lines.at(-1)).toBe(`ledgerline-mock: ${disk.location} is writable again; writes resume.`),
        { timeout: 5_000, interval: 50 },
      );
      expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
      const after = await accountsOf(call);
      await durable.close();
      closed = true;
      const reopened = await DurableApp.open(new FileStore(join(dir, 'state.json')), {}, () => undefined);
      expect(await accountsOf(send(reopened))).toEqual(after);
      await reopened.close();
    } finally {
      if (!closed) await durable.close();
    }
  });

  it('stops trying snapshots once closed, and says the last one could not be written', async () => {
    const lines: string[] = [];
    const { disk, durable, call } = await openFailing(folder(), lines);
    disk.failNext = true;
    disk.staysBroken = true;
    expect((await call('POST', TRANSFER, transfer)).status).toBe(503);
    await durable.close();
    expect(lines.at(-1)).toMatch(
      /^ledgerline-mock: the last snapshot could not be written \(StoreWriteError: injected: the disk refused the snapshot\); the log keeps every answered change\.$/,
    );
    const tried = disk.compactions;
    disk.broken = false;
    // Past two recovery periods: a closed server writes nothing more.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    expect(disk.compactions).toBe(tried);
    expect(lines.some((line) => line.includes('writable again'))).toBe(false);
  });
});
