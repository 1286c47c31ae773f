import {
  type Account,
  type AccountIdentifier,
  AccountRegistry,
  type IdentifierKind,
  type OpenAccountInput,
} from './accounts.js';
import { type AssetDefinition, AssetRegistry, type Family, isFamily } from './assets.js';
import { BalanceTable, isSafeBig } from './balances.js';
import { Clock } from './clock.js';
import { LedgerError } from './errors.js';
import { type IdempotencyOptions, IdempotencyStore } from './idempotency.js';
import { Journal, type JournalEntry, type Posting } from './journal.js';
import { type JournalPage, type JournalQuery, queryJournal } from './journal-query.js';
import { freezeJson, type JsonObject } from './json.js';
import {
  checkAmount,
  insufficientFunds,
  netDeltas,
  resolveAccount,
  resolveAsset,
  resolvePostings,
} from './transaction.js';

/** Input of {@link Ledger.commit}: one atomic transaction. */
export interface CommitInput {
  readonly family: Family;
  /** What the family did (`transfer`, `revert`, `usage`, `opening`...); recorded on the entry. */
  readonly operation: string;
  /** The request's Idempotency-Key, recorded for inspection (the store does the deduplication). */
  readonly idempotencyKey?: string | null;
  /** Family facts worth keeping on the entry (prices, references); deep-copied and frozen. */
  readonly metadata?: JsonObject | null;
  /** Applied all or nothing. An empty list records an event that moves nothing. */
  readonly postings: readonly Posting[];
}

/** How a transaction would change one balance. */
export interface BalanceChange {
  readonly accountId: string;
  readonly asset: string;
  readonly before: bigint;
  readonly after: bigint;
}

/** Non-throwing result of {@link Ledger.tryCommit}. */
export type CommitResult =
  | { readonly ok: true; readonly entry: JournalEntry }
  | { readonly ok: false; readonly error: LedgerError };

/** Options of a new ledger. */
export interface LedgerOptions {
  /** Default: a real clock. */
  readonly clock?: Clock;
  /**
   * The assets of every family, in a stable order (snapshots record it). The reference server's are
   * declared by its families (`FamilyRegistry.assets`; `BUILTIN_ASSETS` for the built-in ones).
   */
  readonly assets: readonly AssetDefinition[];
  readonly idempotency?: IdempotencyOptions;
}

/** Engine parts that snapshot and invariant code reads; not exported from the package. */
export interface LedgerInternals {
  readonly accounts: AccountRegistry;
  readonly balances: BalanceTable;
  readonly journal: Journal;
  /** Commits at a given time (restore replays recorded times). */
  commitAt(timeMs: number, input: CommitInput): JournalEntry;
}

let internals: (ledger: Ledger) => LedgerInternals;

/** @internal Engine parts for snapshot.ts and invariants.ts. */
export function internalsOf(ledger: Ledger): LedgerInternals {
  return internals(ledger);
}

/**
 * The double-entry ledger: accounts with per-asset balances, atomic transactions and an
 * immutable journal, on one clock and one idempotency store.
 *
 * Every check of a transaction runs before anything is applied, so a thrown {@link LedgerError}
 * means nothing changed. Balances of accounts of kind `system` may go negative; others never do.
 */
export class Ledger {
  readonly clock: Clock;
  readonly assets: AssetRegistry;
  readonly idempotency: IdempotencyStore;
  readonly #accounts = new AccountRegistry();
  readonly #balances = new BalanceTable();
  readonly #journal: Journal;
  #writes = 0;

  static {
    internals = (ledger) => ({
      accounts: ledger.#accounts,
      balances: ledger.#balances,
      journal: ledger.#journal,
      commitAt: (timeMs, input) => ledger.#commitAt(timeMs, input),
    });
  }

  constructor(options: LedgerOptions) {
    this.clock = options.clock ?? new Clock();
    this.assets = new AssetRegistry(options.assets);
    this.idempotency = new IdempotencyStore(this.clock, options.idempotency);
    this.#journal = new Journal(this.#accounts, this.assets);
  }

