import { readStoreSnapshot } from './store-schema.js';
import { MAIN_WORLD, StoreOpenError, type StoreSnapshot } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads a snapshot file's text: a {@link StoreSnapshot}, or a state file written before the log
 * existed (one `ledgerline-ledger` snapshot, taken as the main world at record 0). Only the envelope
 * is checked here; each world is checked whole when it is restored.
 * @throws StoreOpenError naming the file and what is wrong.
 */
export function parseStoreSnapshot(path: string, text: string): StoreSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new StoreOpenError(
      `The state file ${path} is not valid JSON; move it away to start from the seed.`,
    );
  }
  // A state file from before the log: its one ledger snapshot is the main world at record 0.
  const envelope =
    isObject(value) && value.format === 'ledgerline-ledger'
      ? { format: 'ledgerline-store', version: 1, seq: 0, worlds: { [MAIN_WORLD]: value } }
      : value;
  const snapshot = readStoreSnapshot(envelope);
  if (typeof snapshot === 'string')
    throw new StoreOpenError(
      `The state file ${path} is not a snapshot ledgerline-mock wrote (${snapshot}); move it away to start from the seed.`,
    );
  return snapshot;
}
