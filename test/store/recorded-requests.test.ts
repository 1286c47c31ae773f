import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { contentsOf } from './restart-copy.js';
import { send, tempFolders } from './sandbox-support.js';

// Which requests a file store records, and what a restart finds of them.

const folder = tempFolders('ll-recorded-requests-');

const TRANSFER = '/api/v1/reseller/credits/transfer';
const transfer = { bearer: 'rs_demo', json: { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 } };
const WALLET = '/api/v1/billing/wallet';

describe('what a file store records', () => {
  it('records changes when sandboxes are turned off (there is no sandbox registry)', async () => {
    const dir = folder();
    const durable = await DurableApp.open(
      new FileStore(join(dir, 'state.json')),
      { sandboxes: false },
      () => {
        throw new Error('nothing to log');
      },
    );
    const call = send(durable);
    expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
    // Off means off under a durable store too: no sandbox is made.
    expect((await call('POST', '/_mock/sandboxes', { json: {} })).status).toBe(400);
    const state = (await call('GET', '/_mock/state')).body.accounts;
    expect((await contentsOf(dir, folder())).records[0]?.target).toBe(TRANSFER);
    await durable.close();
    const reopened = await DurableApp.open(
      new FileStore(join(dir, 'state.json')),
      { sandboxes: false },
      () => {
        throw new Error('nothing to log');
      },
    );
    try {
      expect((await send(reopened)('GET', '/_mock/state')).body.accounts).toEqual(state);
    } finally {
      await reopened.close();
    }
  });

  it('counts a fault firing as a record: the snapshot at close holds the last one', async () => {
    const dir = folder();
    const durable = await DurableApp.open(new FileStore(join(dir, 'state.json')), {}, () => undefined);
    const call = send(durable);
    const fault = { path: WALLET, kind: 'status', status: 502, times: 2 };
    expect((await call('POST', '/_mock/faults', { json: fault })).status).toBe(201);
    expect((await call('GET', WALLET, { bearer: 'flowyte_sk_test_demo' })).status).toBe(502);
    // The fault's creation and its firing: the read itself changed nothing and is no record.
    expect((await contentsOf(dir, folder())).records).toHaveLength(2);
    expect((await call('POST', TRANSFER, transfer)).status).toBe(200);
    await durable.close();
    const { snapshot, records } = await contentsOf(dir, folder());
    expect(records).toEqual([]);
    expect(snapshot?.seq).toBe(3);
    // Numbered after the snapshot: a restart's next record is the fourth.
    const reopened = await DurableApp.open(new FileStore(join(dir, 'state.json')), {}, () => undefined);
    expect((await send(reopened)('POST', TRANSFER, transfer)).status).toBe(200);
    expect((await contentsOf(dir, folder())).records.map((record) => record.seq)).toEqual([4]);
    await reopened.close();
  });
});
