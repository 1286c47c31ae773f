import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStore } from '../../mock/store/file-store.js';
import { StoreUnavailableError, StoreWriteError } from '../../mock/store/types.js';
import { record, snapshot } from './file-store-records.js';
import { tempFolders } from './sandbox-support.js';

// A file store whose log cannot be written fails closed: the commits waiting on the failed group
// are refused with the system's reason, later ones with "cannot be written" (the server's 503),
// nothing of the failed group is kept, and a compaction of the durable state brings it back.

const folder = tempFolders('ll-log-failure-');

async function opened() {
  const path = join(folder(), 'state.json');
  const store = new FileStore(path);
  await store.open();
  await store.compact(snapshot(0));
  return { store, path, log: `${path}.log` };
}

const commitOne = (store: FileStore, n: number) => store.commit((context) => context.append(record(n)));
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as Error,
  );
const openFds = () => readdirSync('/proc/self/fd').length;

describe('a file store whose log cannot be written', () => {
  it('refuses the commits of the failed group, then every commit, with messages naming the file', async () => {
    const { store, path, log } = await opened();
    expect(await commitOne(store, 1)).toBe(1);
    expect(store.failed).toBe(false);
    // The log's folder entry is gone (the folder cleaned up under the server): writes would be lost.
    rmSync(log);
    const failed = await Promise.all([refusal(commitOne(store, 2)), refusal(commitOne(store, 3))]);
    for (const error of failed) {
      expect(error).toBeInstanceOf(StoreWriteError);
      expect(error?.message).toBe(`cannot write ${log}: ${log} was removed`);
    }
    expect(store.failed).toBe(true);
    // The failed group is dropped: the records count from the last durable one.
    expect(store.recordsSinceSnapshot).toBe(1);
    const later = await refusal(commitOne(store, 4));
    expect(later).toBeInstanceOf(StoreUnavailableError);
    expect(later?.message).toBe(`file ${path} cannot be written; writes resume when it can.`);
    // A refused commit does not run its section: nothing is applied that the log does not hold.
    let ran = false;
    const section = refusal(
      store.commit(() => {
        ran = true;
      }),
    );
    expect(await section).toBeInstanceOf(StoreUnavailableError);
    expect(ran).toBe(false);
    await store.close();
  });

  it('refuses the record of a section that was under way when the store failed', async () => {
    const { store, log } = await opened();
    let resume = () => {};
    const paused = new Promise<void>((resolve) => {
      resume = resolve;
    });
    const slow = refusal(
      store.commit(async (context) => {
        await paused;
        context.append(record(2));
      }),
    );
    rmSync(log);
    expect(await refusal(commitOne(store, 1))).toBeInstanceOf(StoreWriteError);
    resume();
    expect(await slow).toBeInstanceOf(StoreUnavailableError);
    expect(store.recordsSinceSnapshot).toBe(0);
    await store.close();
  });

  it('comes back when the durable state is compacted: a new snapshot and an empty log', async () => {
    const { store, path, log } = await opened();
    await commitOne(store, 1);
    // Replaced under the server: the store's file is no longer the one at the path.
    rmSync(log);
    writeFileSync(log, 'not a log\n');
    await refusal(commitOne(store, 2));
    // Only the durable state can be written back.
    expect((await refusal(store.compact(snapshot(2))))?.message).toBe(
      'FileStore.compact: recovery needs the durable state (record 1)',
    );
    await store.compact(snapshot(1));
    expect(store.failed).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8')).seq).toBe(1);
    expect(statSync(log).size).toBe(0);
    expect(await commitOne(store, 2)).toBe(2);
    expect(store.recordsSinceSnapshot).toBe(1);
    await store.close();
    const again = new FileStore(path);
    const contents = await again.open();
    expect(contents.snapshot?.seq).toBe(1);
    expect(contents.records.map((r) => [r.seq, r.body])).toEqual([[2, '{"n":2}']]);
    await again.close();
  });

  it('recovers from a compaction that failed with the log, leaving no previous log behind', async () => {
    const { store, path, log } = await opened();
    await commitOne(store, 1);
    // The compaction rotates at once and waits for record 2, whose write fails.
    const two = refusal(commitOne(store, 2));
    const compaction = refusal(store.compact(snapshot(2)));
    rmSync(log);
    expect(await two).toBeInstanceOf(StoreWriteError);
    expect(await compaction).toBeInstanceOf(StoreWriteError);
    expect(existsSync(`${log}.1`)).toBe(true);
    await store.compact(snapshot(1));
    expect(existsSync(`${log}.1`)).toBe(false);
    expect(await commitOne(store, 2)).toBe(2);
    // The next compaction rotates the log again: it holds nothing the snapshot holds.
    await store.compact(snapshot(2));
    expect(statSync(log).size).toBe(0);
    expect(await commitOne(store, 3)).toBe(3);
    await store.close();
    expect((await new FileStore(path).open()).records.map((r) => r.seq)).toEqual([3]);
  });

  it('closes every file it opened, through compactions, a failure and a recovery', async () => {
    const before = openFds();
    const { store, log } = await opened();
    await commitOne(store, 1);
    await store.compact(snapshot(1));
    await commitOne(store, 2);
    await store.compact(snapshot(2));
    rmSync(log);
    await refusal(commitOne(store, 3));
    await store.compact(snapshot(2));
    await commitOne(store, 3);
    // It fails again as it did the first time.
    rmSync(log);
    expect(await refusal(commitOne(store, 4))).toBeInstanceOf(StoreWriteError);
    await store.close();
    expect(openFds()).toBe(before);
  });
});

describe('a commit of the file store', () => {
  it('is refused with the error its section threw, appending nothing', async () => {
    const { store } = await opened();
    const error = await refusal(
      store.commit(() => {
        throw new RangeError('the section refused');
      }),
    );
    expect(error).toBeInstanceOf(RangeError);
    expect(error?.message).toBe('the section refused');
    expect(store.recordsSinceSnapshot).toBe(0);
    await store.close();
  });

  it('of an asynchronous section resolves once the record it appended after awaiting is in the log', async () => {
    const { store, log } = await opened();
    const value = await store.commit(async (context) => {
      await Promise.resolve();
      context.append(record(1));
      return 'done';
    });
    expect(value).toBe('done');
    expect(readFileSync(log, 'utf8')).toContain('{\\"n\\":1}');
    await store.close();
  });
});

describe('compacting the file store', () => {
  it('refuses a snapshot that is not of the last record, and a second compaction at once', async () => {
    const { store } = await opened();
    await commitOne(store, 1);
    await commitOne(store, 2);
    expect((await refusal(store.compact(snapshot(7))))?.message).toBe(
      'FileStore.compact: the snapshot holds record 7, the last is 2',
    );
    const first = store.compact(snapshot(2));
    expect((await refusal(store.compact(snapshot(2))))?.message).toBe(
      'FileStore.compact: one compaction at a time',
    );
    await first;
    // Once it finished, the next one runs.
    await store.compact(snapshot(2));
    await store.close();
  });
});
