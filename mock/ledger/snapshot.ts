import type { AccountIdentifier, AccountKind } from './accounts.js';
import type { AssetDefinition, Family } from './assets.js';
import { Clock, type ClockState, toEpochMs } from './clock.js';
import { LedgerError } from './errors.js';
import type { IdempotencyOptions, IdempotencyRecordState } from './idempotency.js';
import { freezeJson, type JsonObject } from './json.js';
import { internalsOf, Ledger } from './ledger.js';

/** An account in a snapshot; balances are integer strings of scaled units (exact, unlike JSON numbers). */
export interface SnapshotAccount {
  readonly id: string;
  readonly family: Family;
  readonly kind: AccountKind;
  readonly parent: string | null;
  readonly identifiers: readonly AccountIdentifier[];
  readonly balances: Readonly<Record<string, string>>;
}

/** A posting in a snapshot: `[debit, credit, asset, units]`. */
export type SnapshotPosting = readonly [string, string, string, string];

/** A journal entry in a snapshot: `[timeMs, family, operation, idempotencyKey, metadata, postings]`. */
export type SnapshotEntry = readonly [
  number,
  Family,
  string,
  string | null,
  JsonObject | null,
  readonly SnapshotPosting[],
];

/**
 * The whole engine state as plain JSON (`JSON.stringify` it as is). Entry ids are positions in
 * `journal` (id = index + 1), so they survive a round trip.
 */
export interface LedgerSnapshot {
  readonly format: 'ledgerline-ledger';
  readonly version: 1;
  readonly clock: ClockState;
  readonly assets: readonly AssetDefinition[];
  readonly accounts: readonly SnapshotAccount[];
  readonly journal: readonly SnapshotEntry[];
  readonly idempotency: {
    readonly ttlMs: number;
    readonly maxRecords: number;
    readonly records: readonly IdempotencyRecordState[];
  };
  /** Caller state that is not ledger state (tokens, settings), carried through unchanged. */
  readonly extensions: JsonObject;
}

/** Captures the ledger, its clock and idempotency records, plus the caller's `extensions`. */
export function takeSnapshot(ledger: Ledger, extensions: JsonObject = {}): LedgerSnapshot {
  const { accounts } = internalsOf(ledger);
  const journal: SnapshotEntry[] = [];
  for (let id = 1; id <= ledger.journalSize; id += 1) {
    const entry = ledger.entry(id);
    if (entry === undefined) break;
    const postings = entry.postings.map(
      (p): SnapshotPosting => [p.debit, p.credit, p.asset, p.amount.toString()],
    );
    journal.push([
      entry.timeMs,
      entry.family,
      entry.operation,
      entry.idempotencyKey,
      entry.metadata,
      postings,
    ]);
  }
  return {
    format: 'ledgerline-ledger',
    version: 1,
    clock: ledger.clock.state(),
    assets: ledger.assets.definitions(),
    accounts: accounts.all().map(({ account }) => {
      const balances: Record<string, string> = {};
      for (const [asset, units] of Object.entries(ledger.balances(account.id)))
        balances[asset] = units.toString();
      const { id, family, kind, parent, identifiers } = account;
      return { id, family, kind, parent, identifiers: identifiers.map((i) => ({ ...i })), balances };
    }),
    journal,
    idempotency: {
      ttlMs: ledger.idempotency.ttlMs,
      maxRecords: ledger.idempotency.maxRecords,
      records: ledger.idempotency.exportRecords(),
    },
    extensions: freezeJson(extensions),
  };
}

/** Options of {@link restoreSnapshot}. */
export interface RestoreOptions {
  /** Real-time source for a snapshot taken with a real clock (tests inject one). */
  readonly realNow?: () => number;
  /** Quotas of the process restoring (its options win over the ones the snapshot was taken with). */
  readonly idempotency?: Omit<IdempotencyOptions, 'ttlMs'>;
}

