import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { type DurableCall, send, tempFolders } from './sandbox-support.js';

// Sandboxes under the file store: creating one, deleting one and every write inside one are
// records, so a restart brings each live sandbox back with its books, from the log (a crash) or from
// the snapshot (a clean stop), still isolated from the main world.

const folder = tempFolders('ll-sandbox-');

const open = (dir: string, lines: string[] = []) =>
  DurableApp.open(new FileStore(join(dir, 'state.json')), {}, (line) => lines.push(line));

const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };
const CHILD = 'reseller:organization:4002';

/** The child organisation's USD balance in the main world or a sandbox, read through the control API. */
async function childUsd(call: DurableCall, prefix = ''): Promise<string | number> {
  const state = await call('GET', `${prefix}/_mock/state`);
  return state.body.accounts.find((account: { id: string }) => account.id === CHILD).balances.usd;
}

describe('sandboxes in the file store', () => {
  it('come back after a crash (replayed from the log) and after a clean stop (from the snapshot)', async () => {
    const dir = folder();
    const first = await open(dir);
    const call = send(first);
    const mainBefore = await childUsd(call);
    const kept = (await call('POST', '/_mock/sandboxes', { json: {} })).body as { id: string };
    const ended = (await call('POST', '/_mock/sandboxes', { json: {} })).body as { id: string };
    const base = `/_mock/sandboxes/${kept.id}`;
    const moved = await call('POST', `${base}/api/v1/reseller/credits/transfer`, {
      bearer: 'rs_demo',
      headers: { 'idempotency-key': 'sandbox-transfer-1' },
      json: transfer,
    });
    expect(moved.status).toBe(200);
    expect((await call('DELETE', `/_mock/sandboxes/${ended.id}`)).status).toBe(204);
    const sandboxUsd = await childUsd(call, base);
    expect(sandboxUsd).not.toEqual(mainBefore);

    // A crash: a copy of the folder as it is now, the log not compacted.
    const crashed = folder();
    cpSync(dir, crashed, { recursive: true });
    const lines: string[] = [];
    const replayed = await open(crashed, lines);
    try {
      await expectRestored(send(replayed), kept.id, ended.id, sandboxUsd, mainBefore);
      expect(lines).toEqual([]);
    } finally {
      await replayed.close();
    }

    // A clean stop writes a snapshot holding the sandbox's world; the next start restores it.
    await first.close();
    const restored = await open(dir);
    try {
      await expectRestored(send(restored), kept.id, ended.id, sandboxUsd, mainBefore);
    } finally {
      await restored.close();
    }
  });

  it('records an idle expiry as a delete, so a restart does not bring the sandbox back', async () => {
    const dir = folder();
    let nowMs = Date.parse('2026-11-30T00:00:00Z');
    const sandboxes = { idleMs: 60_000, maxSandboxes: 1, now: () => nowMs };
    const first = await DurableApp.open(
      new FileStore(join(dir, 'state.json')),
      { sandboxes },
      () => undefined,
    );
    const call = send(first);
    const made = (await call('POST', '/_mock/sandboxes', { json: {} })).body as { id: string };
    expect((await call('POST', '/_mock/sandboxes', { json: {} })).status).toBe(429);
    nowMs += 60_001;
    // Any request sweeps first: the idle sandbox ends (a record), which frees the cap.
    expect((await call('GET', `/_mock/sandboxes/${made.id}/_mock/state`)).status).toBe(404);
    const next = await call('POST', '/_mock/sandboxes', { json: {} });
    expect(next.status).toBe(201);
    const crashed = folder();
    cpSync(dir, crashed, { recursive: true });
    await first.close();
    // The same cap on every start: a replayed create is checked against it again.
    for (const copy of [crashed, dir]) {
      const store = new FileStore(join(copy, 'state.json'));
      const reopened = await DurableApp.open(store, { sandboxes }, () => undefined);
      try {
        const listed = await send(reopened)('GET', '/_mock/sandboxes');
        expect(listed.body.sandboxes.map((sandbox: { id: string }) => sandbox.id)).toEqual([next.body.id]);
      } finally {
        await reopened.close();
      }
    }
  });
});

async function expectRestored(
  call: DurableCall,
  id: string,
  ended: string,
  sandboxUsd: string | number,
  mainUsd: string | number,
): Promise<void> {
  const base = `/_mock/sandboxes/${id}`;
  const listed = await call('GET', '/_mock/sandboxes');
  expect(listed.body.sandboxes.map((sandbox: { id: string }) => sandbox.id)).toEqual([id]);
  expect(await childUsd(call, base)).toEqual(sandboxUsd);
  expect(await childUsd(call)).toEqual(mainUsd);
  expect((await call('GET', `/_mock/sandboxes/${ended}/_mock/state`)).status).toBe(404);
  // The sandbox's keys came back too: the same key replays instead of moving the money again.
  const again = await call('POST', `${base}/api/v1/reseller/credits/transfer`, {
    bearer: 'rs_demo',
    headers: { 'idempotency-key': 'sandbox-transfer-1' },
    json: transfer,
  });
  expect(again.headers['idempotent-replayed']).toBe('true');
  expect(await childUsd(call, base)).toEqual(sandboxUsd);
  // Still isolated: a transfer in the sandbox moves nothing in the main world.
  const more = await call('POST', `${base}/api/v1/reseller/credits/transfer`, {
    bearer: 'rs_demo',
    json: transfer,
  });
  expect(more.status).toBe(200);
  expect(await childUsd(call, base)).not.toEqual(sandboxUsd);
  expect(await childUsd(call)).toEqual(mainUsd);
}
