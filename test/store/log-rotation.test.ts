import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../mock/store/file-log.js';
import { FileStore } from '../../mock/store/file-store.js';
import { StoreOpenError } from '../../mock/store/types.js';
import { record, snapshot } from './file-store-records.js';
import { tempFolders } from './sandbox-support.js';

// A compaction rotates the log (`.log` becomes `.log.1`, later records go to a new `.log`), writes
// the snapshot, then drops `.log.1`. A crash can leave any step's files; opening (and reloading)
// reads them as one log: the records after the snapshot, whichever file holds them.

const folder = tempFolders('ll-log-rotation-');

const lines = (...ns: number[]) => ns.map((n) => encodeRecord(n, record(n))).join('');

/** A folder holding a snapshot at `seq`, `.log.1` with `previous` and `.log` with `current`. */
function files(seq: number, previous: string | undefined, current: string): string {
  const path = join(folder(), 'state.json');
  writeFileSync(path, JSON.stringify(snapshot(seq)));
  if (previous !== undefined) writeFileSync(`${path}.log.1`, previous);
  writeFileSync(`${path}.log`, current);
  return path;
}

const seqs = (contents: { readonly records: readonly { seq: number }[] }) =>
  contents.records.map((r) => r.seq);

describe('the rotated log of the file store', () => {
  it('reads a rotation the snapshot did not follow as one log, previous records first', async () => {
    const path = files(0, lines(1, 2), lines(3));
    const before = readdirSync('/proc/self/fd').length;
    const store = new FileStore(path);
    expect(seqs(await store.open())).toEqual([1, 2, 3]);
    expect(seqs(await store.reload())).toEqual([1, 2, 3]);
    expect(await store.commit((context) => context.append(record(4)))).toBe(4);
    // The compaction finishes the interrupted one: no second rotation, both logs gone into the snapshot.
    await store.compact(snapshot(4));
    expect(existsSync(`${path}.log.1`)).toBe(false);
    await store.close();
    expect(readdirSync('/proc/self/fd').length).toBe(before);
  });

  it('passes over the records the snapshot holds when the previous log was not yet removed', async () => {
    const path = files(2, lines(1, 2), lines(3));
    const store = new FileStore(path);
    const contents = await store.open();
    expect(contents.snapshot?.seq).toBe(2);
    expect(seqs(contents)).toEqual([3]);
    expect(store.recordsSinceSnapshot).toBe(1);
    const reloaded = await store.reload();
    expect(reloaded.snapshot?.seq).toBe(2);
    expect(seqs(reloaded)).toEqual([3]);
    expect(reloaded.warnings).toEqual([]);
    await store.close();
  });

  it('refuses a torn record in the previous log when the new log has records after it', async () => {
    const torn = lines(3).slice(0, 20);
    const path = files(0, lines(1, 2) + torn, lines(3));
    const error = await new FileStore(path).open().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(
      `${path}.log.1: record on line 3 has no line end, and later records follow it.`,
    );
  });

  it('cuts a torn last record of the previous log when the new log is empty', async () => {
    const whole = lines(1, 2);
    const path = files(0, whole + lines(3).slice(0, 20), '');
    const store = new FileStore(path);
    const contents = await store.open();
    expect(seqs(contents)).toEqual([1, 2]);
    expect(contents.warnings).toEqual([
      `${path}.log.1: ignored a torn last record (record on line 3 has no line end); it was never answered.`,
    ]);
    expect(statSync(`${path}.log.1`).size).toBe(Buffer.byteLength(whole));
    await store.close();
  });

  it('sends the records committed during a compaction to the new log, and drops the previous one', async () => {
    const path = join(folder(), 'state.json');
    const store = new FileStore(path);
    await store.open();
    await store.compact(snapshot(0));
    for (const n of [1, 2]) await store.commit((context) => context.append(record(n)));
    const compaction = store.compact(snapshot(2));
    const three = store.commit((context) => context.append(record(3)));
    await Promise.all([compaction, three]);
    expect(existsSync(`${path}.log.1`)).toBe(false);
    expect(JSON.parse(readFileSync(path, 'utf8')).seq).toBe(2);
    expect(readFileSync(`${path}.log`, 'utf8')).toBe(lines(3));
    expect(store.recordsSinceSnapshot).toBe(1);
    await store.close();
    const again = new FileStore(path);
    expect(seqs(await again.open())).toEqual([3]);
    await again.close();
  });

  it('reloads without a snapshot as the records from the first', async () => {
    const path = join(folder(), 'state.json');
    const store = new FileStore(path);
    await store.open();
    await store.commit((context) => context.append(record(1)));
    const reloaded = await store.reload();
    expect(reloaded.snapshot).toBe(null);
    expect(seqs(reloaded)).toEqual([1]);
    await store.close();
  });

  it('refuses a state file or log it cannot open, naming it and the reason', async () => {
    const dir = folder();
    const path = join(dir, 'state.json');
    // A link to itself: opening it fails with ELOOP (not "missing", which starts afresh).
    symlinkSync(path, path);
    const snapshotError = await new FileStore(path).open().catch((e: unknown) => e);
    expect(snapshotError).toBeInstanceOf(StoreOpenError);
    expect((snapshotError as Error).message).toMatch(
      new RegExp(`^cannot read the state file ${path}: ELOOP`),
    );
    const other = join(folder(), 'state.json');
    symlinkSync(`${other}.log.1`, `${other}.log.1`);
    const logError = await new FileStore(other).open().catch((e: unknown) => e);
    expect(logError).toBeInstanceOf(StoreOpenError);
    expect((logError as Error).message).toMatch(new RegExp(`^cannot open ${other}.log.1: ELOOP`));
  });
});
