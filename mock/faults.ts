/** Fault kinds of the `/_mock/faults` control API (DESIGN.md, "Mock control API"). */
export type FaultKind = 'latency' | 'status' | 'reset' | 'reset-after-commit';

/** A fault to inject: the body of `POST /_mock/faults`. */
export interface FaultSpec {
  /** Only requests with this method; any method when absent. */
  readonly method?: string;
  /** An exact path, or a prefix ending in `*` (`/api/v1/billing/*`). */
  readonly path: string;
  readonly kind: FaultKind;
  /** Delay for `latency`. */
  readonly ms?: number;
  /** Answer status for `status`. */
  readonly status?: number;
  /** How many matching requests it applies to; unlimited when absent. */
  readonly times?: number;
  /** Chance (0..1) that it applies to a matching request; 1 when absent. */
  readonly probability?: number;
}

/** An active fault, as `GET /_mock/faults` lists it. */
export interface Fault extends FaultSpec {
  readonly id: string;
  /** Applications left; `null` for unlimited. */
  remaining: number | null;
}

/** At most this many faults at once: a runaway test loop gets an error instead of eating memory. */
export const MAX_FAULTS = 1000;
/** Latency faults are capped so a typo cannot hang a test run for hours. */
export const MAX_LATENCY_MS = 120_000;

const NONE: readonly Fault[] = Object.freeze([]);

/** Holds the active faults and decides which apply to a request. */
export class FaultRegistry {
  readonly #faults: Fault[] = [];
  #nextId = 1;

  constructor(private readonly random: () => number = Math.random) {}

  add(spec: FaultSpec): Fault {
    if (this.#faults.length >= MAX_FAULTS)
      throw new RangeError(`At most ${MAX_FAULTS} faults can be active; DELETE /_mock/faults first.`);
    const fault: Fault = { ...spec, id: `flt_${this.#nextId++}`, remaining: spec.times ?? null };
    this.#faults.push(fault);
    return fault;
  }

  list(): readonly Fault[] {
    return this.#faults;
  }

  clear(): void {
    this.#faults.length = 0;
  }

  /**
   * The faults that fire for this request, each counted against its `times`. Exhausted faults are
   * removed so `GET /_mock/faults` shows only what can still fire.
   */
  take(method: string, path: string): readonly Fault[] {
    // No faults is the common case: no array and no scan per request.
    if (this.#faults.length === 0) return NONE;
    const fired: Fault[] = [];
    for (const fault of this.#faults) {
      if (fault.method && fault.method.toUpperCase() !== method) continue;
      if (!matchesPath(fault.path, path)) continue;
      if (fault.probability !== undefined && this.random() >= fault.probability) continue;
      if (fault.remaining !== null) fault.remaining -= 1;
      fired.push(fault);
    }
    for (let i = this.#faults.length - 1; i >= 0; i--)
      if (this.#faults[i]?.remaining === 0) this.#faults.splice(i, 1);
    return fired;
  }
}

function matchesPath(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : pattern === path;
}
