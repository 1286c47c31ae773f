import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { MockAppOptions } from '../../mock/app.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { freshSchema } from './postgres-support.js';
import { type DurableCall, send, tempFolders } from './sandbox-support.js';

// A reset with no seed (and a new sandbox with none) starts from the seed the world was made with.
// That seed is part of the state a durable store keeps: a restart, or a replica started with
// another --seed, resets to the same books as the process that made the world.

const demo = JSON.parse(readFileSync(join(import.meta.dirname, '../../mock/seeds/demo.json'), 'utf8'));
/** The demo seed without its billing section: a seed whose accounts tell it apart from the demo's. */
const { billing: _billing, ...noBilling } = demo;
const folder = tempFolders('ll-start-seed-');
const schema = freshSchema();
const opened: DurableApp[] = [];

afterAll(async () => {
  await Promise.all(opened.map((durable) => durable.close()));
  await schema.drop();
});

async function open(
  store: FileStore | PostgresStore,
  options: Omit<MockAppOptions, 'gate' | 'snapshot'> = {},
) {
  const durable = await DurableApp.open(store, options, () => undefined);
  opened.push(durable);
  return send(durable);
}

/** The account ids of the main world or a sandbox, sorted. */
async function accounts(call: DurableCall, prefix = ''): Promise<string[]> {
  const state = await call('GET', `${prefix}/_mock/state`);
  expect(state.status).toBe(200);
  return state.body.accounts.map((account: { id: string }) => account.id).sort();
}

const hasBilling = (ids: string[]) => ids.some((id) => id.startsWith('billing:'));

describe('the startup seed in a durable store', () => {
  it("is kept with a sandbox's state: after a restart its reset still starts from its own seed", async () => {
    const dir = folder();
    const first = await open(new FileStore(join(dir, 'state.json')));
    const made = await first('POST', '/_mock/sandboxes', { json: { seed: noBilling } });
    const base = `/_mock/sandboxes/${made.body.id}`;
    expect(hasBilling(await accounts(first, base))).toBe(false);
    await Promise.all(opened.splice(0).map((durable) => durable.close()));

    const second = await open(new FileStore(join(dir, 'state.json')));
    expect((await second('POST', `${base}/_mock/reset`)).status).toBe(200);
    expect(hasBilling(await accounts(second, base))).toBe(false);
  });

  it('is the one the store was made with, on every replica, whatever seed each replica started with', async () => {
    const a = await open(new PostgresStore(schema.url), { seed: noBilling });
    const b = await open(new PostgresStore(schema.url));
    expect((await b('POST', '/_mock/reset')).status).toBe(200);
    expect(hasBilling(await accounts(b))).toBe(false);
    expect(await accounts(a)).toEqual(await accounts(b));
    // A sandbox made with no seed on either replica starts from the store's seed too.
    const made = await b('POST', '/_mock/sandboxes', { json: {} });
    expect(hasBilling(await accounts(a, `/_mock/sandboxes/${made.body.id}`))).toBe(false);
  });
});
