import { MAIN_WORLD, type OperationRecord, StoreOpenError, type StoreSnapshot } from './types.js';

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
  if (!isRecordBody(value))
    throw new StoreOpenError(
      `record ${seq} in the log is not an operation record; the log cannot be replayed.`,
    );
  return { ...value, seq };
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
  const snapshot = value as Partial<StoreSnapshot> | null;
  if (
    snapshot === null ||
    typeof snapshot !== 'object' ||
    snapshot.format !== 'ledgerline-store' ||
    snapshot.version !== 1 ||
    snapshot.seq !== seq ||
    typeof snapshot.worlds !== 'object' ||
    snapshot.worlds === null ||
    snapshot.worlds[MAIN_WORLD] === undefined
  )
    throw new StoreOpenError(
      `the snapshot at record ${seq} in ${location} is not a ledgerline-store version 1 snapshot with the main world.`,
    );
  return snapshot as StoreSnapshot;
}

function isRecordBody(value: unknown): value is Omit<OperationRecord, 'seq'> {
  if (value === null || typeof value !== 'object') return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.world === 'string' &&
    typeof record.receivedAtMs === 'number' &&
    typeof record.timeMs === 'number' &&
    typeof record.method === 'string' &&
    typeof record.target === 'string' &&
    typeof record.headers === 'object' &&
    record.headers !== null &&
    (record.body === null || typeof record.body === 'string') &&
    Array.isArray(record.random) &&
    (record.faults === undefined ||
      (Array.isArray(record.faults) && record.faults.every((id) => typeof id === 'string')))
  );
}
