import { defs, type JsonSchema, type OperationSchema, operations } from '../generated/operations.js';
import { closestKey, quoted } from './services/closest-name.js';

// openapi.yaml's `Seed` schema leaves `additionalProperties` open (the SDK reads API objects that may
// grow), so the schema alone lets a typo through: `"whitelabel"` would start the server with that
// family empty. A seed is input we own, so every object in it is closed to the keys its schema lists.

/** An unknown key of a seed: `path` names the key itself, `message` says what was meant. */
export interface UnknownKey {
  readonly path: string;
  readonly message: string;
}

/** Reported at most: a seed of the wrong shape altogether needs its first problems, not thousands. */
const MAX_REPORTED = 20;
/** Seeds nest five objects deep; anything deeper is not following the schema anyway. */
const MAX_DEPTH = 16;

export { closestKey, closestName, editDistance, quoted } from './services/closest-name.js';

function resolve(schema: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return schema;
  const target = (defs as Record<string, JsonSchema | undefined>)[ref.replace('#/$defs/', '')];
  if (!target) throw new Error(`seed schema: unresolved ${ref}`);
  return resolve(target);
}

/** openapi.yaml's `Seed`, as `POST /_mock/reset` and `POST /_mock/sandboxes` carry it in `seed`. */
export const SEED_OPERATION: OperationSchema = { ...operations.mockReset, body: { $ref: '#/$defs/Seed' } };
const SEED_SCHEMA = resolve(SEED_OPERATION.body ?? {});
/** The top-level keys of a seed, one per family. */
export const SEED_FIELDS: readonly string[] = Object.keys(SEED_SCHEMA.properties ?? {});

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every key of `seed` that openapi.yaml's `Seed` schema does not list where it appears, with the
 * known key it most likely meant. Values of the wrong type are left to the schema validation.
 * @example
 * ```ts
 * unknownSeedKeys({ whitelabel: {} });
 * // => [{ path: 'whitelabel', message: 'is not a seed field; did you mean "whiteLabel"?' }]
 * ```
 */
export function unknownSeedKeys(seed: unknown): UnknownKey[] {
  const found: UnknownKey[] = [];
  walk(SEED_SCHEMA, seed, '', 0, found);
  return found;
}

function walk(schema: JsonSchema, value: unknown, path: string, depth: number, found: UnknownKey[]): void {
  if (depth > MAX_DEPTH || found.length >= MAX_REPORTED) return;
  if (Array.isArray(value)) {
    const items = schema.items;
    if (typeof items === 'object' && items !== null)
      value.forEach((item, index) => {
        walk(resolve(items as JsonSchema), item, `${path}.${index}`, depth + 1, found);
      });
    return;
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (!isObject(value) || !properties) return;
  const known = Object.keys(properties);
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    const property = properties[key];
    if (property) {
      walk(resolve(property), child, childPath, depth + 1, found);
      continue;
    }
    if (found.length >= MAX_REPORTED) return;
    const meant = closestKey(key, known);
    found.push({
      path: childPath,
      message: meant
        ? `is not a seed field; did you mean "${meant}"?`
        : `is not a seed field; the fields here are ${quoted(known)}`,
    });
  }
}
