import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { DamagedLogError, decodeSegment, encodeRecord, readFd } from './file-log.js';
import { parseStoreSnapshot } from './snapshot-file.js';
import {
  type NewOperationRecord,
  type OperationRecord,
  type OperationStore,
  type Section,
  type SectionContext,
  type StoreContents,
  StoreOpenError,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
} from './types.js';

const openFile = promisify(fs.open);
const closeFile = promisify(fs.close);
const writeFile = promisify(fs.write);
const syncData = promisify(fs.fdatasync);
const syncFile = promisify(fs.fsync);
const statFd = promisify(fs.fstat);
const truncateFd = promisify(fs.ftruncate);
// Captured at load: fake timers a test installs later must not hold commits back.
const afterIo = globalThis.setImmediate;

/** One log file: its descriptor and how many of its bytes are known durable. */
interface Segment {
  readonly fd: number;
  durableBytes: number;
  /** `false` until the folder entry of a new file was fsynced (its records are not durable before). */
  folderSynced: boolean;
}

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The `--state-file` store: the snapshot at `path` (JSON), the log of records after it at
 * `path.log`, and during a compaction the previous log at `path.log.1`. See mock/store/types.ts for
 * the contract and docs/reference-server.md ("Durability") for the promise it keeps.
 *
 * Group commit: `append` only queues a line; after the I/O phase one write and one fdatasync carry
 * every line queued in it, and the next group collects while that fsync runs. A commit resolves when
 * the records up to its last one are durable, so a commit costs O(its records), whatever the journal.
 */
export class FileStore implements OperationStore {
  readonly location: string;
  readonly #path: string;
  readonly #logPath: string;
  readonly #previousPath: string;
  readonly #tempPath: string;
  #current: Segment | undefined;
  #previous: Segment | undefined;
  #snapshotFd: number | undefined;
  #pending: string[] = [];
  #waiters: Waiter[] = [];
  #lastSeq = 0;
  #durableSeq = 0;
  #snapshotSeq = 0;
  #flushing = false;
  #scheduled = false;
  #failed = false;
  #compacting = false;
  readonly #context: SectionContext;

  constructor(path: string) {
    this.#path = path;
    this.#logPath = `${path}.log`;
    this.#previousPath = `${path}.log.1`;
    this.#tempPath = `${path}.tmp`;
    this.location = `file ${path}`;
    this.#context = { missed: [], append: (record) => this.#append(record) };
  }

  get failed(): boolean {
    return this.#failed;
  }

  get recordsSinceSnapshot(): number {
    return this.#lastSeq - this.#snapshotSeq;
  }

