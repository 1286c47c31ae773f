import type { MockApp } from '../app.js';
import type { MockRequest } from '../family-kit/types.js';
import { pinSystemTime } from '../ledger/clock.js';
import type { OperationGate } from '../steps/pipeline.js';
import type { CommitSection, RequestContext } from '../steps/request-context.js';
import { firingOf, type Replay, recordedHeaders, recordOf, tapEntropy } from './replay.js';
import {
  MAIN_WORLD,
  type OperationRecord,
  type OperationStore,
  type SectionContext,
  type WorldId,
} from './types.js';
import { isSandboxCreate, sandboxSnapshot, worldOf, worldsOf } from './worlds.js';

/** A live request on its way through a commit section: what {@link RecordingGate.admit} notes on its context. */
interface Live extends CommitSection {
  readonly context: SectionContext;
}

/** The section `request` was admitted into; only this gate puts one on a context. */
const liveOf = (request: RequestContext): Live | undefined => request.section as Live | undefined;

/** The operation between the gate's `enter` and `leave`. */
interface Active {
  readonly live: Live;
  readonly timeMs: number;
  readonly random: string[];
  readonly restore: () => void;
  /** Sandboxes before a `POST /_mock/sandboxes`: one refused (cap, seed) made none and is not recorded. */
  readonly sandboxes: number | undefined;
}

/**
 * The durable app's {@link OperationGate}: a live request admitted into a commit section is recorded
 * as its operation runs (its instants, random draws and headers), a fault firing too; the record
 * being replayed passes through. Keeps the last record applied per world (what a snapshot holds).
 * An operation that changed nothing (the `handler` step leaves with `ran` false: its world's
 * `World.version` did not move) is no record and costs the store no write.
 */
export class RecordingGate implements OperationGate {
  readonly #store: OperationStore;
  #app: () => MockApp = () => {
    throw new Error('the gate is not attached to an app');
  };
  /** The request headers a record keeps (the families' own credential headers included). */
  #headers: readonly string[] = [];
  #replay: Replay | undefined;
  #active: Active | undefined;
  /** The last record applied or appended (the one log's number; a file store's snapshot holds it). */
  appliedSeq = 0;
  /** Per world, the last record of its log that the world's state holds (what a partitioned store snapshots). */
  worldSeqs = new Map<WorldId, number>();

  constructor(store: OperationStore) {
    this.#store = store;
  }

  attach(app: MockApp): void {
    this.#app = () => app;
    this.#headers = recordedHeaders(app);
  }

  /** `request` runs in the section of `context`: what it changes is appended there. */
  admit(request: RequestContext, context: SectionContext, receivedAtMs: number): void {
    const live: Live = { context, receivedAtMs };
    request.section = live;
  }

  /** The state was replaced by a snapshot holding record `seq` (per world: `seqs`, partitioned stores). */
  restored(seq: number, seqs: Readonly<Record<WorldId, number>> | undefined): void {
    this.appliedSeq = seq;
    if (seqs !== undefined) this.worldSeqs = new Map(Object.entries(seqs));
  }

  replaying(replay: Replay): void {
    this.#replay = replay;
  }

  replayed(record: OperationRecord): void {
    this.#replay = undefined;
    this.appliedSeq = record.seq;
    this.worldSeqs.set(record.world, record.seq);
  }

  enter(received: RequestContext): boolean | 'gone' {
    const { request } = received;
    // Only the record being replayed is the replay's: a replay may wait (an asynchronous credential
    // check) while a live request runs outside any section (a rollback), and that one changes nothing.
    if (this.#replay !== undefined && request.fromLog === true) return this.#replay.enter();
    const live = liveOf(received);
    // A request that did not come through a commit section (the store was failed) changes nothing.
    if (live === undefined || this.#store.failed) return false;
    // Its sandbox was deleted while it waited (an async credential check): its record would follow
    // the delete in the log, in a world that no longer exists, and its change would reach no one.
    const world = worldOf(request.path);
    if (world !== MAIN_WORLD && this.#app().sandboxRegistry?.has(world) !== true) return 'gone';
    const timeMs = Date.now();
    const random: string[] = [];
    const restoreTime = pinSystemTime(timeMs);
    const restoreTap = tapEntropy(random);
    const restore = () => {
      restoreTap();
      restoreTime();
    };
    const sandboxes = isSandboxCreate(request) ? this.#app().sandboxRegistry?.size : undefined;
    this.#active = { live, timeMs, random, restore, sandboxes };
    return true;
  }

  leave(received: RequestContext, ran: boolean): void {
    const { request } = received;
    if (this.#replay !== undefined && request.fromLog === true) {
      this.#replay.leave(ran);
      return;
    }
    const active = this.#active;
    if (active === undefined) return;
    this.#active = undefined;
    active.restore();
    if (!ran) return;
    // A create refused at the cap changed nothing; recorded, a replay under another --max-sandboxes
    // would make a sandbox no one was given. So every recorded create made one (and replays uncapped).
    if (active.sandboxes !== undefined && this.#app().sandboxRegistry?.size === active.sandboxes) return;
    // The store numbers records consecutively after the ones this process applied.
    const world = worldOf(request.path);
    const { context } = active.live;
    const seq = context.append(
      recordOf(world, request, active.live.receivedAtMs, active.timeMs, active.random, this.#headers),
    );
    this.worldSeqs.set(world, seq);
    this.appliedSeq += 1;
    this.#noteLifecycle(context, request, active.sandboxes);
  }

  /** Tells a partitioned store about a sandbox this request made (with its first state) or ended. */
  #noteLifecycle(context: SectionContext, request: MockRequest, before: number | undefined): void {
    const registry = this.#app().sandboxRegistry;
    if (registry === undefined) return;
    if (before !== undefined) {
      const made = registry.list().at(-1);
      if (made === undefined) return;
      context.created?.(made.id, sandboxSnapshot(registry, made.id, made.value));
      this.worldSeqs.set(made.id, 0);
      return;
    }
    const ended = worldsOf(request)[1];
    if (ended !== undefined && !registry.has(ended)) {
      context.dropped?.(ended);
      this.worldSeqs.delete(ended);
    }
  }

  /** Records a fault firing (the faults' `times` spent) before the request's operation, if any, runs. */
  fire(received: RequestContext, faultIds: readonly string[]): boolean {
    const { request } = received;
    const live = liveOf(received);
    // As in #enter: outside a commit section (the store failed) nothing may change.
    if (live === undefined || this.#store.failed) return false;
    const world = worldOf(request.path);
    this.worldSeqs.set(world, live.context.append(firingOf(world, request, live.receivedAtMs, faultIds)));
    this.appliedSeq += 1;
    return true;
  }
}
