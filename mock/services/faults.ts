import { LedgerError } from '../ledger/errors.js';

/** Fault kinds of the `/_mock/faults` control API (docs/reference-server.md, "Faults"). */
export type FaultKind = 'latency' | 'status' | 'reset' | 'reset-after-commit';

/** A fault to inject: the body of `POST /_mock/faults`. */
export interface FaultSpec {
  /** Only requests with this method; any method when absent. */
  readonly method?: string;
  /**
   * The path to match (docs/decisions.md, "One rule for fault paths"): a segment that is exactly `*`
   * matches any one segment (in the middle of a path); as the last segment it matches the rest of the path,
   * one or more segments (`/api/v1/billing/*`). A `*` inside a segment is refused.
   */
  readonly path: string;
  readonly kind: FaultKind;
  /** Delay for `latency`, in ms (required there, refused elsewhere). */
  readonly delayMs?: number;
  /** Answer status for `status` (required there, refused elsewhere). */
  readonly status?: number;
  /** For `status`: sent as `Retry-After` (seconds), to test a client's backoff on 429 or 503. */
  readonly retryAfterSeconds?: number;
  /** How many matching requests it applies to; unlimited when absent. */
  readonly times?: number;
  /** Chance (0..1) that it applies to a matching request; 1 when absent. */
  readonly probability?: number;
}

/** An active fault: its spec (with `times` as given), its id and the firings it has left. */
export interface Fault extends FaultSpec {
  readonly id: string;
  /** Applications left; `null` for unlimited. */
  remaining: number | null;
}

/** A fault spec the registry refuses: `field` names the offending field, `reason` says what to fix. */
export class FaultSpecError extends RangeError {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
    this.name = 'FaultSpecError';
  }
}

/** At most this many faults at once: a runaway test loop gets an error instead of eating memory. */
export const MAX_FAULTS = 1000;
/** Latency faults are capped so a typo cannot hang a test run for hours. */
export const MAX_LATENCY_MS = 120_000;

const NONE: readonly Fault[] = Object.freeze([]);

/** The faults as a snapshot holds them (`extensions.faults` of `MockApp.snapshot()`). */
export interface FaultsSnapshot {
  /** The number in the next fault's id: ids are never reused, not even after a clear or reset. */
  readonly nextId: number;
  readonly faults: readonly Fault[];
}

const KINDS: readonly string[] = ['latency', 'status', 'reset', 'reset-after-commit'];

/**
 * Holds the active faults and decides which apply to a request. Faults are state (docs/decisions.md,
 * "Faults are state"): adding and clearing them are recorded like any control call, a firing that spends one of
 * a fault's `times` is recorded by the pipeline's gate, and they are part of every snapshot.
 */
