import { isRecord } from './json.js';

/** Checks one option that is present (not `undefined`), given its dotted name; records problems. */
export type Check = (value: unknown, name: string) => unknown;

/** The known key closest to a mistyped one (`timeout` -> `timeoutMs`), if any is close enough. */
export function closestKey(
  key: string,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const plain = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
  const wanted = plain(key);
  const alias = aliases[wanted];
  if (alias && known.includes(alias)) return alias;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const other = plain(candidate);
    // A prefix or suffix either way (`timeout`, `retries`) is as close as it gets.
    const part = (a: string, b: string) => a.startsWith(b) || a.endsWith(b);
    const distance = part(other, wanted) || part(wanted, other) ? 0 : editDistance(wanted, other);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] ?? 0;
}

/**
 * The checks of an options object, recording every problem as `<option>: expected <what>, got
 * <value>` in `problems`, so one error can list them all. Values are echoed with JSON.stringify:
 * a check of a credential never passes `got`, so a secret is never echoed.
 */
export function createChecks(hint?: (key: string, known: readonly string[]) => string | undefined) {
  const problems: string[] = [];
  // Records a problem unless `ok`, and returns `ok`, so a failed check can skip the checks inside.
  const want = (ok: unknown, name: string, expected: string, got?: unknown): boolean =>
    !!ok ||
    !problems.push(`${name}: expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`);
  /**
   * An object holding only the keys of `checks` (typos are reported, not ignored), each present one
   * checked in turn. `name` is the object's option name; `options` itself prefixes nothing.
   */
  const section = (name: string, value: unknown, checks: Record<string, Check>, or = ''): boolean => {
    const known = Object.keys(checks);
    const keys = known.join(', ');
    if (!want(isRecord(value), name, `${or}an object with ${keys}`, value) || !isRecord(value)) return false;
    for (const key of Object.keys(value)) {
      if (want(key in checks, name, `only ${keys}`, key)) continue;
      const close = hint?.(key, known);
      if (close) problems[problems.length - 1] += ` (did you mean ${close}?)`;
    }
    for (const [key, check] of Object.entries(checks))
      if (value[key] !== undefined) check(value[key], name === 'options' ? key : `${name}.${key}`);
    return true;
  };
  const int =
    (min: number, max: number): Check =>
    (value, name) =>
      want(
        Number.isInteger(value) && (value as number) >= min && (value as number) <= max,
        name,
        `an integer ${min}..${max}`,
        value,
      );
  return { problems, want, section, int };
}
