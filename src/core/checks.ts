import { isRecord, record } from './json.js';

// An HTTP token (RFC 9110): what a header name may hold.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Checks one option that is present (not `undefined`), given its dotted name; records problems. */
export type Check = (value: unknown, name: string) => unknown;

/**
 * The known key a mistyped one stands for: another SDK's name for it (`aliases`, lower-cased), or
 * a known key it starts or ends like either way (`timeout` -> `timeoutMs`, `retries` -> `maxRetries`).
 */
export function closestKey(
  key: string,
  known: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): string | undefined {
  const plain = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
  const wanted = plain(key);
  const part = (a: string, b: string) => a.startsWith(b) || a.endsWith(b);
  const alias = aliases[wanted];
  if (alias && known.includes(alias)) return alias;
  return known.find((candidate) => part(plain(candidate), wanted) || part(wanted, plain(candidate)));
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
  /** Header names to string values; a value is never echoed (it may be a secret). */
  const headers: Check = (value, name) => {
    if (!want(isRecord(value), name, 'an object of header names to string values', value)) return;
    for (const [key, inner] of Object.entries(record(value))) {
      want(HEADER_NAME.test(key), name, 'header names of letters, digits and -', key);
      want(typeof inner === 'string' && !/[\r\n\0]/.test(inner), `${name}.${key}`, 'a string on one line');
    }
  };
  return { problems, want, section, int, headers };
}
