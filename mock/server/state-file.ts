import { readFile, rename, writeFile } from 'node:fs/promises';
import type { MockApp } from '../app.js';
import type { LedgerSnapshot } from '../ledger/snapshot.js';

/** Writes are batched: at most one per this many ms, however busy the server is. */
const WRITE_DELAY_MS = 100;

/**
 * The `--state-file`: a JSON snapshot of the whole state, written atomically (temporary file, then
 * rename) so a crash mid-write leaves the previous state intact.
 */
export class StateFile {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {}

  /** The saved state, or `undefined` when the file does not exist yet. */
  async read(): Promise<LedgerSnapshot | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text) as LedgerSnapshot;
    } catch {
      throw new Error(`The state file ${this.path} is not valid JSON; move it away to start from the seed.`);
    }
  }

  schedule(app: MockApp): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#write(app);
    }, WRITE_DELAY_MS);
    this.#timer.unref();
  }

  /** Writes now (and waits for any write under way): used at shutdown. */
  async flush(app: MockApp): Promise<void> {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#write(app);
  }

  #write(app: MockApp): Promise<void> {
    // Writes are chained so two never race on the temporary file.
    this.#writing = this.#writing.then(async () => {
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, JSON.stringify(app.snapshot()));
      await rename(temporary, this.path);
    });
    return this.#writing;
  }
}