/**
 * Rebuilds a ledger from a snapshot (e.g. `JSON.parse` of a state file). The journal is replayed
 * through the normal checks and the resulting balances must equal the recorded ones, so a
 * damaged file is refused rather than half-loaded. Month-boundary listeners are not part of the
 * state: subscribe again on the new clock.
 *
 * @throws LedgerError `invalid_snapshot`.
 */
export function restoreSnapshot(
  snapshot: LedgerSnapshot,
  options: RestoreOptions = {},
): {
  ledger: Ledger;
  extensions: JsonObject;
} {
  if (snapshot?.format !== 'ledgerline-ledger' || snapshot.version !== 1) {
    throw new LedgerError('invalid_snapshot', 'not a ledgerline ledger snapshot (version 1)');
  }
  const missing = missingPart(snapshot);
  if (missing !== undefined)
    throw new LedgerError(
      'invalid_snapshot',
      `snapshot cannot be restored: ${missing}; restore a snapshot as takeSnapshot (or MockApp.snapshot) wrote it.`,
    );
  try {
    const { mode, nowMs } = snapshot.clock ?? {};
    if (mode !== 'real' && mode !== 'controlled')
      throw new Error(`clock.mode ${JSON.stringify(mode)} is not real or controlled`);
    if (typeof nowMs !== 'number') throw new Error(`clock.nowMs ${JSON.stringify(nowMs)} is not a number`);
    toEpochMs(nowMs);
    const clock = new Clock({
      mode: snapshot.clock.mode,
      nowMs: snapshot.clock.nowMs,
      ...(options.realNow === undefined ? {} : { realNow: options.realNow }),
    });
    const { ttlMs, maxRecords, records } = snapshot.idempotency;
    const ledger = new Ledger({
      clock,
      assets: snapshot.assets,
      idempotency: { ttlMs, maxRecords, ...options.idempotency },
    });
    for (const { id, family, kind, parent, identifiers } of snapshot.accounts) {
      ledger.openAccount({ id, family, kind, identifiers, ...(parent === null ? {} : { parent }) });
    }
    const { commitAt } = internalsOf(ledger);
    for (const [timeMs, family, operation, idempotencyKey, metadata, postings] of snapshot.journal) {
      const list = postings.map(([debit, credit, asset, units]) => ({
        debit,
        credit,
        asset,
        amount: BigInt(units),
      }));
      commitAt(timeMs, { family, operation, idempotencyKey, metadata, postings: list });
    }
    for (const account of snapshot.accounts) {
      for (const [asset, units] of Object.entries(account.balances)) {
        if (ledger.balance(account.id, asset) !== BigInt(units)) {
          throw new Error(`balance of ${account.id} ${asset} does not match its journal`);
        }
      }
    }
    ledger.idempotency.importRecords(records);
    return { ledger, extensions: freezeJson(snapshot.extensions) };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LedgerError('invalid_snapshot', `snapshot cannot be restored: ${reason}`);
  }
}

const SECTIONS = {
  clock: 'object',
  assets: 'array',
  accounts: 'array',
  journal: 'array',
  idempotency: 'object',
  extensions: 'object',
} as const;

const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;

/**
 * The first top-level part of `snapshot` that is absent or of the wrong kind, named for the reader
 * (`extensions is missing`); checked before anything is read, so a hand-edited or truncated file
 * gets that sentence instead of a TypeError from deep inside the restore.
 */
function missingPart(snapshot: LedgerSnapshot): string | undefined {
  const parts = snapshot as unknown as Record<string, unknown>;
  for (const [name, kind] of Object.entries(SECTIONS)) {
    const actual = kindOf(parts[name]);
    if (actual === 'undefined') return `${name} is missing (it must be an ${kind})`;
    if (actual !== kind) return `${name} is ${actual}, not an ${kind}`;
  }
  if (!Array.isArray(snapshot.idempotency.records))
    return 'idempotency.records is missing (it must be an array)';
  return undefined;
}
