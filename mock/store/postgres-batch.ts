import { channel } from 'node:diagnostics_channel';
import type pg from 'pg';
import type { LedgerSnapshot } from '../ledger/snapshot.js';
import type { WorldsRead, WorldWanted } from './postgres-log.js';
import type { Tables } from './postgres-schema.js';
import {
  MAIN_WORLD,
  type Section,
  type SectionContext,
  StaleSectionError,
  type WorldId,
  type WorldSnapshot,
} from './types.js';

/**
 * Each committed batch is published here (the `replicas` benchmark's probe subscribes, to measure
 * the costs of the throughput model in docs/reference-server.md); without a subscriber nothing is built.
 */
export const STORE_BATCH_CHANNEL = 'ledgerline:postgres-store:batch';
export const batchChannel = channel(STORE_BATCH_CHANNEL);

/** One committed batch: its records, the other replicas' records it applied first, and where its time went. */
export interface StoreBatchEvent {
  readonly records: number;
  readonly caughtUpRecords: number;
  /** From sending the batch's opening (BEGIN, the world locks, the reads) to its answer: lock waits included. */
  readonly lockWaitUs: number;
  /** Applying the catch-up and running the sections, under the locks. */
  readonly sectionsUs: number;
  /** The COMMIT's round trip (the locks are freed when it returns). */
  readonly commitUs: number;
}

/**
 * Publishes one batch's counts and times to {@link batchChannel} when anyone listens. `marks`: when
 * the batch opened, when it held its locks and when its sections had run (`performance.now()`).
 */
export function publishBatch(records: number, caughtUpRecords: number, marks: readonly number[]): void {
  if (!batchChannel.hasSubscribers) return;
  const [openedAt = 0, lockedAt = 0, ranAt = 0] = marks;
  const us = (ms: number) => Math.round(ms * 1000);
  const event: StoreBatchEvent = {
    records,
    caughtUpRecords,
    lockWaitUs: us(lockedAt - openedAt),
    sectionsUs: us(ranAt - lockedAt),
    commitUs: us(performance.now() - ranAt),
  };
  batchChannel.publish(event);
}

export interface Job {
  readonly section: Section<unknown>;
  /** The worlds whose locks the section needs, sorted (the main world first): every batch locks in this order. */
  readonly worlds: readonly WorldId[];
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export type Settled = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What a batch adds besides records: sandboxes made (their world row and first snapshot) and ended. */
export interface WorldChanges {
  readonly created: { world: WorldId; snapshot: LedgerSnapshot }[];
  readonly dropped: WorldId[];
}

/** The batch's closing text: new worlds, the records, each world's fence, ended worlds, COMMIT. */
export function commitText(
  tables: Tables,
  db: pg.Client,
  rows: readonly string[],
  start: ReadonlyMap<WorldId, number>,
  applied: ReadonlyMap<WorldId, number>,
  changes: WorldChanges,
): string {
  const { worlds, snapshots, operations, advance } = tables;
  const parts: string[] = [];
  for (const { world, snapshot } of changes.created) {
    const name = db.escapeLiteral(world);
    parts.push(`INSERT INTO ${worlds} (world, seq) VALUES (${name}, 0)`);
    parts.push(
      `INSERT INTO ${snapshots} (world, seq, taken_at_ms, snapshot) VALUES (${name}, 0, ${Date.now()}, ${db.escapeLiteral(JSON.stringify(snapshot))})`,
    );
  }
  if (rows.length > 0) parts.push(`INSERT INTO ${operations} (world, seq, record) VALUES ${rows.join(', ')}`);
  const fences = [...start].map(
    ([world, from]) => `${advance}(${db.escapeLiteral(world)}, ${from}, ${applied.get(world) ?? from})`,
  );
  if (fences.length > 0) parts.push(`SELECT ${fences.join(', ')}`);
  for (const world of changes.dropped) {
    const name = db.escapeLiteral(world);
    parts.push(`DELETE FROM ${operations} WHERE world = ${name}`);
    parts.push(`DELETE FROM ${snapshots} WHERE world = ${name}`);
    parts.push(`DELETE FROM ${worlds} WHERE world = ${name}`);
  }
  parts.push('COMMIT');
  return parts.join('; ');
}

/** Distinct worlds in lock order: the main world first, then the sandboxes by id. */
export function lockOrder(worlds: readonly WorldId[]): WorldId[] {
  return [...new Set(worlds)].sort((a, b) =>
    a === MAIN_WORLD ? -1 : b === MAIN_WORLD ? 1 : a < b ? -1 : a > b ? 1 : 0,
  );
}

/**
 * Runs the batch's sections: the first alone when it must apply other replicas' records (the
 * others then start on the caught-up state), otherwise all at once, as the file store does.
 */
export async function runSections(
  jobs: readonly Job[],
  context: SectionContext,
): Promise<{ settled: Settled[]; applied: boolean }> {
  const { snapshot: _snapshot, worlds: _worlds, ...rest } = { ...context, missed: [] };
  if (context.missed.length === 0 && context.snapshot === undefined && context.worlds === undefined)
    return { settled: await Promise.all(jobs.map((job) => settle(job, rest))), applied: true };
  // The catch-up goes to the first section that takes it: one refused before it applied anything
  // (StaleSectionError) hands it on, so what it missed is never lost.
  const settled: Settled[] = [];
  let index = 0;
  for (; index < jobs.length; index += 1) {
    const outcome = await settle(jobs[index] as Job, context);
    settled.push(outcome);
    if (outcome.ok || !(outcome.error instanceof StaleSectionError)) break;
  }
  if (index >= jobs.length) return { settled, applied: false };
  const others = jobs.slice(index + 1);
  return {
    settled: [...settled, ...(await Promise.all(others.map((job) => settle(job, rest))))],
    applied: true,
  };
}

async function settle(job: Job, context: SectionContext): Promise<Settled> {
  try {
    return { ok: true, value: await job.section(context) };
  } catch (error) {
    return { ok: false, error };
  }
}

export function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Where a process stands in each world's log. */
export class WorldPositions {
  /** The last record applied or appended (committed, or in the open batch). */
  applied = new Map<WorldId, number>();
  /** The last record known to be committed. */
  durable = new Map<WorldId, number>();
  /** The world's newest snapshot in the database, as far as this process knows. */
  snapshots = new Map<WorldId, number>();

