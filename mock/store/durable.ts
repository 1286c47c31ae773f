import { MockApp, type MockAppOptions } from '../app.js';
import { andThen, delivered, type MockRequest, type Outcome } from '../family-kit/types.js';
import { pinSystemTime } from '../ledger/clock.js';
import type { OperationGate } from '../steps/pipeline.js';
import { unavailable } from '../steps/refusals.js';
import { RequestContext } from '../steps/request-context.js';
import { RecordingGate } from './recording-gate.js';
import { replayRecords } from './replay.js';
import {
  MAIN_WORLD,
  type OperationRecord,
  type OperationStore,
  type SectionContext,
  StaleSectionError,
  StoreBusyError,
  StoreOpenError,
  type StoreSnapshot,
  StoreUnavailableError,
  StoreWriteError,
} from './types.js';
import {
  appOf,
  expiryRequest,
  isSandboxLifecycle,
  journalEntries,
  restoreWorlds,
  snapshotWorlds,
  worldsOf,
} from './worlds.js';

/** Compact once the log holds this many records, or as many as the journal had at the last snapshot. */
export const MIN_RECORDS_PER_COMPACTION = 10_000;
/**
 * A replica of a shared store that took no request for this long catches up on its own (and finds
 * out that its database went away): its next request then applies little under the log's lock.
 */
export const FOLLOW_INTERVAL_MS = 1_000;
/** While the store is failed, a full snapshot is tried this often to bring it back. */
export const RECOVERY_INTERVAL_MS = 1_000;

/**
 * A {@link MockApp} whose state lives in an {@link OperationStore}: every state-changing request is
 * recorded as it runs (the app's {@link OperationGate}), and its answer is held until the store says
 * the record is durable. Start-up is snapshot + replay; a store that cannot write fails closed.
 */
export class DurableApp {
  readonly app: MockApp;
  readonly #store: OperationStore;
  readonly #log: (line: string) => void;
  /** Records what live requests change, and lets the replayed records through. */
  readonly #gate: RecordingGate;
  /** Moves on when a rebuild starts: a section queued before it must not run on the rebuilt state. */
  #epoch = 0;
  #journalAtSnapshot = 0;
  #compacting: Promise<void> | undefined;
  #rebuilding: Promise<void> | undefined;
  #closing = false;
  #following: ReturnType<typeof setInterval> | undefined;
  #lastRequestMs = 0;
  #recovery: ReturnType<typeof setInterval> | undefined;

  private constructor(store: OperationStore, options: MockAppOptions, log: (line: string) => void) {
    this.#store = store;
    this.#log = log;
    const gate = new RecordingGate(store);
    // Sandboxes are worlds of the log: only a recorded delete ends one (see #expire).
    const sandboxes =
      options.sandboxes === false ? false : { ...options.sandboxes, expiry: 'recorded' as const };
    this.app = new MockApp({ ...options, gate, sandboxes });
    gate.attach(this.app);
    this.#gate = gate;
  }

