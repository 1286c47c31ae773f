import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { DurableApp, MIN_RECORDS_PER_COMPACTION } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { FailingDisk } from './failing-disk.js';
import { contentsOf } from './restart-copy.js';
import { send, tempFolders } from './sandbox-support.js';

// When a file store's snapshot replaces its log: once the log is long enough (after an answer), and
// at close. A restart then reads the state from the snapshot alone.

const folder = tempFolders('ll-compaction-');

const TRANSFER = '/api/v1/reseller/credits/transfer';
const transfer = { bearer: 'rs_demo', json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 } };

async function openDisk(dir: string, lines: string[] = []) {
  const disk = new FailingDisk(new FileStore(join(dir, 'state.json')));
  const durable = await DurableApp.open(disk, {}, (line) => lines.push(line));
  return { disk, durable, call: send(durable) };
}

describe('compaction of a file store', () => {
  it('writes a snapshot once the log holds MIN_RECORDS_PER_COMPACTION records, not one record before', async () => {
    const dir = folder();
    const { disk, durable, call } = await openDisk(dir);
    try {
      // A new store is compacted at once (its seed is durable before any record).
      expect(disk.compactions).toBe(1);
      disk.pretendRecords = MIN_RECORDS_PER_COMPACTION - 2;
      expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
      expect(disk.compactions).toBe(1);
      expect((await contentsOf(dir, folder())).records).toHaveLength(1);
      expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
      expect(disk.compactions).toBe(2);
      await vi.waitFor(() => expect(disk.inner.recordsSinceSnapshot).toBe(0));
      const { snapshot, records } = await contentsOf(dir, folder());
      expect(records).toEqual([]);
      expect(snapshot?.seq).toBe(2);
    } finally {
      await durable.close();
    }
  });

  it('answers the request whose compaction failed, logs it, and keeps the records in the log', async () => {
    const lines: string[] = [];
    const dir = folder();
    const { disk, durable, call } = await openDisk(dir, lines);
    try {
      disk.pretendRecords = MIN_RECORDS_PER_COMPACTION;
      disk.snapshotsFail = true;
      expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
      await vi.waitFor(() =>
        expect(lines).toEqual([
          'ledgerline-mock: compaction failed (StoreWriteError: injected: the disk refused the snapshot); the log keeps every change.',
        ]),
      );
      expect((await contentsOf(dir, folder())).records).toHaveLength(1);
    } finally {
      disk.snapshotsFail = false;
      await durable.close();
    }
  });

  it('writes a last snapshot at close, holding one sequence number (a file store has one log)', async () => {
    const dir = folder();
    const { durable, call } = await openDisk(dir);
    expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
    const state = (await call('GET', '/_mock/state')).body.accounts;
    await durable.close();
    const { snapshot, records } = await contentsOf(dir, folder());
    expect(records).toEqual([]);
    expect(snapshot?.seq).toBe(1);
    expect(snapshot).not.toHaveProperty('seqs');
    const reopened = await DurableApp.open(new FileStore(join(dir, 'state.json')), {}, () => undefined);
    try {
      expect((await send(reopened)('GET', '/_mock/state')).body.accounts).toEqual(state);
    } finally {
      await reopened.close();
    }
  });
});
