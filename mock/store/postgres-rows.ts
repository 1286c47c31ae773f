import { readRecordBody, readStoreSnapshot } from './store-schema.js';
import { type OperationRecord, StoreOpenError, type StoreSnapshot } from './types.js';

/** A row of `ledgerline_operations` as `pg` returns it (`bigint` comes back as a string). */
export interface RecordRow {
  readonly seq: string;
  readonly record: string;
}

/** A row of `ledgerline_snapshots`. */
export interface SnapshotRow {
  readonly seq: string;
  readonly snapshot: string;
}

/**
 * A stored record: the row's `seq` and the record's JSON (everything but `seq`; kept as text, not
 * jsonb, because a body may hold `\u0000`, which jsonb refuses).
 * @throws StoreOpenError when the row is not a record this server wrote.
 */
export function parseRecordRow(row: RecordRow): OperationRecord {
  const seq = Number(row.seq);
  let value: unknown;
  try {
    value = JSON.parse(row.record);
  } catch {
    throw new StoreOpenError(`record ${seq} in the log is not JSON; the log cannot be replayed.`);
  }
  const record = readRecordBody(value);
  if (record === undefined)
    throw new StoreOpenError(
      `record ${seq} in the log is not an operation record; the log cannot be replayed.`,
    );
  return { ...record, seq };
}

/** @throws StoreOpenError when the row is not a snapshot this server wrote. */
export function parseSnapshotRow(row: SnapshotRow, location: string): StoreSnapshot {
  const seq = Number(row.seq);
  let value: unknown;
  try {
    value = JSON.parse(row.snapshot);
  } catch {
    throw new StoreOpenError(`the snapshot at record ${seq} in ${location} is not JSON.`);
  }
  const snapshot = readStoreSnapshot(value);
  const problem =
    typeof snapshot === 'string'
      ? snapshot
      : snapshot.seq !== seq
        ? `seq: ${snapshot.seq}, not the row's ${seq}`
        : '';
  if (typeof snapshot === 'string' || problem !== '')
    throw new StoreOpenError(
      `the snapshot at record ${seq} in ${location} is not a ledgerline-store version 1 snapshot with the main world (${problem}).`,
    );
  return snapshot;
}
