/** The idempotency store as the property model sees it: records in insertion order. */
import type { StoredResponse } from '../../mock/ledger/index.js';

export interface ModelRecord {
  readonly id: string;
  readonly scope: string;
  readonly body: string;
  readonly createdAtMs: number;
  readonly response: StoredResponse;
}

export const TTL_MS = 24 * 60 * 60 * 1000;

export interface ModelQuota {
  /** Unexpired keys in the whole store. */
  readonly maxRecords: number;
  /** Unexpired keys of one credential (scope). */
  readonly maxRecordsPerScope: number;
}

export type OverQuota = {
  readonly kind: 'over_quota';
  readonly limit: number;
  readonly scope: 'credential' | 'server';
};

/**
 * Mirrors the store's quota: expired records go; a new key is refused when its credential
 * or the whole store is at its quota, and nothing is ever evicted to make room. Returns the refusal,
 * or `undefined` after appending `record`.
 */
export function claimRecord(
  records: ModelRecord[],
  record: ModelRecord,
  nowMs: number,
  quota: ModelQuota,
): OverQuota | undefined {
  for (let index = records.length - 1; index >= 0; index -= 1) {
    const candidate = records[index];
    if (candidate !== undefined && (candidate.id === record.id || nowMs - candidate.createdAtMs >= TTL_MS))
      records.splice(index, 1);
  }
  const inScope = records.filter((r) => r.scope === record.scope).length;
  if (inScope >= quota.maxRecordsPerScope)
    return { kind: 'over_quota', limit: quota.maxRecordsPerScope, scope: 'credential' };
  if (records.length >= quota.maxRecords)
    return { kind: 'over_quota', limit: quota.maxRecords, scope: 'server' };
  records.push(record);
  return undefined;
}
