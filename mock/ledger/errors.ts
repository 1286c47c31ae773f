/** Why the ledger refused an operation. Nothing was changed when one of these is thrown. */
export type LedgerErrorCode =
  | 'insufficient_funds'
  | 'unknown_account'
  | 'unknown_asset'
  | 'family_mismatch'
  | 'invalid_posting'
  | 'account_exists'
  | 'duplicate_identifier'
  | 'invalid_cursor'
  | 'invalid_snapshot';

/** Facts a handler may need to build its family's error body. */
export interface LedgerErrorDetails {
  /** The account at fault (the one short of funds, unknown, or in another family). */
  readonly accountId?: string;
  /** Asset name within the family, e.g. `minutes`. */
  readonly asset?: string;
  /** `insufficient_funds`: balance before the transaction, in scaled units. */
  readonly available?: bigint;
  /** `insufficient_funds`: how much the transaction would take from the account, in scaled units. */
  readonly required?: bigint;
  /** `insufficient_funds`: decimals of the asset, to render `available` with `formatAmount`. */
  readonly scale?: number;
}

/**
 * A refused ledger operation. Typed by `code`; `insufficient_funds` carries the account, asset,
 * available and required amounts so each family can answer in its own error shape.
 */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  readonly accountId: string | undefined;
  readonly asset: string | undefined;
  readonly available: bigint | undefined;
  readonly required: bigint | undefined;
  readonly scale: number | undefined;

  constructor(
    readonly code: LedgerErrorCode,
    message: string,
    details: LedgerErrorDetails = {},
  ) {
    super(message);
    this.accountId = details.accountId;
    this.asset = details.asset;
    this.available = details.available;
    this.required = details.required;
    this.scale = details.scale;
  }
}

/** True when `error` is a {@link LedgerError}, optionally of one code. */
export function isLedgerError(error: unknown, code?: LedgerErrorCode): error is LedgerError {
  return error instanceof LedgerError && (code === undefined || error.code === code);
}
