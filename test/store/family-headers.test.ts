import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { tally } from '../mock/tally-family.js';
import { send, tempFolders } from './sandbox-support.js';

// A registered family with a credential header of its own (the tally's x-tally-key) under a durable
// store (found in review): the log kept only the built-in families' headers, so the family's writes
// were answered 201 and then "changed nothing when replayed" after a restart; they were lost.

const folder = tempFolders('ll-family-headers-');

const TALLY_KEY = { 'x-tally-key': 'tally_demo' };

describe("a family's own credential header under a durable store", () => {
  it('is recorded with its writes, so a restart after a crash replays them (main world and sandbox)', async () => {
    const dir = folder();
    const lines: string[] = [];
    const open = (at: string) =>
      DurableApp.open(new FileStore(join(at, 'state.json')), { families: [tally] }, (line) =>
        lines.push(line),
      );
    const durable = await open(dir);
    const call = send(durable);
    const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
    const prefixes = ['', `/_mock/sandboxes/${sandbox}`];
    for (const prefix of prefixes) {
      const added = await call('POST', `${prefix}/tally/v1/add`, { headers: TALLY_KEY, json: { amount: 3 } });
      expect(added.status).toBe(201);
    }
    const copy = folder();
    cpSync(dir, copy, { recursive: true });
    const replayed = await open(copy);
    try {
      expect(lines).toEqual([]);
      for (const prefix of prefixes) {
        const count = await send(replayed)('GET', `${prefix}/tally/v1/count`, { headers: TALLY_KEY });
        expect(count.body).toEqual({ count: 3 });
      }
    } finally {
      await replayed.close();
      await durable.close();
    }
  });

  it('never records the admin token, even when a family names it', async () => {
    const dir = folder();
    const named = { ...tally, headers: [...tally.headers, 'x-mock-admin-token'] };
    const durable = await DurableApp.open(
      new FileStore(join(dir, 'state.json')),
      { families: [named], adminToken: 'secret-admin' },
      () => undefined,
    );
    try {
      const call = send(durable);
      const headers = { ...TALLY_KEY, 'x-mock-admin-token': 'secret-admin' };
      expect((await call('POST', '/tally/v1/add', { headers, json: { amount: 1 } })).status).toBe(201);
      // The log as it is now, before a clean stop compacts it away.
      const saved = readdirSync(dir).map((name) => readFileSync(join(dir, name), 'utf8'));
      expect(saved.join('\n')).toContain('"x-tally-key":"tally_demo"');
      expect(saved.join('\n')).not.toContain('secret-admin');
    } finally {
      await durable.close();
    }
  });
});
