import type pg from 'pg';
import {
  parseRecordRow,
  parseSnapshotRow,
  type RecordRow,
  type SnapshotRow,
  type WorldRow,
} from './postgres-rows.js';
import { BUSY_STATES, LOCK_CLASS, stateOf, type Tables, worldLockKey } from './postgres-schema.js';
import {
  MAIN_WORLD,
  type OperationRecord,
  StoreOpenError,
  type StoreSnapshot,
  type WorldId,
  type WorldSnapshot,
} from './types.js';

/** What one read of the worlds' logs found: per world, its snapshot (when asked for) and records. */
export interface WorldsRead {
  /** The last committed record of each world read; a world that does not exist is missing. */
  readonly last: ReadonlyMap<WorldId, number>;
  readonly snapshots: ReadonlyMap<WorldId, WorldSnapshot>;
  /** Records per world, in order. */
  readonly records: ReadonlyMap<WorldId, OperationRecord[]>;
}

/** What a read asks of one world: the records after `after`, or (`after` undefined) its newest snapshot and the records after it. */
export interface WorldWanted {
  readonly world: WorldId;
  readonly after: number | undefined;
}

/** A string literal for SQL text sent as a simple query (several statements in one round trip). */
export function literal(client: pg.Client, text: string): string {
  return client.escapeLiteral(text);
}

/**
 * The statements reading `wanted` (appended to a batch's opening statements, so they run after its
 * locks are taken): the worlds' rows, the snapshots of worlds read afresh, and the records.
 */
export function readStatements(client: pg.Client, tables: Tables, wanted: readonly WorldWanted[]): string[] {
  const names = wanted.map((want) => literal(client, want.world)).join(', ');
  const statements = [`SELECT world, seq FROM ${tables.worlds} WHERE world IN (${names})`];
  const fresh = wanted.filter((want) => want.after === undefined);
  if (fresh.length > 0)
    statements.push(
      `SELECT DISTINCT ON (world) world, seq, snapshot FROM ${tables.snapshots} WHERE world IN (${fresh
        .map((want) => literal(client, want.world))
        .join(', ')}) ORDER BY world, seq DESC`,
    );
  const ranges = wanted.map((want) => {
    const world = literal(client, want.world);
    const after =
      want.after === undefined
        ? `(SELECT coalesce(max(s.seq), 0) FROM ${tables.snapshots} s WHERE s.world = ${world})`
        : String(want.after);
    return `(world = ${world} AND seq > ${after})`;
  });
  statements.push(
    `SELECT world, seq, record FROM ${tables.operations} WHERE ${ranges.join(' OR ')} ORDER BY world, seq`,
  );
  return statements;
}

/** The results of {@link readStatements}, checked: each world's records follow on its snapshot or on `after`, without a gap. */
export function readResults(
  results: readonly pg.QueryResult[],
  wanted: readonly WorldWanted[],
  location: string,
): WorldsRead {
  const [worldRows, ...rest] = results;
  const recordRows = rest.at(-1);
  const snapshotRows = rest.length > 1 ? rest[0] : undefined;
  const last = new Map<WorldId, number>();
  for (const row of (worldRows?.rows ?? []) as WorldRow[]) last.set(row.world, Number(row.seq));
  const snapshots = new Map<WorldId, WorldSnapshot>();
  for (const row of (snapshotRows?.rows ?? []) as SnapshotRow[])
    snapshots.set(row.world, parseSnapshotRow(row, location));
  const records = new Map<WorldId, OperationRecord[]>();
  for (const row of (recordRows?.rows ?? []) as RecordRow[]) {
    const list = records.get(row.world) ?? [];
    list.push(parseRecordRow(row));
    records.set(row.world, list);
  }
  for (const want of wanted) {
    const end = last.get(want.world);
    if (end === undefined) {
      records.delete(want.world);
      snapshots.delete(want.world);
      continue;
    }
    const start = want.after ?? snapshots.get(want.world)?.seq;
    if (start === undefined) throw new GapError(want.world, 1, undefined);
    const list = records.get(want.world) ?? [];
    list.forEach((record, i) => {
      if (record.seq !== start + i + 1) throw new GapError(want.world, start + i + 1, record.seq);
    });
    // A world read without its lock (the main world of a sandbox's batch) may have moved on since its row was read.
    if (start + list.length < end) throw new GapError(want.world, start + list.length + 1, undefined);
  }
  return { last, snapshots, records };
}

/** A world's records do not follow on what the reader has: compaction removed them (read its snapshot), or the log is damaged. */
export class GapError extends Error {
  constructor(
    readonly world: WorldId,
    readonly missing: number,
    found: number | undefined,
  ) {
    super(`record ${missing} of world ${world} is missing${found === undefined ? '' : ` (found ${found})`}`);
    this.name = 'GapError';
  }
}

/** Everything committed: each world's newest snapshot and the records after it, in one consistent view. */
export interface FullRead {
  readonly snapshot: StoreSnapshot | null;
  /** The main world's records first (a sandbox's records need the sandbox), then each sandbox's. */
  readonly records: readonly OperationRecord[];
  readonly last: ReadonlyMap<WorldId, number>;
  readonly snapshotSeqs: ReadonlyMap<WorldId, number>;
}

/**
 * Reads every world (the caller opened a REPEATABLE READ transaction, or holds nothing that could
 * change under it). @throws StoreOpenError when a world's log cannot be replayed.
 */
