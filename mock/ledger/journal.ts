import type { AccountRegistry } from './accounts.js';
import { type AssetRegistry, FAMILIES, type Family } from './assets.js';
import { isSafeBig } from './balances.js';
import { Column, f64Column, u32Column } from './columns.js';
import type { JsonObject } from './json.js';

/** One movement: `amount` leaves the `debit` account and arrives in the `credit` account. */
export interface Posting {
  /** Account id whose balance decreases. */
  readonly debit: string;
  /** Account id whose balance increases. */
  readonly credit: string;
  /** Asset name within the entry's family (`minutes`, `credits`, `usd`). */
  readonly asset: string;
  /** Scaled units of the asset, > 0. */
  readonly amount: bigint;
}

/**
 * A committed transaction. Entries are stored in compact columns and never change; every read
 * builds a fresh object, so changing one cannot alter the journal.
 */
export interface JournalEntry {
  /** 1, 2, 3... in commit order; stable across snapshots. */
  readonly id: number;
  /** Clock time of the commit, epoch ms. */
  readonly timeMs: number;
  readonly family: Family;
  /** What the family did, e.g. `transfer`, `revert`, `opening`. */
  readonly operation: string;
  readonly idempotencyKey: string | null;
  readonly metadata: JsonObject | null;
  readonly postings: readonly Posting[];
}

/**
 * Columnar, append-only journal with per-family and per-account entry indexes. Queries live in
 * journal-query.ts; the fields are public for it and for snapshots, not for handlers.
 */
export class Journal {
  readonly timeMs = f64Column(1024);
  readonly family = new Column(Uint8Array, 1024);
  readonly operation = new Column(Uint16Array, 1024);
  readonly firstPosting = u32Column(1024);
  readonly debit = u32Column(1024);
  readonly credit = u32Column(1024);
  readonly asset = new Column(Uint8Array, 1024);
  /** Amounts that are safe integers; NaN where the amount lives in {@link bigAmounts}. */
  readonly amount = f64Column(1024);
  readonly bigAmounts = new Map<number, bigint>();
  // Sparse: most entries carry no key, and a Map costs nothing for the ones that do not.
  readonly keys = new Map<number, string>();
  // Dense, one slot per entry: most family entries carry metadata, and appending to an array is
  // cheaper than inserting into a hash map of a million entries (bench: server).
  readonly metadata: (JsonObject | null)[] = [];
  readonly byFamily: Column<Uint32Array>[] = FAMILIES.map(() => u32Column(1024));
  readonly byAccount: Column<Uint32Array>[] = [];
  readonly operations: string[] = [];
  readonly #operationIndex = new Map<string, number>();

  constructor(
    readonly accounts: AccountRegistry,
    readonly assets: AssetRegistry,
  ) {}

  get size(): number {
    return this.timeMs.length;
  }

  /**
   * Starts an entry; postings follow through {@link addPosting}. Returns the entry index.
   * @throws RangeError when `operation` would be the 65537th distinct operation name; nothing changed then.
   */
  startEntry(
    timeMs: number,
    family: Family,
    operation: string,
    key: string | null,
    meta: JsonObject | null,
  ): number {
    // The one check that can fail comes before the first push, so a refused entry leaves no column longer than the others.
    const operationIndex = this.#internOperation(operation);
    const index = this.timeMs.length;
    const familyIndex = FAMILIES.indexOf(family);
    this.timeMs.push(timeMs);
    this.family.push(familyIndex);
    this.operation.push(operationIndex);
    this.firstPosting.push(this.debit.length);
    if (key !== null) this.keys.set(index, key);
    this.metadata.push(meta);
    this.byFamily[familyIndex]?.push(index);
    return index;
  }

  /** Appends a posting by compact indexes to entry `entry` (the last one started). */
  addPosting(entry: number, debit: number, credit: number, asset: number, amount: bigint): void {
    const position = this.debit.length;
    this.debit.push(debit);
    this.credit.push(credit);
    this.asset.push(asset);
    if (isSafeBig(amount)) {
      this.amount.push(Number(amount));
    } else {
      this.amount.push(Number.NaN);
      this.bigAmounts.set(position, amount);
    }
    this.#indexAccount(debit, entry);
    this.#indexAccount(credit, entry);
  }

  /** Fast path of {@link addPosting} for an amount already known to be a safe integer. */
  addSmallPosting(entry: number, debit: number, credit: number, asset: number, amount: number): void {
    this.debit.push(debit);
    this.credit.push(credit);
    this.asset.push(asset);
    this.amount.push(amount);
    this.#indexAccount(debit, entry);
    this.#indexAccount(credit, entry);
  }

  /** Posting `position`'s amount in scaled units. */
  amountAt(position: number): bigint {
    const small = this.amount.data[position] ?? 0;
    return Number.isNaN(small) ? (this.bigAmounts.get(position) ?? 0n) : BigInt(small);
  }

  /** Posting positions `[start, end)` of entry `index`. */
  postingRange(index: number): [number, number] {
    const start = this.firstPosting.at(index);
    const end = index + 1 < this.size ? this.firstPosting.at(index + 1) : this.debit.length;
    return [start, end];
  }

  /** The entry at `index` (0-based; its id is index + 1) as a fresh object. */
  entryAt(index: number): JournalEntry {
    const [start, end] = this.postingRange(index);
    const postings: Posting[] = [];
    for (let p = start; p < end; p += 1) {
      postings.push({
        debit: this.accounts.at(this.debit.at(p)).account.id,
        credit: this.accounts.at(this.credit.at(p)).account.id,
        asset: this.assets.at(this.asset.at(p)).asset,
        amount: this.amountAt(p),
      });
    }
    return {
      id: index + 1,
      timeMs: this.timeMs.at(index),
      family: FAMILIES[this.family.at(index)] ?? 'white-label',
      operation: this.operations[this.operation.at(index)] ?? '',
      idempotencyKey: this.keys.get(index) ?? null,
      metadata: this.metadata[index] ?? null,
      postings,
    };
  }

  #indexAccount(account: number, entry: number): void {
    let list = this.byAccount[account];
    if (list === undefined) {
      list = u32Column(4);
      this.byAccount[account] = list;
    }
    // An entry touching an account in several postings is listed once.
    if (list.last() !== entry) list.push(entry);
  }

  #internOperation(operation: string): number {
    let index = this.#operationIndex.get(operation);
    if (index === undefined) {
      index = this.operations.length;
      if (index > 0xffff) throw new RangeError('more than 65536 distinct operation names');
      this.operations.push(operation);
      this.#operationIndex.set(operation, index);
    }
    return index;
  }
}
