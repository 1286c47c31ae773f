import type { core } from 'zod';
import type { JsonSchema, OperationSchema } from '../../generated/operations.js';
import { zodSchema } from '../../src/validate/compile.js';
import { type FieldErrors, REQUIRED } from './errors.js';

// Request validation derived from openapi.yaml: the generated JSON Schemas become zod schemas with
// `z.fromJSONSchema`, compiled once per operation on first use (start-up stays cheap).

// zod leaves `input` off issues unless asked; without it a wrong type reads as a missing field.
const PARSE_OPTIONS = { reportInput: true } as const;

export type Validated<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly errors: FieldErrors };

/** Validates a parsed JSON body against the operation's request schema. */
export function validateBody(operation: OperationSchema, body: unknown): Validated<Record<string, unknown>> {
  const schema = operation.body;
  if (!schema) return { ok: true, data: {} };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: { body: ['must be a JSON object'] } };
  }
  return parse(schema, body);
}

/** Validates query parameters, converting numeric and boolean parameters from their text first. */
export function validateQuery(
  operation: OperationSchema,
  query: URLSearchParams,
): Validated<Record<string, unknown>> {
  const schema = operation.query;
  if (!schema) return { ok: true, data: {} };
  const properties = (schema.properties ?? {}) as Record<string, { type?: unknown }>;
  const raw: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const text = query.get(name);
    if (text === null) continue;
    raw[name] = coerce(text, property.type);
  }
  return parse(schema, raw);
}

/**
 * Parses without `reportInput` first: that option turns zod's compiled object fast path off and
 * costs about 5x on every valid request. Only a refused value is parsed again to name its fields.
 */
function parse(schema: JsonSchema, value: unknown): Validated<Record<string, unknown>> {
  const zod = zodSchema(schema);
  const fast = zod.safeParse(value);
  if (fast.success) return { ok: true, data: fast.data as Record<string, unknown> };
  const result = zod.safeParse(value, PARSE_OPTIONS);
  return result.success
    ? { ok: true, data: result.data as Record<string, unknown> }
    : { ok: false, errors: toFieldErrors(result.error.issues) };
}

function coerce(text: string, type: unknown): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Groups zod issues by field (dotted path) as message fragments without the field name. */
export function toFieldErrors(issues: readonly core.$ZodIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const field = issue.path.map(String).join('.') || 'body';
    const list = errors[field] ?? [];
    const text = fragment(issue);
    if (!list.includes(text)) list.push(text);
    errors[field] = list;
  }
  return errors;
}

const ARTICLE: Record<string, string> = {
  int: 'an integer',
  integer: 'an integer',
  object: 'an object',
  array: 'an array',
};

/** One issue as a fragment that reads after the field name: `amount` + ` must be greater than 0`. */
export function fragment(issue: core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined
        ? REQUIRED
        : `must be ${ARTICLE[issue.expected] ?? `a ${issue.expected}`}`;
    case 'too_small':
      return bound('at least', 'greater than', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return bound('at most', 'less than', issue.origin, issue.maximum, issue.inclusive);
    case 'not_multiple_of': {
      // 0.01 -> 2 decimals, read from the divisor's text: `10 ** -4 !== 0.0001` in floating point.
      const match = /^0\.(0*)1$|^1e-(\d+)$/.exec(String(issue.divisor));
      const decimals = match ? (match[1] === undefined ? Number(match[2]) : match[1].length + 1) : 0;
      return decimals > 0
        ? `must have at most ${decimals} decimal${decimals > 1 ? 's' : ''}`
        : `must be a multiple of ${issue.divisor}`;
    }
    case 'invalid_format':
      return issue.format === 'regex'
        ? `must match the pattern ${issue.pattern ?? ''}`.trim()
        : `must be a valid ${issue.format}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `must be ${JSON.stringify(issue.values[0])}`
        : `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union': {
      const nested = issue.errors[0]?.[0];
      return nested ? fragment(nested) : 'has an invalid value';
    }
    default:
      return issue.message;
  }
}

function bound(
  inclusiveWord: string,
  exclusiveWord: string,
  origin: string,
  limit: number | bigint,
  inclusive?: boolean,
): string {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;
  if (origin === 'string') return `must be ${word} ${limit} characters long`;
  if (origin === 'array') return `must have ${word} ${limit} items`;
  return `must be ${word} ${limit}`;
}