  async open(): Promise<StoreContents> {
    const folder = dirname(this.#path);
    const info = await fs.promises.stat(folder).catch(() => undefined);
    if (!info?.isDirectory())
      throw new StoreOpenError(
        `The folder ${folder} of the state file does not exist; create it or choose another --state-file.`,
      );
    await this.#removeTemporaries(folder);
    const warnings: string[] = [];
    const snapshot = await this.#openSnapshot();
    this.#previous = await this.#openSegment(this.#previousPath, 'r+', false);
    this.#current = (await this.#openSegment(this.#logPath, 'a+', true)) ?? {
      fd: await openFile(this.#logPath, 'a+'),
      durableBytes: 0,
      folderSynced: false,
    };
    const records: OperationRecord[] = [];
    const segments: [string, Segment | undefined][] = [
      [this.#previousPath, this.#previous],
      [this.#logPath, this.#current],
    ];
    for (const [index, [path, segment]] of segments.entries()) {
      if (segment === undefined) continue;
      const contents = await this.#decode(path, segment, segment.durableBytes);
      records.push(...contents.records);
      if (contents.torn === undefined) continue;
      const later = segments.slice(index + 1).some(([, next]) => (next?.durableBytes ?? 0) > 0);
      if (later) throw new StoreOpenError(`${path}: ${contents.torn}, and later records follow it.`);
      warnings.push(`${path}: ignored a torn last record (${contents.torn}); it was never answered.`);
      await truncateFd(segment.fd, contents.validBytes);
      segment.durableBytes = contents.validBytes;
    }
    const since = snapshot?.seq ?? 0;
    const after = records.filter((record) => record.seq > since);
    after.forEach((record, i) => {
      if (record.seq !== since + i + 1)
        throw new StoreOpenError(
          `${this.#logPath}: record ${since + i + 1} is missing (found ${record.seq}); the log cannot be replayed.`,
        );
    });
    if (snapshot === null && after.length > 0)
      throw new StoreOpenError(`${this.#logPath} has records but ${this.#path} (the snapshot) is missing.`);
    this.#snapshotSeq = since;
    this.#lastSeq = this.#durableSeq = since + after.length;
    return { snapshot, records: after, warnings };
  }

  commit<T>(section: Section<T>): Promise<T> {
    if (this.#failed) return Promise.reject(this.#unavailable());
    let result: T | Promise<T>;
    try {
      result = section(this.#context);
    } catch (error) {
      return Promise.reject(error);
    }
    if (result instanceof Promise) return result.then((value) => this.#whenDurable(this.#lastSeq, value));
    return this.#whenDurable(this.#lastSeq, result);
  }

  async compact(snapshot: StoreSnapshot): Promise<void> {
    if (this.#compacting) throw new Error('FileStore.compact: one compaction at a time');
    if (snapshot.seq !== this.#lastSeq && !this.#failed)
      throw new Error(
        `FileStore.compact: the snapshot holds record ${snapshot.seq}, the last is ${this.#lastSeq}`,
      );
    this.#compacting = true;
    try {
      const text = JSON.stringify(snapshot);
      if (this.#failed) await this.#recover(snapshot.seq, text);
      else await this.#compactHealthy(snapshot.seq, text);
    } finally {
      this.#compacting = false;
    }
  }

  async reload(): Promise<StoreContents> {
    const snapshot =
      this.#snapshotFd === undefined
        ? null
        : parseStoreSnapshot(this.#path, (await readFd(this.#snapshotFd)).toString('utf8'));
    const records: OperationRecord[] = [];
    for (const segment of [this.#previous, this.#current]) {
      if (segment === undefined) continue;
      records.push(...(await this.#decode(this.#logPath, segment, segment.durableBytes)).records);
    }
    const since = snapshot?.seq ?? 0;
    return {
      snapshot,
      records: records.filter((record) => record.seq > since && record.seq <= this.#durableSeq),
      warnings: [],
    };
  }

  async close(): Promise<void> {
    await this.#whenDurable(this.#lastSeq, undefined).catch(() => undefined);
    for (const fd of [this.#current?.fd, this.#previous?.fd, this.#snapshotFd])
      if (fd !== undefined) await closeFile(fd).catch(() => undefined);
    this.#current = this.#previous = this.#snapshotFd = undefined;
  }

  #append(record: NewOperationRecord): number {
    if (this.#failed) throw this.#unavailable();
    this.#lastSeq += 1;
    this.#pending.push(encodeRecord(this.#lastSeq, record));
    if (!this.#scheduled && !this.#flushing) {
      this.#scheduled = true;
      afterIo(this.#flush);
    }
    return this.#lastSeq;
  }

  #whenDurable<T>(seq: number, value: T): Promise<T> {
    if (seq <= this.#durableSeq) return Promise.resolve(value);
    return new Promise<T>((resolve, reject) => {
      this.#waiters.push({ seq, resolve: () => resolve(value), reject });
    });
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const segment = this.#current;
    if (this.#pending.length === 0 || this.#failed || segment === undefined) return;
    this.#flushing = true;
    const data = Buffer.from(this.#pending.join(''), 'utf8');
    const upTo = this.#lastSeq;
    this.#pending = [];
    this.#write(segment, data).then(
      () => {
        segment.durableBytes += data.length;
        this.#durableSeq = upTo;
        this.#settle();
        this.#flushing = false;
        if (this.#pending.length > 0) this.#flush();
      },
      (error: unknown) => {
        this.#flushing = false;
        this.#fail(segment, error);
      },
    );
  };

  async #write(segment: Segment, data: Buffer): Promise<void> {
    // An unlinked log (its folder removed) still takes writes that no restart will ever read.
    // Synchronous: fstat of an open file reads its in-memory inode (about 3 us), where a trip
    // through the thread pool per group, beside the write's and the fdatasync's, cost 25 to 70 us
    // of CPU and 40 to 100 us of latency on the bench machine.
    if (fs.fstatSync(segment.fd).nlink === 0) throw new Error(`${this.#logPath} was removed`);
    if (!segment.folderSynced) {
      await this.#syncFolder();
      segment.folderSynced = true;
    }
    let written = 0;
    while (written < data.length)
      written += (await writeFile(segment.fd, data, written, data.length - written, null)).bytesWritten;
    await syncData(segment.fd);
  }

  #settle(): void {
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) {
      if (waiter.seq <= this.#durableSeq) waiter.resolve();
      else this.#waiters.push(waiter);
    }
  }

  /** Fails closed: nothing queued becomes durable, every waiting commit is refused. */
  #fail(segment: Segment, cause: unknown): void {
    this.#failed = true;
    this.#pending = [];
    this.#lastSeq = this.#durableSeq;
    // Best effort: cut a partly written group, so no unanswered record survives a restart.
    fs.ftruncate(segment.fd, segment.durableBytes, () => undefined);
    const reason = cause instanceof Error ? cause.message : String(cause);
    const error = new StoreWriteError(`cannot write ${this.#logPath}: ${reason}`, { cause });
    const waiting = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiting) waiter.reject(error);
  }

  #unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(`${this.location} cannot be written; writes resume when it can.`);
  }

  async #compactHealthy(seq: number, text: string): Promise<void> {
    // Rotate in the same tick the snapshot was taken: `.log.1` then holds only records <= seq, and
    // every later record goes to the new `.log`.
    if (this.#previous === undefined) {
      fs.renameSync(this.#logPath, this.#previousPath);
      this.#previous = this.#current;
      this.#current = { fd: fs.openSync(this.#logPath, 'a+'), durableBytes: 0, folderSynced: false };
    }
    await this.#whenDurable(seq, undefined);
    await this.#writeSnapshot(text);
    const previous = this.#previous;
    this.#previous = undefined;
    if (previous !== undefined) {
      await closeFile(previous.fd).catch(() => undefined);
      await fs.promises.rm(this.#previousPath, { force: true });
    }
    this.#snapshotSeq = seq;
  }

  /** A failed store comes back by writing the whole (reloaded) state and starting an empty log. */
  async #recover(seq: number, text: string): Promise<void> {
    if (seq !== this.#durableSeq)
      throw new Error(`FileStore.compact: recovery needs the durable state (record ${this.#durableSeq})`);
    await this.#writeSnapshot(text);
    const fd = await openFile(this.#logPath, 'w+');
    for (const segment of [this.#current, this.#previous])
      if (segment !== undefined) await closeFile(segment.fd).catch(() => undefined);
    await fs.promises.rm(this.#previousPath, { force: true });
    this.#current = { fd, durableBytes: 0, folderSynced: false };
    this.#previous = undefined;
    this.#snapshotSeq = this.#lastSeq = this.#durableSeq = seq;
    this.#failed = false;
  }

  async #writeSnapshot(text: string): Promise<void> {
    const fd = await openFile(this.#tempPath, 'w');
    try {
      await writeFile(fd, text, null, 'utf8');
      await syncFile(fd);
    } finally {
      await closeFile(fd);
    }
    try {
      await fs.promises.rename(this.#tempPath, this.#path);
    } catch (error) {
      await fs.promises.rm(this.#tempPath, { force: true });
      throw error;
    }
    await this.#syncFolder();
    const snapshotFd = await openFile(this.#path, 'r');
    if (this.#snapshotFd !== undefined) await closeFile(this.#snapshotFd).catch(() => undefined);
    this.#snapshotFd = snapshotFd;
  }

  async #syncFolder(): Promise<void> {
    const fd = await openFile(dirname(this.#path), 'r');
    try {
      await syncFile(fd);
    } finally {
      await closeFile(fd);
    }
  }

  async #openSnapshot(): Promise<StoreSnapshot | null> {
    const fd = await openFile(this.#path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new StoreOpenError(`cannot read the state file ${this.#path}: ${error.message}`);
    });
    if (fd === undefined) return null;
    this.#snapshotFd = fd;
    return parseStoreSnapshot(this.#path, (await readFd(fd)).toString('utf8'));
  }

  async #openSegment(path: string, flags: string, synced: boolean): Promise<Segment | undefined> {
    const fd = await openFile(path, flags).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new StoreOpenError(`cannot open ${path}: ${error.message}`);
    });
    if (fd === undefined) return undefined;
    return { fd, durableBytes: (await statFd(fd)).size, folderSynced: synced };
  }

  async #decode(path: string, segment: Segment, bytes: number) {
    try {
      return decodeSegment(await readFd(segment.fd, bytes));
    } catch (error) {
      if (error instanceof DamagedLogError)
        throw new StoreOpenError(
          `${path}: ${error.message}; the log cannot be trusted past it (move the state files away to start afresh).`,
        );
      throw error;
    }
  }

  /** Temporary files of interrupted snapshot writes (this store's and the former `<file>.<pid>.tmp`). */
  async #removeTemporaries(folder: string): Promise<void> {
    const prefix = `${basename(this.#path)}.`;
    for (const name of await fs.promises.readdir(folder)) {
      if (name.startsWith(prefix) && name.endsWith('.tmp'))
        await fs.promises.rm(join(folder, name), { force: true });
    }
  }
}
