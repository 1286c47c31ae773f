/**
 * Checks on a JSON body's raw text that `JSON.parse` cannot make: nesting depth (a body nested 30,000
 * arrays deep parses, then overflows the stack of whatever walks it), and numbers a double cannot
 * carry exactly (`100.0000000000000001` parses as 100: the text is the only faithful source, so a
 * value that would be rounded is refused instead of silently moving a different amount).
 */

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 64;

export type JsonTextProblem =
  | { readonly kind: 'too_deep'; readonly detail: string }
  | { readonly kind: 'imprecise_number'; readonly field: string; readonly fragment: string };

const NUMBER_CHAR = /[\d+\-.eE]/;

/** The first problem of a JSON text, or `undefined`. Malformed text is left to `JSON.parse`. */
export function inspectJsonText(text: string): JsonTextProblem | undefined {
  const keys: (string | undefined)[] = []; // the key each open container sits under
  const isObject: boolean[] = [];
  let key: string | undefined;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      const end = stringEnd(text, i);
      // A string directly in an object before its colon is a key.
      if (isObject.at(-1) === true && nextNonSpace(text, end) === ':') key = readString(text.slice(i, end));
      i = end;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (keys.length >= MAX_JSON_DEPTH)
        return {
          kind: 'too_deep',
          detail: `The request body is nested more than ${MAX_JSON_DEPTH} levels deep; send a flatter body.`,
        };
      keys.push(isObject.at(-1) === true ? key : keys.at(-1));
      isObject.push(c === 0x7b);
      key = undefined;
      i += 1;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      key = keys.pop();
      isObject.pop();
      i += 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && NUMBER_CHAR.test(text.charAt(end))) end += 1;
      const token = text.slice(i, end);
      if (!carriedExactly(token)) {
        const field = (isObject.at(-1) === true ? key : keys.at(-1)) ?? 'body';
        return {
          kind: 'imprecise_number',
          field,
          fragment: `is ${token}, which a JSON number cannot carry exactly (at most 15 significant digits)`,
        };
      }
      i = end;
    } else i += 1;
  }
  return undefined;
}

/** Index just past the closing quote of the string starting at `start`. */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

function nextNonSpace(text: string, from: number): string {
  let i = from;
  while (i < text.length && /\s/.test(text.charAt(i))) i += 1;
  return text.charAt(i);
}

function readString(literal: string): string | undefined {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return undefined;
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** `sign digits e exponent` with no leading or trailing zeros: equal values, equal text. */
function canonical(text: string): string | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  const digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  const scale = Number(exponent) - fraction.length + (digits.length - trimmed.length);
  return `${sign}${trimmed}e${scale}`;
}

/** Whether the double `JSON.parse` makes of `token` has exactly the token's decimal value. */
function carriedExactly(token: string): boolean {
  // Up to 15 significant digits and a small exponent always come back exactly: skip the work.
  if (token.length <= 16 && !/[eE]/.test(token)) return true;
  const value = Number(token);
  if (!Number.isFinite(value)) return false;
  const wanted = canonical(token);
  return wanted === undefined || wanted === canonical(String(value).replace('e+', 'e'));
}
