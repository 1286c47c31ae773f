import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { defineFamily } from '../../mock/family-kit/define-family.js';
import type { LedgerSnapshot } from '../../mock/ledger/snapshot.js';
import type { SandboxOptions } from '../../mock/registry/sandboxes.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { tallyDefinition } from '../mock/tally-family.js';
import { FailOnce } from './fail-once.js';
import { type DurableCall, send, tempFolders } from './sandbox-support.js';

// Edges of the durable layer found in review: HEAD requests and limited faults, and
// the sandbox cap on a replay.

const folder = tempFolders('ll-durable-edges-');

const open = (dir: string, sandboxes: SandboxOptions = {}, lines: string[] = []) =>
  DurableApp.open(new FileStore(join(dir, 'state.json')), { sandboxes }, (line) => lines.push(line));

/** A copy of the folder as it is now, the log not compacted: what a restart after a crash finds. */
function crashCopy(dir: string): string {
  const copy = folder();
  cpSync(dir, copy, { recursive: true });
  return copy;
}

const WALLET = '/api/v1/billing/wallet';
const READER = 'flowyte_sk_test_demo';

describe('the durable layer at its edges', () => {
  it('fires a limited fault on a HEAD request (main world and sandbox) and records the firing', async () => {
    const dir = folder();
    const durable = await open(dir);
    const call = send(durable);
    const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
    const prefixes = ['', `/_mock/sandboxes/${sandbox}`];
    for (const prefix of prefixes) {
      const fault = { path: WALLET, kind: 'status', status: 502, times: 2 };
      expect((await call('POST', `${prefix}/_mock/faults`, { json: fault })).status).toBe(201);
      // HEAD is a GET without the body: the fault fires on it as on the GET (was 503 "cannot save").
      expect((await call('HEAD', `${prefix}${WALLET}`, { bearer: READER })).status).toBe(502);
    }
    const copy = crashCopy(dir);
    await durable.close();
    const lines: string[] = [];
    const replayed = await open(copy, {}, lines);
    try {
      for (const prefix of prefixes) {
        const faults = (await send(replayed)('GET', `${prefix}/_mock/faults`)).body.faults;
        expect(faults.map((fault: { remaining: number }) => fault.remaining)).toEqual([1]);
      }
      expect(lines).toEqual([]);
    } finally {
      await replayed.close();
    }
  });

  it('replays sandbox creations as they were answered, whatever --max-sandboxes the restart has', async () => {
    const ids = (durable: DurableApp) =>
      send(durable)('GET', '/_mock/sandboxes').then((listed) =>
        listed.body.sandboxes.map((sandbox: { id: string }) => sandbox.id),
      );
    // A create refused at the cap changed nothing: a restart with room must not make a sandbox of it.
    const full = folder();
    const first = await open(full, { maxSandboxes: 1 });
    const made = (await send(first)('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
    expect((await send(first)('POST', '/_mock/sandboxes', { json: {} })).status).toBe(429);
    const roomy = await open(crashCopy(full), { maxSandboxes: 5 });
    // Two sandboxes that were made: a restart with a lower cap must not drop the second.
    const two = folder();
    const second = await open(two, { maxSandboxes: 2 });
    const both = [
      (await send(second)('POST', '/_mock/sandboxes', { json: {} })).body.id as string,
      (await send(second)('POST', '/_mock/sandboxes', { json: {} })).body.id as string,
    ];
    const lines: string[] = [];
    const lower = await open(crashCopy(two), { maxSandboxes: 1 }, lines);
    try {
      expect(await ids(roomy)).toEqual([made]);
      expect(await ids(lower)).toEqual(both);
      expect(lines).toEqual([]);
      // The cap still holds for new sandboxes: the restart with cap 1 holds 2 already.
      expect((await send(lower)('POST', '/_mock/sandboxes', { json: {} })).status).toBe(429);
    } finally {
      for (const durable of [first, roomy, second, lower]) await durable.close();
    }
  });

  it('keeps replayed records out of the request journal: it lists what this process answered', async () => {
    const dir = folder();
    const durable = await open(dir);
    const call = send(durable);
    const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
    const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };
    for (const prefix of ['', `/_mock/sandboxes/${sandbox}`]) {
      const path = `${prefix}/api/v1/reseller/credits/transfer`;
      expect((await call('POST', path, { bearer: 'rs_demo', json: transfer })).status).toBe(200);
      expect((await call('GET', `${prefix}/_mock/requests`)).body.requests).toHaveLength(1);
    }
    const replayed = await open(crashCopy(dir));
    try {
      // The journal is never saved; a replay that refilled it with part of the log (the records
      // since the last snapshot, answered by no one) would make counts and orders lie.
      for (const prefix of ['', `/_mock/sandboxes/${sandbox}`])
        expect((await send(replayed)('GET', `${prefix}/_mock/requests`)).body.requests).toEqual([]);
    } finally {
      await replayed.close();
      await durable.close();
    }
  });

  it('refuses a live write that arrives while a rollback replays an asynchronous record', async () => {
    // The tally family (test/mock/tally-family.ts) with a credential check that waits while `hold`
    // is set, as credit-send's JWT check waits for WebCrypto: the replay of its record pauses there.
    const pause: { hold?: Promise<void>; reached?: () => void } = {};
    const slowTally = defineFamily({
      ...tallyDefinition,
      authenticate(context) {
        const answer = tallyDefinition.authenticate(context);
        if (pause.hold === undefined || context.request.fromLog !== true) return answer;
        pause.reached?.();
        return pause.hold.then(() => answer);
      },
    });
    const dir = folder();
    const store = new FailOnce(new FileStore(join(dir, 'state.json')));
    const durable = await DurableApp.open(store, { families: [slowTally] }, () => undefined);
    const call = send(durable);
    const tallyKey = { 'x-tally-key': 'tally_demo' };
    expect((await call('POST', '/tally/v1/add', { headers: tallyKey, json: { amount: 1 } })).status).toBe(
      201,
    );
    const minutes = async (through: DurableCall) => {
      const state = await through('GET', '/_mock/state');
      return state.body.accounts.find((account: { id: string }) => account.id.includes('123')).balances;
    };
    const transfer = {
      bearer: 'wl_admin_demo',
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 5 },
    };
    let release: () => void = () => undefined;
    pause.hold = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reached = new Promise<void>((resolve) => {
      pause.reached = resolve;
    });
    // This write's commit fails: the app rolls back to the durable state by replaying the log,
    // and the replay of the tally record waits in its credential check.
    store.failNext = true;
    const failing = call('POST', '/api/white-label/transfer', transfer);
    await reached;
    // A write arriving now was taken for the record being replayed: answered 200, saved nowhere.
    const live = await call('POST', '/api/white-label/transfer', transfer);
    release();
    expect((await failing).status).toBe(503);
    expect(live.status).toBe(503);
    // What this process serves is what a restart finds (the failed write was written after all).
    const replayed = await DurableApp.open(
      new FileStore(join(crashCopy(dir), 'state.json')),
      { families: [slowTally] },
      () => undefined,
    );
    try {
      expect(await minutes(send(durable))).toEqual(await minutes(send(replayed)));
    } finally {
      await replayed.close();
      await durable.close();
    }
  });
});

describe('a snapshot that is no state', () => {
  it('is refused with a message naming what does not match, not a TypeError', () => {
    const notState = {} as unknown as LedgerSnapshot;
    expect(() => new MockApp({ snapshot: notState })).toThrow(/assets .* are not the families/);
  });
});
