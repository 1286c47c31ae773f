import * as fs from 'node:fs';
import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { record, snapshot } from './file-store-records.js';
import { tempFolders } from './sandbox-support.js';

// Group commit of the file store: the commits queued while the log is busy share one write and one
// fdatasync, each commit resolves only once its own record is on disk, and the log holds the
// records in their order. The store's write and fdatasync are counted by wrapping node:fs's before
// the store's module loads (it binds them at load).

const calls = { write: 0, fdatasync: 0 };
const fsModule = fs as unknown as { default: Record<string, unknown> };
const original = { write: fs.write, fdatasync: fs.fdatasync };
const countedWrite = (...args: unknown[]) => {
  calls.write += 1;
  return (original.write as (...a: unknown[]) => void)(...args);
};
// fs.write resolves with { bytesWritten, buffer } under promisify through its own symbols: keep them.
for (const symbol of Object.getOwnPropertySymbols(fs.write))
  (countedWrite as unknown as Record<symbol, unknown>)[symbol] = (
    fs.write as unknown as Record<symbol, unknown>
  )[symbol];
fsModule.default.write = countedWrite;
// While `holding`, an fdatasync waits in `held` until the test lets it run: a group still syncing.
let holding = false;
const held: (() => void)[] = [];
fsModule.default.fdatasync = (...args: unknown[]) => {
  calls.fdatasync += 1;
  const run = () => (original.fdatasync as (...a: unknown[]) => void)(...args);
  if (holding) held.push(run);
  else run();
};
syncBuiltinESMExports();
const { FileStore } = await import('../../mock/store/file-store.js');

const folder = tempFolders('ll-group-commit-');

async function opened() {
  const path = join(folder(), 'state.json');
  const store = new FileStore(path);
  await store.open();
  await store.compact(snapshot(0));
  return { store, path, log: `${path}.log` };
}

const commitOne = (store: InstanceType<typeof FileStore>, n: number) =>
  store.commit((context) => context.append(record(n)));

/** The `n` of each record line in the log, in file order. */
const logged = (log: string) =>
  readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(JSON.parse(line.slice(9))[7]).n as number);

/** Lets I/O callbacks run until `check` holds (a bounded wait: a store that never gets there fails). */
async function until(check: () => boolean): Promise<void> {
  for (let turn = 0; !check(); turn += 1) {
    if (turn === 2_000) throw new Error('the store never got there');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('group commit of the file store', () => {
  it('carries the commits of one tick in one write and one fdatasync, in their order', async () => {
    const { store, log } = await opened();
    calls.write = calls.fdatasync = 0;
    const seqs = await Promise.all([1, 2, 3, 4].map((n) => commitOne(store, n)));
    expect(seqs).toEqual([1, 2, 3, 4]);
    expect(calls).toEqual({ write: 1, fdatasync: 1 });
    expect(logged(log)).toEqual([1, 2, 3, 4]);
    await store.close();
  });

  it('writes the commits made while a group syncs as the next group, each resolved once its own group is synced', async () => {
    const { store, log } = await opened();
    calls.write = calls.fdatasync = 0;
    const resolved: number[] = [];
    holding = true;
    onTestFinished(() => {
      holding = false;
      for (const run of held.splice(0)) run();
    });
    const first = commitOne(store, 1).then(() => resolved.push(1));
    await until(() => held.length === 1);
    const later = [2, 3].map((n) => commitOne(store, n).then(() => resolved.push(n)));
    // They wait for the group under way: no second write runs beside it.
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(calls.write).toBe(1);
    held.shift()?.();
    await until(() => held.length === 1);
    // Written but not yet synced: the later commits are not answered before their own fdatasync.
    expect(logged(log)).toEqual([1, 2, 3]);
    expect(resolved).toEqual([1]);
    holding = false;
    held.shift()?.();
    await Promise.all([first, ...later]);
    expect(resolved).toEqual([1, 2, 3]);
    expect(calls).toEqual({ write: 2, fdatasync: 2 });
    expect(store.recordsSinceSnapshot).toBe(3);
    await store.close();
  });

  it('close waits for the queued records, so a reopened store reads them', async () => {
    const { store, path } = await opened();
    const pending = [1, 2].map((n) => commitOne(store, n));
    await store.close();
    // A second close finds nothing left to close.
    await store.close();
    await Promise.all(pending);
    const again = new FileStore(path);
    expect((await again.open()).records.map((r) => r.seq)).toEqual([1, 2]);
    await again.close();
  });
});
