import type { core } from 'zod';
import { defs, type JsonSchema, type OperationSchema } from '../../generated/operations.js';
import { zodSchema } from '../../src/validate/compile.js';
import { type FieldErrors, REQUIRED } from '../family-kit/errors.js';
import { closestName, quoted } from '../services/closest-name.js';

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
  // A closed query (the control API's) refuses a parameter it does not know instead of ignoring it.
  if (schema.additionalProperties === false)
    for (const name of query.keys()) if (!Object.hasOwn(properties, name)) raw[name] = query.get(name);
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
    : { ok: false, errors: toFieldErrors(result.error.issues, schema) };
}

function coerce(text: string, type: unknown): unknown {
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * Groups zod issues by field (dotted path) as message fragments without the field name. A key a
 * closed schema (`additionalProperties: false`) does not list is its own field, with the known field
 * it most likely meant, read from `schema` at the issue's path.
 */
export function toFieldErrors(issues: readonly core.$ZodIssue[], schema?: JsonSchema): FieldErrors {
  const errors: FieldErrors = {};
  // Own properties only: a field named `constructor` or `__proto__` (an unknown key) is just a field.
  const add = (field: string, text: string) => {
    const list = Object.hasOwn(errors, field) ? (errors[field] ?? []) : [];
    if (!list.includes(text)) list.push(text);
    Object.defineProperty(errors, field, {
      value: list,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  };
  const visit = (issue: core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const at = [...prefix, ...issue.path].map(String);
    if (issue.code === 'unrecognized_keys') {
      const known = schema === undefined ? [] : knownKeys(schema, at);
      for (const key of issue.keys) add([...at, key].join('.'), unknownField(key, known));
      return;
    }
    // A value of a union's branch type (a seed object where a seed or "demo" goes) is that branch's:
    // its own fields are named, not the union.
    const branch = issue.code === 'invalid_union' ? issue.errors.find(matchedBranch) : undefined;
    if (branch !== undefined && issue.code === 'invalid_union') {
      for (const inner of branch) visit(inner, [...prefix, ...issue.path]);
      return;
    }
    add(at.join('.') || 'body', fragment(issue));
  };
  for (const issue of issues) visit(issue, []);
  return errors;
}

/** A union branch whose type the value had: its issues are all below the value itself. */
function matchedBranch(branch: readonly core.$ZodIssue[]): boolean {
  return branch.length > 0 && branch.every((issue) => issue.path.length > 0);
}

/** `is not a field; did you mean "times"?`, or the list of fields when none is near. */
export function unknownField(key: string, known: readonly string[]): string {
  const meant = closestName(key, known);
  if (meant !== undefined) return `is not a field; did you mean "${meant}"?`;
  return known.length === 0 ? 'is not a field' : `is not a field; the fields here are ${quoted(known)}`;
}

/** The property names the schema lists at `path` (through refs, arrays and unions), for suggestions. */
function knownKeys(schema: JsonSchema, path: readonly string[]): string[] {
  let here: JsonSchema[] = [schema];
  for (const step of path) here = here.flatMap((s) => branches(s)).flatMap((s) => child(s, step));
  return [...new Set(here.flatMap((s) => branches(s)).flatMap((s) => Object.keys(propertiesOf(s))))];
}

function branches(schema: JsonSchema): JsonSchema[] {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = defs[ref.replace('#/$defs/', '')];
    return target === undefined ? [] : branches(target);
  }
  const union = [schema.oneOf, schema.anyOf, schema.allOf].flatMap((list) =>
    Array.isArray(list) ? list : [],
  );
  return union.length === 0 ? [schema] : union.flatMap((s: JsonSchema) => branches(s));
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const properties = schema.properties;
  return typeof properties === 'object' && properties !== null
    ? (properties as Record<string, JsonSchema>)
    : {};
}

function child(schema: JsonSchema, step: string): JsonSchema[] {
  if (/^\d+$/.test(step) && typeof schema.items === 'object' && schema.items !== null)
    return [schema.items as JsonSchema];
  const properties = propertiesOf(schema);
  const property = Object.hasOwn(properties, step) ? properties[step] : undefined;
  return property === undefined ? [] : [property];
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
