/** `real` follows the system time; `controlled` stands still until set or advanced. */
export type ClockMode = 'real' | 'controlled';

/** What a snapshot keeps of the clock. */
export interface ClockState {
  readonly mode: ClockMode;
  /** Epoch milliseconds: the controlled time, or the last real time observed. */
  readonly nowMs: number;
}

/** Called with the UTC month start (epoch ms) that the clock just moved across. */
export type MonthBoundaryListener = (boundaryMs: number) => void;

/** Options for {@link Clock}. */
export interface ClockOptions {
  /** Default `real`. */
  readonly mode?: ClockMode;
  /** Starting instant of a controlled clock; default the current real time. */
  readonly nowMs?: number;
  /** Source of real time (tests inject one); default the system time (`Date.now()`, pinned while a durable store replays). */
  readonly realNow?: () => number;
}

let pinnedMs: number | undefined;

/**
 * The system time real clocks follow: `Date.now()`, unless pinned. A durable store pins it while a
 * request runs (live: to the instant it records; replay: to the recorded instant), so that replaying
 * the request reads exactly the time the live run read.
 */
export function systemNow(): number {
  return pinnedMs ?? Date.now();
}

/** Pins {@link systemNow} to `ms` (or unpins with `undefined`); returns the function that restores the previous pin. */
export function pinSystemTime(ms: number | undefined): () => void {
  const previous = pinnedMs;
  pinnedMs = ms;
  return () => {
    pinnedMs = previous;
  };
}

/** One day in milliseconds (UTC days have no leap seconds here). */
export const DAY_MS = 86_400_000;

/** First UTC month start strictly after `ms`. */
export function nextMonthStartMs(ms: number): number {
  const date = new Date(ms);
  // Not Date.UTC: it reads years 0..99 as 1900..1999, so month starts in years 0000..0099 never fired.
  const next = new Date(0);
  next.setUTCFullYear(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return next.getTime();
}

/** Month starts a forward move from `fromMs` to `toMs` crosses (what it fires); 0 backwards. */
export function monthStartsCrossed(fromMs: number, toMs: number): number {
  if (toMs <= fromMs) return 0;
  const from = new Date(fromMs);
  const to = new Date(toMs);
  return to.getUTCFullYear() * 12 + to.getUTCMonth() - (from.getUTCFullYear() * 12 + from.getUTCMonth());
}

/** The clock's range: years 0000 to 9999, what an ISO-8601 date-time with four digits can show. */
export const MIN_INSTANT_MS = Date.parse('0000-01-01T00:00:00.000Z');
export const MAX_INSTANT_MS = Date.parse('9999-12-31T23:59:59.999Z');

/**
 * Epoch ms from epoch ms, a Date or an ISO-8601 string.
 * @throws RangeError when invalid or outside years 0000..9999.
 */
export function toEpochMs(instant: number | Date | string): number {
  const ms =
    typeof instant === 'number'
      ? instant
      : typeof instant === 'string'
        ? Date.parse(instant)
        : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a valid instant: ${String(instant)}`);
  if (ms < MIN_INSTANT_MS || ms > MAX_INSTANT_MS)
    throw new RangeError(`instant outside years 0000..9999: ${String(instant)}`);
  return ms;
}

/**
 * The one clock of a ledger (and of the server): journal times, idempotency expiry and billing
 * month boundaries all read it, so a test that moves it moves all three consistently.
 *
 * Month boundaries fire once for every UTC month start crossed while moving forward, in order,
 * with the boundary instant. A controlled clock fires inside `set`/`advance`; the real clock
 * fires lazily inside `now()` (there is no timer to keep the process alive). Moving backwards
 * fires nothing, and crossing the same month start again later fires it again.
 */
export class Clock {
  #mode: ClockMode;
  #nowMs: number;
  #nextBoundaryMs: number;
  readonly #realNow: () => number;
  readonly #listeners = new Set<MonthBoundaryListener>();

  constructor(options: ClockOptions = {}) {
    this.#realNow = options.realNow ?? systemNow;
    this.#mode = options.mode ?? 'real';
    this.#nowMs = options.nowMs ?? this.#realNow();
    this.#nextBoundaryMs = nextMonthStartMs(this.#nowMs);
  }

  /** A clock that stands at `instant` until set or advanced. */
  static controlled(instant: number | Date | string): Clock {
    return new Clock({ mode: 'controlled', nowMs: toEpochMs(instant) });
  }

  /** `real` or `controlled`; setting or advancing a real clock makes it controlled. */
  get mode(): ClockMode {
    return this.#mode;
  }

  /** Current time in epoch ms. The real clock never goes backwards, even if the system time does. */
  now(): number {
    if (this.#mode === 'real') {
      const real = this.#realNow();
      if (real > this.#nowMs) this.#moveTo(real);
    }
    return this.#nowMs;
  }

  /** Current time as an ISO-8601 string. */
  isoNow(): string {
    return new Date(this.now()).toISOString();
  }

  /** Stops the clock at `instant` (switching to controlled mode). Returns the new time. */
  set(instant: number | Date | string): number {
    const target = toEpochMs(instant);
    this.#mode = 'controlled';
    this.#moveTo(target);
    return target;
  }

  /** Moves the clock by `deltaMs` from now (switching to controlled mode). Returns the new time. */
  advance(deltaMs: number): number {
    if (!Number.isFinite(deltaMs)) throw new RangeError(`advance needs a finite number, got ${deltaMs}`);
    return this.set(this.now() + deltaMs);
  }

  /** The system time a real clock would follow (without moving this clock). */
  realTime(): number {
    return this.#realNow();
  }

  /** Goes back to following the system time from now on. */
  useRealTime(): void {
    this.#mode = 'real';
    this.#moveTo(this.#realNow());
  }

  /**
   * Puts the clock in `state` (default: following the system time) without firing month boundaries:
   * a reset replaces the books, so no time passes in them. A real clock resumes from the later of
   * `state.nowMs` and the system time.
   */
  restart(state: ClockState = { mode: 'real', nowMs: this.#realNow() }): void {
    this.#mode = state.mode;
    this.#nowMs = state.mode === 'real' ? Math.max(state.nowMs, this.#realNow()) : state.nowMs;
    this.#nextBoundaryMs = nextMonthStartMs(this.#nowMs);
  }

  /** Subscribes to month boundaries; returns the unsubscribe function. Listeners should not throw. */
  onMonthBoundary(listener: MonthBoundaryListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Mode and time, for snapshots. */
  state(): ClockState {
    return { mode: this.#mode, nowMs: this.#mode === 'real' ? this.now() : this.#nowMs };
  }

  #moveTo(target: number): void {
    const previous = this.#nowMs;
    // State first, listeners second: a listener that commits reads the new time and cannot
    // re-enter this boundary.
    this.#nowMs = target;
    if (target < previous) {
      this.#nextBoundaryMs = nextMonthStartMs(target);
      return;
    }
    while (this.#nextBoundaryMs <= this.#nowMs) {
      const boundary = this.#nextBoundaryMs;
      this.#nextBoundaryMs = nextMonthStartMs(boundary);
      for (const listener of [...this.#listeners]) listener(boundary);
    }
  }
}
