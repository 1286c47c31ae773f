import type { LedgerSnapshot } from '../ledger/snapshot.js';
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
  if (isObject(value) && value.format === 'ledgerline-ledger')
    return {
      format: 'ledgerline-store',
      version: 1,
      seq: 0,
      takenAtMs: 0,
      worlds: { [MAIN_WORLD]: value as unknown as LedgerSnapshot },
    };
  if (!isObject(value) || value.format !== 'ledgerline-store' || value.version !== 1)
    throw new StoreOpenError(`The state file ${path} was not written by ledgerline-mock (format, version).`);
  const { seq, takenAtMs, worlds } = value;
  if (!Number.isSafeInteger(seq) || (seq as number) < 0)
    throw new StoreOpenError(`The state file ${path} has an invalid seq: ${JSON.stringify(seq)}.`);
  if (!isObject(worlds) || !isObject(worlds[MAIN_WORLD]))
    throw new StoreOpenError(`The state file ${path} has no "${MAIN_WORLD}" world.`);
  return {
    format: 'ledgerline-store',
    version: 1,
    seq: seq as number,
    takenAtMs: typeof takenAtMs === 'number' ? takenAtMs : 0,
    worlds: worlds as Record<string, LedgerSnapshot>,
  };
}
