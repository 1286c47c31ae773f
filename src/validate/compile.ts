import { type core, fromJSONSchema, type ZodType } from 'zod';
import { defs, type JsonSchema } from '../../generated/operations.js';

// Keyed by the generated schema object: each is compiled once, on first use, so importing costs nothing.
const compiled = new WeakMap<JsonSchema, ZodType>();

/**
 * The zod schema of a JSON Schema from `generated/operations.ts` (derived from openapi.yaml), with
 * the spec's component schemas available as `#/$defs/...`.
 */
export function zodSchema(schema: JsonSchema): ZodType {
  let zod = compiled.get(schema);
  if (!zod) {
    zod = fromJSONSchema({ ...schema, $defs: defs } as core.JSONSchema.JSONSchema, {
      defaultTarget: 'draft-2020-12',
    });
    compiled.set(schema, zod);
  }
  return zod;
}
