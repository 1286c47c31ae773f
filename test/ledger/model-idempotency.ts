/** The idempotency store as the property model sees it: records in insertion order. */
import type { StoredResponse } from '../../mock/ledger/index.js';

export interface ModelRecord {
  readonly id: string;
  readonly body: string;
  readonly createdAtMs: number;
  readonly response: StoredResponse;
}

export const TTL_MS = 24 * 60 * 60 * 1000;

/** Mirrors the store's eviction: drop expired or (when full) oldest records, then append. */
export function insertRecord(
  records: ModelRecord[],
  record: ModelRecord,
  nowMs: number,
  maxRecords: number,
): void {
  const stale = records.findIndex((r) => r.id === record.id);
  if (stale >= 0) records.splice(stale, 1);
  while (records.length > 0) {
    const oldest = records[0];
    if (oldest === undefined || (records.length < maxRecords && nowMs - oldest.createdAtMs < TTL_MS)) break;
    records.shift();
  }
  records.push(record);
}
