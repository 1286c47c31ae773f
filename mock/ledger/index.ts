/**
 * The ledger engine of the reference server: exact money, accounts, atomic double-entry
 * transactions, a queryable journal, idempotency records, one clock, snapshots and invariant
 * checks. Pure TypeScript, no HTTP: family handlers call it.
 */
export type {
  Account,
  AccountIdentifier,
  AccountKind,
  IdentifierKind,
  OpenAccountInput,
} from './accounts.js';
export {
  type AssetDefinition,
  AssetRegistry,
  FAMILIES,
  type Family,
  type FamilyAsset,
  isFamily,
} from './assets.js';
export {
  Clock,
  type ClockMode,
  type ClockOptions,
  type ClockState,
  DAY_MS,
  type MonthBoundaryListener,
  nextMonthStartMs,
  toEpochMs,
} from './clock.js';
export { isLedgerError, LedgerError, type LedgerErrorCode, type LedgerErrorDetails } from './errors.js';
export {
  type BeginResult,
  DEFAULT_ANONYMOUS_KEYS,
  DEFAULT_KEYS_PER_SCOPE,
  type IdempotencyOptions,
  type IdempotencyRecordState,
  IdempotencyStore,
  requestFingerprint,
  type StoredResponse,
} from './idempotency.js';
export { assertInvariants, checkInvariants, type InvariantViolation } from './invariants.js';
export type { JournalEntry, Posting } from './journal.js';
export type { JournalPage, JournalQuery } from './journal-query.js';
export { canonicalJson, type JsonObject, type JsonValue } from './json.js';
export {
  type BalanceChange,
  type CommitInput,
  type CommitResult,
  Ledger,
  type LedgerOptions,
} from './ledger.js';
export {
  AmountError,
  type AmountErrorCode,
  divCeil,
  divFloor,
  divHalfUp,
  formatAmount,
  formatAmountText,
  mulScaled,
  type ParseAmountOptions,
  parseAmount,
  pow10,
  rescale,
} from './money.js';
export {
  type LedgerSnapshot,
  type RestoreOptions,
  restoreSnapshot,
  type SnapshotAccount,
  type SnapshotEntry,
  type SnapshotPosting,
  takeSnapshot,
} from './snapshot.js';
