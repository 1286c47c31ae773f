import { MAIN_WORLD, type NewOperationRecord, type StoreSnapshot } from '../../mock/store/types.js';

/** The `n`th record a test commits to a file store: a white-label transfer with `n` in its body. */
export function record(n: number): NewOperationRecord {
  return {
    world: MAIN_WORLD,
    receivedAtMs: 1_000 + n,
    timeMs: 2_000 + n,
    method: 'POST',
    target: '/api/white-label/transfer',
    headers: {},
    body: `{"n":${n}}`,
    random: [],
  };
}

/** A snapshot holding record `seq` with an empty main world (what a compaction is handed). */
export const snapshot = (seq: number): StoreSnapshot => ({
  format: 'ledgerline-store',
  version: 1,
  seq,
  takenAtMs: seq,
  worlds: { [MAIN_WORLD]: {} as StoreSnapshot['worlds'][string] },
});