  /**
   * Opens the store, restores its snapshot and replays the records after it. A new store starts from
   * `options.seed` and is compacted at once, so the seeded state is durable before any record.
   * @throws StoreOpenError when the store or its content cannot be used (the CLI exits 2).
   */
  static async open(
    store: OperationStore,
    options: Omit<MockAppOptions, 'gate' | 'snapshot'>,
    log: (line: string) => void,
  ): Promise<DurableApp> {
    const contents = await store.open();
    for (const warning of contents.warnings) log(`ledgerline-mock: ${warning}`);
    const { [MAIN_WORLD]: main, ...sandboxes } = contents.snapshot?.worlds ?? {};
    let durable: DurableApp;
    try {
      durable = new DurableApp(store, { ...options, ...(main ? { snapshot: main } : {}) }, log);
      durable.app.restoreSandboxes(sandboxes);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreOpenError(`The state in ${store.location} cannot be used: ${reason}`);
    }
    durable.#gate.restored(
      contents.snapshot?.seq ?? 0,
      contents.snapshot?.seqs ?? { [MAIN_WORLD]: contents.snapshot?.seq ?? 0 },
    );
    await durable.#apply(contents.records, store.partitioned === true);
    if (contents.snapshot === null || contents.records.length > 0) await durable.compact();
    if (store.shared === true) durable.#follow();
    return durable;
  }

  /**
   * Answers a request; a state-changing one only once its record is durable. Latency (faults,
   * `--latency`) is waited out after the commit, outside the store's section: the operation
   * commits, then the answer is delayed, and no other request waits for it.
   */
  answer(received: MockRequest | RequestContext): Outcome | Promise<Outcome> {
    // Built here for a caller that hands a bare request: the gate's `fire` and `enter` then see the
    // context this section admitted (a limited fault fires on a HEAD made a GET once).
    const context = RequestContext.of(received);
    const { request } = context;
    const receivedAtMs = Date.now();
    this.#lastRequestMs = receivedAtMs;
    if (this.#store.failed || this.#rebuilding !== undefined) {
      // A shared store's other replicas may be ahead: this process's state is no answer then.
      if (this.#store.shared === true) return this.#refused(context, this.#unavailable());
      return andThen(this.#run(context, receivedAtMs), delivered);
    }
    const epoch = this.#epoch;
    // Sandboxes idle for too long are ended in this section, under their locks (see #expire).
    const expired = this.app.sandboxRegistry?.size ? this.app.sandboxRegistry.expired() : [];
    const worlds = expired.length > 0 ? [...worldsOf(request), MAIN_WORLD, ...expired] : worldsOf(request);
    return this.#store
      .commit((section) => {
        // Queued before a failure: the state it was meant for is gone (a rebuild replaces it).
        if (epoch !== this.#epoch || this.#rebuilding !== undefined) throw this.#stale();
        if (section.snapshot === undefined && section.missed.length === 0 && section.worlds === undefined)
          return this.#serve(section, context, receivedAtMs, expired);
        return this.#catchUp(section).then(() => this.#serve(section, context, receivedAtMs, expired));
      }, worlds)
      .then(
        (outcome) => {
          this.#maybeCompact();
          return delivered(outcome);
        },
        (error: unknown) => this.#refused(context, error),
      );
  }

  /** Runs a request inside its section, after ending (through records) the sandboxes that expired. */
  #serve(
    section: SectionContext,
    context: RequestContext,
    receivedAtMs: number,
    expired: readonly string[],
  ): Outcome | Promise<Outcome> {
    if (expired.length > 0) this.#expire(section, receivedAtMs, expired);
    this.#gate.admit(context, section, receivedAtMs);
    return this.#run(context, receivedAtMs);
  }

  /**
   * Ends the sandboxes idle for too long on this replica with a recorded `DELETE` each, so every
   * replica (and a replay) ends them at the same point of the log and the cap counts alike everywhere.
   * Only those of `candidates` (whose locks the section holds) still idle once the section caught up:
   * a change another replica made to one since this replica last looked counts as a use.
   */
  #expire(section: SectionContext, receivedAtMs: number, candidates: readonly string[]): void {
    const still = new Set(this.app.sandboxRegistry?.expired() ?? []);
    for (const id of candidates) {
      if (!still.has(id)) continue;
      // The server is the adapter of its own request here: it builds the context.
      const context = new RequestContext(expiryRequest(id, this.app.adminToken));
      this.#gate.admit(context, section, receivedAtMs);
      // A control DELETE answers synchronously; its answer goes to no one.
      void this.#run(context, receivedAtMs);
    }
  }

  /** Catches up with the other replicas while this one takes no requests (see FOLLOW_INTERVAL_MS). */
  #follow(): void {
    let busy = false;
    this.#following = setInterval(() => {
      const idle = Date.now() - this.#lastRequestMs >= FOLLOW_INTERVAL_MS;
      if (busy || !idle || this.#store.failed || this.#rebuilding !== undefined || this.#closing) return;
      busy = true;
      const epoch = this.#epoch;
      this.#store
        .commit((context) => {
          // As in answer(): never applied over a rebuild that started after this was queued.
          if (epoch !== this.#epoch || this.#rebuilding !== undefined) throw this.#stale();
          return this.#catchUp(context);
        }, [])
        .then(
          () => this.#maybeCompact(),
          (error: unknown) => {
            if (!(error instanceof StoreWriteError)) return;
            this.#log(
              `ledgerline-mock: ${error.message}; answering 503 to every request until the database answers.`,
            );
            this.#startRebuild();
          },
        )
        .finally(() => {
          busy = false;
        });
    }, FOLLOW_INTERVAL_MS);
    this.#following.unref();
  }

  /** Applies what other writers committed (shared stores), from their snapshot when compaction removed records. */
  async #catchUp(context: SectionContext): Promise<void> {
    const full = context.snapshot;
    if (full !== undefined) {
      restoreWorlds(this.app, full);
      this.#gate.restored(full.seq, full.seqs);
    }
    if (context.worlds === undefined)
      return this.#apply(context.missed, full !== undefined && this.#store.partitioned === true);
    // The main world first (it may create a sandbox), then the sandboxes read afresh, then their records.
    await this.#apply(context.missed.filter((record) => record.world === MAIN_WORLD));
    for (const { world, seq, snapshot } of context.worlds) {
      const sandbox = appOf(this.app, world);
      if (sandbox === undefined) continue;
      sandbox.prepareRestore(snapshot)();
      this.#gate.worldSeqs.set(world, seq);
    }
    await this.#apply(context.missed.filter((record) => record.world !== MAIN_WORLD));
  }

  #stale(): StaleSectionError {
    return new StaleSectionError(`${this.#store.location}: state rebuilt since this request was queued`);
  }

  #unavailable(): StoreUnavailableError {
    return new StoreUnavailableError(`${this.#store.location} cannot be used right now`);
  }

  /**
   * Resolves once no rollback to the store's state is under way. After a failed write a replica on a
   * shared store answers 503 to everything until it has read the database's state back.
   */
  async settled(): Promise<void> {
    while (this.#rebuilding !== undefined) await this.#rebuilding;
  }

  /** Writes a snapshot of every world now (also how a failed store is brought back). */
  compact(): Promise<void> {
    this.#compacting ??= (async () => {
      const worlds = snapshotWorlds(this.app);
      const snapshot: StoreSnapshot = {
        format: 'ledgerline-store',
        version: 1,
        seq: this.#gate.appliedSeq,
        takenAtMs: Date.now(),
        worlds,
        ...(this.#store.partitioned === true
          ? {
              seqs: Object.fromEntries(
                [...this.#gate.worldSeqs].filter(([world]) => Object.hasOwn(worlds, world)),
              ),
            }
          : {}),
      };
      const journal = journalEntries(this.app);
      try {
        await this.#store.compact(snapshot);
        this.#journalAtSnapshot = journal;
      } finally {
        this.#compacting = undefined;
      }
    })();
    return this.#compacting;
  }

  /** Stops recovery attempts, writes a last snapshot when it can, and closes the store. */
  async close(): Promise<void> {
    this.#closing = true;
    if (this.#recovery !== undefined) clearInterval(this.#recovery);
    clearInterval(this.#following);
    // A shared store reloading while its database is away would wait for it for ever: stop it.
    if (this.#store.shared === true && this.#rebuilding !== undefined) {
      await this.#store.close();
      await this.#rebuilding;
      return;
    }
    await this.#rebuilding;
    await this.#compacting?.catch(() => undefined);
    await this.compact().catch((error: unknown) => {
      this.#log(
        `ledgerline-mock: the last snapshot could not be written (${String(error)}); the log keeps every answered change.`,
      );
    });
    await this.#store.close();
  }

  #run(context: RequestContext, receivedAtMs: number): Outcome | Promise<Outcome> {
    const restore = pinSystemTime(receivedAtMs);
    try {
      return this.app.handleNow(context);
    } finally {
      restore();
    }
  }

  /**
   * Replays `records`. `restored`: they follow a partitioned store's full snapshot, which restored
   * every sandbox from its own log, so the records that made or ended sandboxes are passed over.
   */
  async #apply(records: readonly OperationRecord[], restored = false): Promise<void> {
    await replayRecords(this.app, records, {
      ...(restored ? { skip: isSandboxLifecycle } : {}),
      begin: (replay) => this.#gate.replaying(replay),
      end: (record) => this.#gate.replayed(record),
      warn: (line) => this.#log(`ledgerline-mock: ${line}`),
    });
  }

  #maybeCompact(): void {
    const due = Math.max(MIN_RECORDS_PER_COMPACTION, this.#journalAtSnapshot);
    if (this.#compacting !== undefined || this.#store.recordsSinceSnapshot < due) return;
    this.compact().catch((error: unknown) => {
      this.#log(`ledgerline-mock: compaction failed (${String(error)}); the log keeps every change.`);
    });
  }

  /** A commit the store refused: the state goes back to what is durable, and the request gets 503. */
  async #refused(context: RequestContext, error: unknown): Promise<Outcome> {
    const { request } = context;
    const shared = this.#store.shared === true;
    if (error instanceof StoreWriteError) {
      const until = shared
        ? 'to every request until the database answers'
        : 'to writes until it can write again';
      this.#log(`ledgerline-mock: ${error.message}; answering 503 ${until}.`);
      this.#startRebuild();
    } else if (error instanceof StoreBusyError) {
      this.#log(
        `ledgerline-mock: ${error.message}; answered ${request.method} ${request.path} 503 (retry it).`,
      );
    } else if (!(error instanceof StoreUnavailableError)) throw error;
    // A shared store reloads for as long as its database is away: answer now rather than wait for it.
    if (!shared) await this.#rebuilding;
    // A read computed from state that was just rolled back is answered again from the durable state.
    if (request.method === 'GET' && !shared) return andThen(this.#run(context, Date.now()), delivered);
    const reason = error instanceof StoreBusyError ? 'busy' : shared ? 'unreachable' : 'unsaved';
    const family = this.app.registry.router.familyOf(request.path);
    // Journaled as any answer is: "did my app retry after the 503?" is read from the journal.
    const response = this.app.journalAnswer(context, unavailable(family, reason));
    return { kind: 'respond', response, replayed: false };
  }

  #startRebuild(): void {
    if (this.#rebuilding !== undefined) return;
    this.#epoch += 1;
    this.#rebuilding = this.#rebuild();
  }

  async #rebuild(): Promise<void> {
    try {
      const contents = await this.#store.reload();
      if (contents.snapshot === null) throw new Error('the store has no snapshot to roll back to');
      restoreWorlds(this.app, contents.snapshot);
      this.#gate.restored(contents.snapshot.seq, contents.snapshot.seqs);
      await this.#apply(contents.records, this.#store.partitioned === true);
    } catch (error) {
      if (this.#closing) return;
      // The durable state cannot even be read back: serving the unsaved state would be a lie.
      this.#log(`ledgerline-mock: cannot roll back to the saved state (${String(error)}); exiting.`);
      process.exit(1);
    } finally {
      this.#rebuilding = undefined;
    }
    // A shared store is the state: reading it back ended its failure. A file needs a new snapshot.
    if (!this.#store.failed) return;
    this.#recovery ??= setInterval(() => {
      if (this.#compacting !== undefined) return;
      this.compact().then(
        () => {
          clearInterval(this.#recovery);
          this.#recovery = undefined;
          this.#log(`ledgerline-mock: ${this.#store.location} is writable again; writes resume.`);
        },
        () => undefined,
      );
    }, RECOVERY_INTERVAL_MS);
    this.#recovery.unref();
  }
}
