/**
 * Growable typed-array columns. The journal stores one number per field per entry in these
 * instead of one object per entry: a million entries cost tens of bytes each, not hundreds, and
 * the garbage collector has nothing to trace.
 */

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Float64Array;

interface TypedArrayConstructor<T extends TypedArray> {
  new (length: number): T;
}

/** An append-only column of numbers backed by a typed array that doubles when full. */
export class Column<T extends TypedArray> {
  data: T;
  length = 0;
  readonly #make: TypedArrayConstructor<T>;

  constructor(make: TypedArrayConstructor<T>, initialCapacity = 16) {
    this.#make = make;
    this.data = new make(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.#grow();
    this.data[this.length] = value;
    this.length += 1;
  }

  /** Value at `index` (callers stay below `length`). */
  at(index: number): number {
    return this.data[index] ?? 0;
  }

  /** Last value, or -1 when empty. */
  last(): number {
    return this.length === 0 ? -1 : (this.data[this.length - 1] ?? -1);
  }

  #grow(): void {
    const next = new this.#make(this.data.length * 2);
    next.set(this.data);
    this.data = next;
  }
}

/** Unsigned 32-bit column (entry and account indexes). */
export function u32Column(initialCapacity?: number): Column<Uint32Array> {
  return new Column(Uint32Array, initialCapacity);
}

/** Float64 column (times, amounts that fit in a safe integer). */
export function f64Column(initialCapacity?: number): Column<Float64Array> {
  return new Column(Float64Array, initialCapacity);
}
