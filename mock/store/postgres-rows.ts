import { readRecordBody, readWorldSnapshot } from './store-schema.js';
import { type OperationRecord, StoreOpenError, type WorldSnapshot } from './types.js';

/** A row of `ledgerline_operations` as `pg` returns it (`bigint` comes back as a string). */
export interface RecordRow {
  readonly world: string;
  readonly seq: string;
  readonly record: string;
}

/** A row of `ledgerline_snapshots`: one world's state. */
export interface SnapshotRow {
  readonly world: string;
  readonly seq: string;
  readonly snapshot: string;
}

/** A row of `ledgerline_worlds`: a world and the last record of its log. */
export interface WorldRow {
  readonly world: string;
  readonly seq: string;
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
  if (record.world !== row.world)
    throw new StoreOpenError(
      `record ${seq} of world ${row.world} says it belongs to world ${record.world}; the log cannot be replayed.`,
    );
  return { ...record, seq };
}

/** @throws StoreOpenError when the row is not a world's snapshot this server wrote. */
export function parseSnapshotRow(row: SnapshotRow, location: string): WorldSnapshot {
  const seq = Number(row.seq);
  let value: unknown;
  try {
    value = JSON.parse(row.snapshot);
  } catch {
    throw new StoreOpenError(
      `the snapshot of world ${row.world} at record ${seq} in ${location} is not JSON.`,
    );
  }
  // Only its shape as an object is checked here: MockApp's restore checks the whole world.
  const snapshot = readWorldSnapshot(value);
  if (snapshot === undefined)
    throw new StoreOpenError(
      `the snapshot of world ${row.world} at record ${seq} in ${location} is not a ledgerline world snapshot.`,
    );
  return { world: row.world, seq, snapshot };
}
