import { appendFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeRecord } from '../../mock/store/file-log.js';
import { FileStore } from '../../mock/store/file-store.js';
import { MAIN_WORLD, StoreOpenError } from '../../mock/store/types.js';
import { record, snapshot } from './file-store-records.js';
import { tempFolders } from './sandbox-support.js';

// What the file store does with the files it finds at start-up (`--state-file`): a crash's torn
// last record is cut off with a warning, and anything it cannot trust is refused with a
// StoreOpenError that names the file and what to do (the CLI exits 2 with it), changing nothing.

const folder = tempFolders('ll-file-open-');

/** A store in a new folder with a snapshot at record 0 and `count` records after it, closed. */
async function written(count: number): Promise<{ dir: string; path: string }> {
  const dir = folder();
  const path = join(dir, 'state.json');
  const store = new FileStore(path);
  await store.open();
  await store.compact(snapshot(0));
  for (let n = 1; n <= count; n += 1)
    await store.commit((context) => {
      context.append(record(n));
    });
  await store.close();
  return { dir, path };
}

const refusal = (path: string): Promise<unknown> =>
  new FileStore(path).open().catch((error: unknown) => error);

describe('opening a file store', () => {
  it('gives back the snapshot and the records after it, and continues their numbering', async () => {
    const { path } = await written(3);
    const store = new FileStore(path);
    const contents = await store.open();
    expect(contents.snapshot?.seq).toBe(0);
    expect(contents.records.map((r) => [r.seq, r.body])).toEqual([
      [1, '{"n":1}'],
      [2, '{"n":2}'],
      [3, '{"n":3}'],
    ]);
    expect(contents.warnings).toEqual([]);
    expect(store.recordsSinceSnapshot).toBe(3);
    await store.commit((context) => expect(context.append(record(4))).toBe(4));
    await store.close();
  });

  it('cuts off a torn last record with a warning, so the next record follows the last whole one', async () => {
    const { path } = await written(2);
    const log = `${path}.log`;
    const whole = statSync(log).size;
    appendFileSync(log, encodeRecord(3, record(3)).slice(0, 20));
    const store = new FileStore(path);
    const contents = await store.open();
    expect(contents.records.map((r) => r.seq)).toEqual([1, 2]);
    expect(contents.warnings).toEqual([
      `${log}: ignored a torn last record (record on line 3 has no line end); it was never answered.`,
    ]);
    expect(statSync(log).size).toBe(whole);
    await store.commit((context) => expect(context.append(record(3))).toBe(3));
    await store.close();
    expect((await new FileStore(path).open()).records.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('refuses a log whose damaged record is followed by others, or that misses a record', async () => {
    const damaged = await written(2);
    const log = `${damaged.path}.log`;
    writeFileSync(log, readFileSync(log, 'utf8').replace('{\\"n\\":1}', '{\\"n\\":7}'));
    const error = await refusal(damaged.path);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(
      `${log}: record on line 1 fails its checksum; the log cannot be trusted past it (move the state files away to start afresh).`,
    );

    const gap = await written(1);
    appendFileSync(`${gap.path}.log`, encodeRecord(3, record(3)));
    expect(((await refusal(gap.path)) as Error).message).toBe(
      `${gap.path}.log: record 2 is missing (found 3); the log cannot be replayed.`,
    );
  });

  it('refuses records without the snapshot they follow', async () => {
    const { path } = await written(1);
    rmSync(path);
    const error = await refusal(path);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(`${path}.log has records but ${path} (the snapshot) is missing.`);
  });

  it('refuses a state file that is not JSON or not a snapshot it wrote, saying to move it away', async () => {
    const dir = folder();
    const path = join(dir, 'state.json');
    writeFileSync(path, '{"format":');
    expect(((await refusal(path)) as Error).message).toBe(
      `The state file ${path} is not valid JSON; move it away to start from the seed.`,
    );
    writeFileSync(path, JSON.stringify({ ...snapshot(0), seq: -1 }));
    const error = await refusal(path);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The state file ${path} is not a snapshot ledgerline-mock wrote \\(seq: .+\\); move it away`,
      ),
    );
    writeFileSync(path, JSON.stringify({ ...snapshot(0), worlds: {} }));
    expect(((await refusal(path)) as Error).message).toContain(`(worlds: needs the "${MAIN_WORLD}" world)`);
  });

  it('reads a state file written before the log existed as the main world at record 0', async () => {
    const dir = folder();
    const path = join(dir, 'state.json');
    const ledger = { format: 'ledgerline-ledger', version: 1, accounts: [] };
    writeFileSync(path, JSON.stringify(ledger));
    const store = new FileStore(path);
    const contents = await store.open();
    expect(contents.snapshot).toEqual({
      format: 'ledgerline-store',
      version: 1,
      seq: 0,
      takenAtMs: 0,
      worlds: { [MAIN_WORLD]: ledger },
    });
    await store.close();
  });

  it('refuses a folder that does not exist, naming it', async () => {
    const missing = join(folder(), 'nowhere');
    const error = await refusal(join(missing, 'state.json'));
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(
      `The folder ${missing} of the state file does not exist; create it or choose another --state-file.`,
    );
  });

  it('removes the temporary files of an interrupted snapshot write, and only those', async () => {
    const { dir, path } = await written(0);
    for (const name of ['state.json.tmp', 'state.json.4242.tmp', 'other.json.tmp', 'state.json.bak'])
      writeFileSync(join(dir, name), 'x');
    const store = new FileStore(path);
    await store.open();
    await store.close();
    expect(
      ['state.json.tmp', 'state.json.4242.tmp', 'other.json.tmp', 'state.json.bak'].map((name) =>
        existsSync(join(dir, name)),
      ),
    ).toEqual([false, false, true, true]);
  });
});