  /** Records applied since each world's snapshot, all worlds together (the compaction policy reads it). */
  sinceSnapshot(): number {
    let records = 0;
    for (const [world, seq] of this.applied) records += seq - (this.snapshots.get(world) ?? 0);
    return records;
  }

  take(read: { last: ReadonlyMap<WorldId, number>; snapshotSeqs: ReadonlyMap<WorldId, number> }): void {
    this.applied = new Map(read.last);
    this.durable = new Map(read.last);
    this.snapshots = new Map(read.snapshotSeqs);
  }

  forget(world: WorldId): void {
    this.applied.delete(world);
    this.durable.delete(world);
    this.snapshots.delete(world);
  }

  /** Takes what a batch read of `wanted` (under their locks, or committed): returns the worlds read afresh. */
  absorb(read: WorldsRead, wanted: readonly WorldWanted[]): WorldSnapshot[] {
    const worlds: WorldSnapshot[] = [];
    for (const want of wanted) {
      if (!read.last.has(want.world)) {
        this.forget(want.world);
        continue;
      }
      const snapshot = read.snapshots.get(want.world);
      if (snapshot !== undefined) {
        worlds.push(snapshot);
        this.snapshots.set(want.world, snapshot.seq);
      }
      const applied = (want.after ?? snapshot?.seq ?? 0) + (read.records.get(want.world)?.length ?? 0);
      this.applied.set(want.world, applied);
      this.durable.set(want.world, applied);
    }
    return worlds;
  }

  /** A copy, to go back to when a batch's catch-up was applied by no section. */
  copy(): WorldPositions {
    const copy = new WorldPositions();
    copy.applied = new Map(this.applied);
    copy.durable = new Map(this.durable);
    copy.snapshots = new Map(this.snapshots);
    return copy;
  }

  restore(from: WorldPositions): void {
    this.applied = from.applied;
    this.durable = from.durable;
    this.snapshots = from.snapshots;
  }

  /** Back to what is committed (a batch failed). */
  rollback(): void {
    this.applied = new Map(this.durable);
  }

  /** The next number of `world`'s log, which the batch must hold the lock of (`start` keeps where each world began). */
  next(world: WorldId, locked: ReadonlySet<WorldId>, start: Map<WorldId, number>): number {
    const last = this.applied.get(world);
    if (!locked.has(world) || last === undefined)
      throw new Error(`a record of world ${world}, which this batch does not hold`);
    if (!start.has(world)) start.set(world, last);
    this.applied.set(world, last + 1);
    return last + 1;
  }
}
