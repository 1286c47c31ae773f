import { DOCUMENTED_ORIGINS, FAMILY_KEYS_BY_TAG, type Family } from '../../generated/families.js';
import { type OperationSchema, operations } from '../../generated/operations.js';

/** A tag of openapi.yaml: one of the four families, or the reference server's control API. */
export type SpecTag = Family | 'mock-admin';

/** What openapi.yaml declares of a family: its tag, seed section, documented origins and operations. */
export interface SpecFamily<Tag extends SpecTag> {
  readonly tag: Tag;
  readonly seedKey?: string;
  readonly origins: readonly string[];
  readonly routes: Readonly<Record<string, OperationSchema>>;
}

/**
 * A built-in family's declarations as openapi.yaml has them (generated/families.ts and
 * generated/operations.ts), so that its folder states only what the spec cannot: credentials,
 * errors, state, handlers.
 */
export function specFamily<Tag extends SpecTag>(tag: Tag): SpecFamily<Tag> {
  const routes: Record<string, OperationSchema> = {};
  for (const [id, schema] of Object.entries(operations)) if (schema.family === tag) routes[id] = schema;
  const family: SpecTag = tag;
  if (family === 'mock-admin') return { tag, origins: [], routes };
  const key = FAMILY_KEYS_BY_TAG[family];
  return { tag, seedKey: key, origins: [DOCUMENTED_ORIGINS[key]], routes };
}