  /** Opens an account with zero balances. @throws LedgerError `account_exists`, `duplicate_identifier`, `unknown_account` (parent). */
  openAccount(input: OpenAccountInput): Account {
    const slots = this.assets.slotCount(input.family);
    const record = this.#accounts.open(input, this.#balances.allocate(0));
    this.#balances.allocate(slots);
    this.#writes += 1;
    return record.account;
  }

  /** Adds lookup identifiers to an account. @throws LedgerError `unknown_account`, `duplicate_identifier`. */
  addIdentifiers(accountId: string, identifiers: readonly AccountIdentifier[]): Account {
    const account = this.#accounts.addIdentifiers(accountId, identifiers);
    this.#writes += 1;
    return account;
  }

  /** Removes lookup identifiers from an account (a revoked token). @throws LedgerError `unknown_account`. */
  removeIdentifiers(accountId: string, identifiers: readonly AccountIdentifier[]): Account {
    const account = this.#accounts.removeIdentifiers(accountId, identifiers);
    this.#writes += 1;
    return account;
  }

  /**
   * Changes so far: accounts opened, identifiers added or removed, transactions committed, and the
   * idempotency store's (`IdempotencyStore.writes`). Equal before and after an operation, the
   * ledger did not change (a durable store then has nothing to record: mock/store).
   */
  get writes(): number {
    return this.#writes + this.idempotency.writes;
  }

  /** The account with this id, if any. */
  account(id: string): Account | undefined {
    return this.#accounts.get(id)?.account;
  }

  /** O(1) lookup by a family identifier: `findAccount('white-label', 'email', 'a@b.c', adminId)`. */
  findAccount(
    family: Family,
    kind: IdentifierKind,
    value: string | number,
    scope?: string,
  ): Account | undefined {
    return this.#accounts.find(family, kind, value, scope);
  }

  /** Every account, in opening order. */
  accounts(): Account[] {
    return this.#accounts.all().map((record) => record.account);
  }

  /** Balance in scaled units. @throws LedgerError `unknown_account`, `unknown_asset`. */
  balance(accountId: string, asset: string): bigint {
    const record = this.#accounts.require(accountId);
    const info = resolveAsset(this.assets, record.account.family, asset);
    return this.#balances.get(record.slotBase + info.slot);
  }

  /** Every balance of an account by asset name, in scaled units. */
  balances(accountId: string): Record<string, bigint> {
    const record = this.#accounts.require(accountId);
    const out: Record<string, bigint> = {};
    for (const info of this.assets.ofFamily(record.account.family)) {
      out[info.asset] = this.#balances.get(record.slotBase + info.slot);
    }
    return out;
  }

  /** Decimals of a family's asset. */
  scaleOf(family: Family, asset: string): number {
    return this.assets.scaleOf(family, asset);
  }

  /**
   * Applies a transaction atomically and journals it at the clock's time.
   * @throws LedgerError `insufficient_funds`, `unknown_account`, `unknown_asset`,
   *   `family_mismatch` or `invalid_posting`; nothing changed when it throws.
   */
  commit(input: CommitInput): JournalEntry {
    // Read the clock first: month-boundary listeners may commit, and must do so before this
    // transaction's checks read the balances.
    return this.#commitAt(this.clock.now(), input);
  }

  /** {@link commit} that returns ledger refusals instead of throwing them. */
  tryCommit(input: CommitInput): CommitResult {
    try {
      return { ok: true, entry: this.commit(input) };
    } catch (error) {
      if (error instanceof LedgerError) return { ok: false, error };
      throw error;
    }
  }

  /**
   * Checks a transaction exactly as {@link commit} would and returns the balance changes it
   * would make, changing nothing (the reseller's calculate endpoint).
   * @throws LedgerError as {@link commit}.
   */
  preview(input: Omit<CommitInput, 'idempotencyKey' | 'metadata'>): BalanceChange[] {
    const resolved = resolvePostings(this.#accounts, this.assets, input.family, input.postings);
    return netDeltas(resolved, this.#balances).map((change) => {
      const before = this.#balances.get(change.slot);
      return {
        accountId: change.record.account.id,
        asset: change.asset.asset,
        before,
        after: before + change.delta,
      };
    });
  }

