/**
 * Balances per (account, asset) slot, exact. A slot holds a float64 while its value is a safe
 * integer (the fast path: adding two safe integers is exact whenever the result is itself safe,
 * because IEEE addition rounds correctly), and moves to a bigint the first time it would leave
 * that range. Values are identical either way; only the representation differs.
 */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** True when a bigint converts to a number exactly. */
export function isSafeBig(value: bigint): boolean {
  return value <= MAX_SAFE && value >= -MAX_SAFE;
}

export class BalanceTable {
  #small = new Float64Array(64);
  #size = 0;
  // Slots whose value left the safe-integer range; their #small value is ignored.
  readonly #big = new Map<number, bigint>();

  /** Reserves `count` zero slots; returns the first slot. */
  allocate(count: number): number {
    const first = this.#size;
    this.#size += count;
    if (this.#size > this.#small.length) {
      const next = new Float64Array(Math.max(this.#small.length * 2, this.#size));
      next.set(this.#small);
      this.#small = next;
    }
    return first;
  }

  get(slot: number): bigint {
    const big = this.#big.get(slot);
    if (big !== undefined) return big;
    return BigInt(this.#small[slot] ?? 0);
  }

  /** The value as a number when it is a safe integer, else NaN (callers then use {@link get}). */
  getSmall(slot: number): number {
    if (this.#big.size !== 0 && this.#big.has(slot)) return Number.NaN;
    return this.#small[slot] ?? 0;
  }

  /** Adds a safe-integer delta. */
  addSmall(slot: number, delta: number): void {
    if (this.#big.size === 0 || !this.#big.has(slot)) {
      const next = (this.#small[slot] ?? 0) + delta;
      if (Number.isSafeInteger(next)) {
        this.#small[slot] = next;
        return;
      }
    }
    this.add(slot, BigInt(delta));
  }

  /** Adds any delta. */
  add(slot: number, delta: bigint): void {
    const next = this.get(slot) + delta;
    if (isSafeBig(next)) {
      this.#small[slot] = Number(next);
      this.#big.delete(slot);
    } else {
      this.#big.set(slot, next);
    }
  }

  /** Sets a slot (snapshot restore and tests). */
  set(slot: number, value: bigint): void {
    this.add(slot, value - this.get(slot));
  }
}