export class FaultRegistry {
  readonly #faults: Fault[] = [];
  #nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  /** @throws RangeError at {@link MAX_FAULTS}; FaultSpecError naming a field the kind needs or refuses. */
  add(spec: FaultSpec): Fault {
    if (this.#faults.length >= MAX_FAULTS)
      throw new RangeError(`At most ${MAX_FAULTS} faults can be active; DELETE /_mock/faults first.`);
    checkSpec(spec);
    const fault: Fault = { ...spec, id: `flt_${this.#nextId++}`, remaining: spec.times ?? null };
    this.#faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.#faults;
  }

  /** Removes one fault; false when no active fault has that id. */
  delete(id: string): boolean {
    const index = this.#faults.findIndex((fault) => fault.id === id);
    if (index === -1) return false;
    this.#faults.splice(index, 1);
    return true;
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /**
   * The faults that fire for this request, in the order they were added, without spending any of
   * their `times` ({@link spend} does, once the firing can be recorded). Probabilities are drawn
   * here; a durable store records which faults fired, not the draws, so replicas never draw again.
   */
  pick(method: string, path: string): readonly Fault[] {
    // No faults is the common case: no array and no scan per request.
    if (this.#faults.length === 0) return NONE;
    const fired: Fault[] = [];
    for (const fault of this.#faults) {
      if (fault.method && fault.method.toUpperCase() !== method) continue;
      if (!matchesPath(fault.path, path)) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      fired.push(fault);
    }
    return fired;
  }

  /**
   * Spends one firing of each fault named (live, after {@link pick}; or replaying a recorded firing).
   * Exhausted faults are removed so `GET /_mock/faults` shows only what can still fire. Ids no longer
   * active (cleared meanwhile) and unlimited faults are left alone.
   */
  spend(ids: readonly string[]): void {
    for (const fault of this.#faults)
      if (fault.remaining !== null && ids.includes(fault.id)) fault.remaining -= 1;
    for (let i = this.#faults.length - 1; i >= 0; i--)
      if (this.#faults[i]?.remaining === 0) this.#faults.splice(i, 1);
  }

  /** The active faults and the next id, as plain JSON. */
  snapshot(): FaultsSnapshot {
    return { nextId: this.#nextId, faults: this.#faults.map((fault) => ({ ...fault })) };
  }

  /**
   * Replaces the faults with a {@link snapshot}'s; `undefined` (a snapshot from before faults were
   * state) is no faults. @throws LedgerError `invalid_snapshot` naming what is damaged; nothing changes then.
   */
  restore(saved: unknown): void {
    let checked: FaultsSnapshot;
    try {
      checked = saved === undefined ? { nextId: 1, faults: [] } : checkedFaults(saved);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new LedgerError('invalid_snapshot', `${reason} Fix or remove extensions.faults in the state.`);
    }
    const { nextId, faults } = checked;
    this.#faults.splice(0, this.#faults.length, ...faults.map(renamedFields));
    this.#nextId = nextId;
  }
}

/** A saved {@link FaultsSnapshot}, checked field by field. @throws Error naming the first problem. */
function checkedFaults(saved: unknown): FaultsSnapshot {
  const value = saved as Partial<FaultsSnapshot> | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    !Number.isSafeInteger(value.nextId) ||
    !Array.isArray(value.faults)
  )
    throw new Error('The saved faults are not {nextId, faults}.');
  value.faults.forEach((fault: Partial<Fault> | null, i) => {
    const ok =
      typeof fault === 'object' &&
      fault !== null &&
      typeof fault.id === 'string' &&
      typeof fault.path === 'string' &&
      KINDS.includes(String(fault.kind)) &&
      (fault.remaining === null || (Number.isSafeInteger(fault.remaining) && Number(fault.remaining) > 0));
    if (!ok)
      throw new Error(`The saved fault ${i} is damaged: it needs an id, a path, a kind and remaining.`);
  });
  return value as FaultsSnapshot;
}

/** A fault saved before the latency field was `delayMs` (it was `ms`) reads as it would be added now. */
function renamedFields(fault: Fault): Fault {
  const { ms, ...rest } = fault as Fault & { ms?: number };
  return ms === undefined || rest.delayMs !== undefined ? { ...rest } : { ...rest, delayMs: ms };
}

/** What each kind needs and allows beyond `path` and `kind`. @throws FaultSpecError */
function checkSpec(spec: FaultSpec): void {
  const { kind } = spec;
  if (kind === 'status' && spec.status === undefined)
    throw new FaultSpecError('status', 'is required for kind "status": the HTTP status to answer (200..599)');
  if (kind === 'latency' && spec.delayMs === undefined)
    throw new FaultSpecError('delayMs', 'is required for kind "latency": the delay in milliseconds');
  if (kind !== 'status' && spec.status !== undefined)
    throw new FaultSpecError('status', `applies to status faults only (this one is ${kind}); leave it out`);
  if (kind !== 'status' && spec.retryAfterSeconds !== undefined)
    throw new FaultSpecError(
      'retryAfterSeconds',
      `applies to status faults only (this one is ${kind}); leave it out or use kind "status"`,
    );
  if (kind !== 'latency' && spec.delayMs !== undefined)
    throw new FaultSpecError('delayMs', `applies to latency faults only (this one is ${kind}); leave it out`);
  const bad = spec.path.split('/').find((segment) => segment.includes('*') && segment !== '*');
  if (bad !== undefined)
    throw new FaultSpecError(
      'path',
      `has "*" inside the segment "${bad}": "*" must be a whole segment, matching any one segment (or, last, the rest of the path)`,
    );
}

/**
 * The one glob rule of fault paths: a segment `*` matches any one non-empty segment; a final `*`
 * matches one or more segments. Checked by {@link checkSpec}, so no `*` is ever taken literally.
 */
export function matchesPath(pattern: string, path: string): boolean {
  if (!pattern.includes('*')) return pattern === path;
  const want = pattern.split('/');
  const got = path.split('/');
  const last = want.length - 1;
  if (want[last] === '*' ? got.length < want.length : got.length !== want.length) return false;
  for (let i = 0; i < want.length; i++) {
    const segment = want[i];
    const actual = got[i] ?? '';
    if (segment === '*') {
      if (actual === '') return false;
      if (i === last) return got.slice(i).join('/') !== '';
    } else if (segment !== actual) return false;
  }
  return true;
}