  /** A page of journal entries, newest first unless `order: 'asc'`. @throws LedgerError `invalid_cursor`. */
  journal(query: JournalQuery = {}): JournalPage {
    return queryJournal(this.#journal, query);
  }

  /** The journal entry with this id, if any. */
  entry(id: number): JournalEntry | undefined {
    return Number.isInteger(id) && id >= 1 && id <= this.#journal.size
      ? this.#journal.entryAt(id - 1)
      : undefined;
  }

  /** Number of journal entries. */
  get journalSize(): number {
    return this.#journal.size;
  }

  #commitAt(timeMs: number, input: CommitInput): JournalEntry {
    const { family, operation, postings } = input;
    // A transaction without postings resolves no account or asset, so nothing else checks its family.
    if (!isFamily(family)) {
      throw new LedgerError('invalid_posting', `unknown family ${String(family)}`);
    }
    if (typeof operation !== 'string' || operation === '') {
      throw new LedgerError('invalid_posting', 'operation must be a non-empty string');
    }
    const key = input.idempotencyKey ?? null;
    const metadata = input.metadata == null ? null : freezeJson(input.metadata);
    const only = postings.length === 1 ? postings[0] : undefined;
    if (only !== undefined && isSafeBig(only.amount))
      this.#commitOne(timeMs, family, operation, key, metadata, only);
    else this.#commitMany(timeMs, family, operation, key, metadata, postings);
    this.#writes += 1;
    const copies = postings.map(({ debit, credit, asset, amount }) => ({ debit, credit, asset, amount }));
    return {
      id: this.#journal.size,
      timeMs,
      family,
      operation,
      idempotencyKey: key,
      metadata,
      postings: copies,
    };
  }

  /** The hot path: one posting whose amount is a safe integer, without a delta map. */
  #commitOne(
    timeMs: number,
    family: Family,
    operation: string,
    key: string | null,
    metadata: JsonObject | null,
    posting: Posting,
  ): void {
    const asset = resolveAsset(this.assets, family, posting.asset);
    const debit = resolveAccount(this.#accounts, family, posting.debit);
    const credit = resolveAccount(this.#accounts, family, posting.credit);
    if (debit === credit)
      throw new LedgerError('invalid_posting', `posting moves ${posting.debit} to itself`);
    checkAmount(posting.amount);
    const amount = Number(posting.amount);
    const debitSlot = debit.slotBase + asset.slot;
    if (debit.account.kind !== 'system') {
      const small = this.#balances.getSmall(debitSlot);
      const available = Number.isNaN(small) ? this.#balances.get(debitSlot) : small;
      if (available < amount) throw insufficientFunds(debit, asset, BigInt(available), posting.amount);
    }
    // The entry first: it may still be refused (too many operation names), the balances cannot.
    const entry = this.#journal.startEntry(timeMs, family, operation, key, metadata);
    this.#balances.addSmall(debitSlot, -amount);
    this.#balances.addSmall(credit.slotBase + asset.slot, amount);
    this.#journal.addSmallPosting(entry, debit.index, credit.index, asset.index, amount);
  }

  #commitMany(
    timeMs: number,
    family: Family,
    operation: string,
    key: string | null,
    metadata: JsonObject | null,
    postings: readonly Posting[],
  ): void {
    const resolved = resolvePostings(this.#accounts, this.assets, family, postings);
    const deltas = netDeltas(resolved, this.#balances);
    const entry = this.#journal.startEntry(timeMs, family, operation, key, metadata);
    for (const change of deltas) if (change.delta !== 0n) this.#balances.add(change.slot, change.delta);
    for (const p of resolved)
      this.#journal.addPosting(entry, p.debit.index, p.credit.index, p.asset.index, p.amount);
  }
}
