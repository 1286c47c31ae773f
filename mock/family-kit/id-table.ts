import { SeedError } from './family.js';

/**
 * A table keyed by identifiers that come from outside (seeds, headers, paths): a record without a
 * prototype, so `__proto__` or `constructor` is an ordinary missing key, never Object.prototype,
 * and writing one cannot replace the table's prototype (docs/decisions.md, "Identifiers and bounded work").
 */
export function idTable<T>(): Record<string, T> {
  return Object.create(null);
}

/** Longest identifier a seed may give (ids, API keys, session tokens, codes). */
export const SEED_ID_MAX = 256;
const RESERVED = new Set(['__proto__', 'constructor', 'prototype']);

/** C0 and C1 controls, DEL, and the line and paragraph separators. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) return true;
  }
  return false;
}

/**
 * `value` as a seed identifier, or a SeedError naming `path`: 1 to {@link SEED_ID_MAX} characters,
 * no control characters, and none of the names objects reserve.
 */
export function seedId(value: string, path: string): string {
  if (value.length === 0) throw new SeedError(path, 'must not be empty');
  if (value.length > SEED_ID_MAX)
    throw new SeedError(path, `is ${value.length} characters long; at most ${SEED_ID_MAX} are allowed`);
  if (hasControl(value)) throw new SeedError(path, 'must not contain control characters');
  if (RESERVED.has(value)) throw new SeedError(path, `"${value}" is reserved; choose another identifier`);
  return value;
}

/**
 * Parses a family state's JSON with every object made prototype-less (see {@link idTable}): a
 * restored state keeps the same guarantees as a seeded one.
 */
export function parseState(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? Object.assign(Object.create(null), value)
      : value,
  );
}