export async function readEverything(client: pg.Client, tables: Tables, location: string): Promise<FullRead> {
  const worlds = await client.query<WorldRow>(`SELECT world, seq FROM ${tables.worlds}`);
  const wanted = worlds.rows.map((row) => ({ world: row.world, after: undefined }));
  const snapshotSeqs = new Map<WorldId, number>();
  if (wanted.length === 0) return { snapshot: null, records: [], last: new Map(), snapshotSeqs };
  let read: WorldsRead;
  try {
    const results: pg.QueryResult[] = [];
    for (const statement of readStatements(client, tables, wanted))
      results.push(await client.query(statement));
    read = readResults(results, wanted, location);
  } catch (error) {
    if (error instanceof GapError)
      throw new StoreOpenError(`${location}: ${error.message}; the log cannot be replayed.`);
    throw error;
  }
  const main = read.snapshots.get(MAIN_WORLD);
  if (main === undefined)
    throw new StoreOpenError(`${location} has worlds but no snapshot of the main world.`);
  const states: Record<WorldId, WorldSnapshot['snapshot']> = {};
  const seqs: Record<WorldId, number> = {};
  for (const [world, snapshot] of read.snapshots) {
    states[world] = snapshot.snapshot;
    seqs[world] = snapshot.seq;
    snapshotSeqs.set(world, snapshot.seq);
  }
  const ordered = [MAIN_WORLD, ...[...read.last.keys()].filter((world) => world !== MAIN_WORLD)];
  return {
    snapshot: { format: 'ledgerline-store', version: 1, seq: main.seq, takenAtMs: 0, worlds: states, seqs },
    records: ordered.flatMap((world) => read.records.get(world) ?? []),
    last: read.last,
    snapshotSeqs,
  };
}

/** {@link readResults}, reading a sandbox afresh (or everything, for the main world) when compaction removed records this process needs. */
export async function readCaughtUp(
  client: pg.Client,
  tables: Tables,
  results: readonly pg.QueryResult[],
  wanted: WorldWanted[],
  location: string,
): Promise<WorldsRead | 'full'> {
  try {
    return readResults(results, wanted, location);
  } catch (error) {
    if (!(error instanceof GapError) || error.world === MAIN_WORLD) {
      if (error instanceof GapError) return 'full';
      throw error;
    }
    const again = wanted.map((want) =>
      want.world === error.world ? { world: want.world, after: undefined } : want,
    );
    wanted.splice(0, wanted.length, ...again);
    const rereads: pg.QueryResult[] = [];
    for (const statement of readStatements(client, tables, wanted))
      rereads.push(await client.query(statement));
    return readResults(rereads, wanted, location);
  }
}

/** Everything committed, in one consistent view of its own. */
export async function readConsistent(client: pg.Client, tables: Tables, location: string): Promise<FullRead> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  try {
    const full = await readEverything(client, tables, location);
    await client.query('COMMIT');
    return full;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Writes one world's snapshot (when its row exists and the snapshot is newer than its newest) and keeps its two newest, and the records after the older one. */
export async function writeWorldSnapshot(
  client: pg.Client,
  tables: Tables,
  { world, seq, snapshot }: WorldSnapshot,
  takenAtMs: number,
): Promise<void> {
  const { worlds, snapshots, operations } = tables;
  await client.query(
    `INSERT INTO ${snapshots} (world, seq, taken_at_ms, snapshot) SELECT $1, $2, $3, $4
     WHERE EXISTS (SELECT 1 FROM ${worlds} WHERE world = $1 AND seq >= $2)
       AND NOT EXISTS (SELECT 1 FROM ${snapshots} WHERE world = $1 AND seq >= $2)
     ON CONFLICT DO NOTHING`,
    [world, seq, takenAtMs, JSON.stringify(snapshot)],
  );
  await client.query(
    `DELETE FROM ${snapshots} WHERE world = $1 AND seq < (SELECT seq FROM ${snapshots} WHERE world = $1 ORDER BY seq DESC OFFSET 1 LIMIT 1)`,
    [world],
  );
  await client.query(
    `DELETE FROM ${operations} WHERE world = $1 AND seq <= (SELECT min(seq) FROM ${snapshots} WHERE world = $1)`,
    [world],
  );
}

/**
 * Opens a batch's transaction, takes the locks of `locked` (in order) and reads `wanted` (see
 * {@link readCaughtUp}). `'busy'` when a lock or a statement outlasted its timeout: the transaction
 * is rolled back and nothing was read.
 */
export async function lockAndRead(
  client: pg.Client,
  tables: Tables,
  schema: string,
  locked: readonly WorldId[],
  wanted: WorldWanted[],
  location: string,
): Promise<WorldsRead | 'full' | 'busy'> {
  const opening = [
    // synchronous_commit off: the COMMIT frees the locks without waiting for the disk (see PostgresLink).
    'BEGIN',
    'SET LOCAL synchronous_commit TO off',
    ...locked.map(
      (world) => `SELECT pg_advisory_xact_lock(${LOCK_CLASS.log}, ${worldLockKey(schema, world)})`,
    ),
  ];
  try {
    const results = (await client.query(
      [...opening, ...readStatements(client, tables, wanted)].join('; '),
    )) as unknown as pg.QueryResult[];
    return await readCaughtUp(client, tables, results.slice(opening.length), wanted, location);
  } catch (error) {
    if (!BUSY_STATES.has(stateOf(error) ?? '')) throw error;
    await client.query('ROLLBACK');
    return 'busy';
  }
}
