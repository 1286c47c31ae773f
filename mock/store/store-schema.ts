import { z } from 'zod';
import type { LedgerSnapshot } from '../ledger/snapshot.js';
import { MAIN_WORLD, type NewOperationRecord, type StoreSnapshot } from './types.js';

const STRINGS = z.array(z.string());

/**
 * An {@link OperationRecord} as a store keeps it, without its `seq` (the file log's line and the
 * PostgreSQL row number it). One schema for every store, so a record the file store accepts is one
 * PostgreSQL accepts too. Numbers must be finite (zod refuses NaN and Infinity).
 */
const RECORD_BODY = z.object({
  world: z.string(),
  receivedAtMs: z.number(),
  timeMs: z.number(),
  method: z.string(),
  target: z.string(),
  headers: z.record(z.string(), z.string()),
  body: z.string().nullable(),
  random: STRINGS,
  faults: STRINGS.optional(),
});

/** `value` as a stored record without its `seq`, or `undefined` when it is not one. */
export function readRecordBody(value: unknown): NewOperationRecord | undefined {
  const parsed = RECORD_BODY.safeParse(value);
  if (!parsed.success) return undefined;
  const { faults, ...record } = parsed.data;
  return faults === undefined ? record : { ...record, faults };
}

/** A world is only checked to be an object here: `World.restore` checks it whole when it restores it. */
const WORLD = z.custom<LedgerSnapshot>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be an object',
);

/** `value` as one world's snapshot (only its being an object is checked here), or `undefined`. */
export function readWorldSnapshot(value: unknown): LedgerSnapshot | undefined {
  const parsed = WORLD.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** Only the envelope of a store snapshot. */
const SNAPSHOT_ENVELOPE = z.object({
  format: z.literal('ledgerline-store'),
  version: z.literal(1),
  seq: z.int().min(0),
  takenAtMs: z.number().default(0),
  worlds: z.record(z.string(), WORLD).refine((worlds) => worlds[MAIN_WORLD] !== undefined, {
    message: `needs the "${MAIN_WORLD}" world`,
  }),
  seqs: z.record(z.string(), z.int().min(0)).optional(),
});

/**
 * `value` as a store snapshot (file or PostgreSQL), or what is wrong with it in a few words
 * (`seq: ...`), for the caller's message naming where it was read.
 */
export function readStoreSnapshot(value: unknown): StoreSnapshot | string {
  const parsed = SNAPSHOT_ENVELOPE.safeParse(value);
  if (!parsed.success)
    return parsed.error.issues
      .map((issue) => `${issue.path.join('.') || 'the snapshot'}: ${issue.message}`)
      .join('; ');
  const { seqs, ...snapshot } = parsed.data;
  return seqs === undefined ? snapshot : { ...snapshot, seqs };
}
