/**
 * The API families as openapi.yaml declares them: every tag with an `x-ledgerline-family` extension
 * is a family of the SDK (the `mock-admin` tag has none). Read once here, emitted into
 * `generated/families.ts` for the SDK and the reference server.
 */
import { isObject, type Json } from './spec.js';

/** One family as read from its tag. */
export interface FamilySpec {
  /** The wire tag: `err.family`, the OpenAPI tag (`white-label`). */
  readonly tag: string;
  /** The camelCase key of client options and of the client (`whiteLabel`). */
  readonly key: string;
  /** The documented public origin (`https://app.autocalls.ai`). */
  readonly origin: string;
  /** Where the family's native paths start (`/api/`). */
  readonly pathPrefix: string;
  /** The tag's description: what the family moves and how it answers errors. */
  readonly description: string;
  /** The member of every success body that holds the data (billing: `data`), if the family wraps them. */
  readonly successEnvelope: string | undefined;
}

const EXTENSION = 'x-ledgerline-family';

function requireString(where: string, field: string, value: unknown, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value))
    throw new Error(`openapi.yaml: ${where} ${EXTENSION}.${field} must be a string matching ${pattern}`);
  return value;
}

/** The families of openapi.yaml, in the order of its `tags`. Throws on a malformed extension. */
export function readFamilies(spec: Json): FamilySpec[] {
  const tags = Array.isArray(spec.tags) ? spec.tags.filter(isObject) : [];
  const families: FamilySpec[] = [];
  for (const tag of tags) {
    const extension = tag[EXTENSION];
    if (extension === undefined) continue;
    const where = `tag ${String(tag.name)}`;
    if (!isObject(extension)) throw new Error(`openapi.yaml: ${where} ${EXTENSION} must be an object`);
    families.push({
      tag: requireString(where, 'name', tag.name, /^[a-z][a-z-]*$/),
      key: requireString(where, 'key', extension.key, /^[a-z][A-Za-z]*$/),
      origin: requireString(where, 'origin', extension.origin, /^https:\/\/[a-z0-9.-]+$/),
      pathPrefix: requireString(where, 'pathPrefix', extension.pathPrefix, /^\/([a-z0-9-]+\/)*$/),
      description: typeof tag.description === 'string' ? tag.description.trim() : '',
      successEnvelope:
        extension.successEnvelope === undefined
          ? undefined
          : requireString(where, 'successEnvelope', extension.successEnvelope, /^[a-z][A-Za-z]*$/),
    });
  }
  if (families.length === 0) throw new Error(`openapi.yaml: no tag has an ${EXTENSION} extension`);
  for (const field of ['tag', 'key'] as const) {
    const seen = new Set(families.map((family) => family[field]));
    if (seen.size !== families.length) throw new Error(`openapi.yaml: two families share a ${field}`);
  }
  return families;
}

const quote = (value: string) => `'${value}'`;
const table = (families: readonly FamilySpec[], value: (family: FamilySpec) => string) =>
  families.map((family) => `  ${family.key}: ${quote(value(family))},`).join('\n');

/** `generated/families.ts` without its banner. */
export function renderFamilies(families: readonly FamilySpec[]): string {
  return `
/**
 * The API families of openapi.yaml (tags with an \`x-ledgerline-family\` extension). \`Family\` is the
 * wire tag (\`err.family\`, OpenAPI tags); \`FamilyKey\` is the camelCase name used in client options
 * and on the client (\`client.whiteLabel\`).
 */
export type Family = ${families.map((family) => quote(family.tag)).join(' | ')};

/** The camelCase family name of client options and of the client: \`client.whiteLabel\`, \`baseUrls.billing\`. */
export type FamilyKey = ${families.map((family) => quote(family.key)).join(' | ')};

/** Family key -> wire tag, in the order openapi.yaml lists the families. */
export const FAMILIES: Readonly<Record<FamilyKey, Family>> = {
${table(families, (family) => family.tag)}
};

/** Wire tag -> family key. */
export const FAMILY_KEYS_BY_TAG: Readonly<Record<Family, FamilyKey>> = {
${families.map((family) => `  ${quote(family.tag)}: ${quote(family.key)},`).join('\n')}
};

/** The family keys, in the order of \`FAMILIES\`. */
export const FAMILY_KEYS: readonly FamilyKey[] = [${families.map((family) => quote(family.key)).join(', ')}];

/** Documented public hosts. Spec paths are full native paths, so base URLs are bare origins. */
export const DOCUMENTED_ORIGINS: Readonly<Record<FamilyKey, string>> = {
${table(families, (family) => family.origin)}
};

/** Where each family's native paths start (every path of the family begins with it). */
export const PATH_PREFIXES: Readonly<Record<FamilyKey, string>> = {
${table(families, (family) => family.pathPrefix)}
};
`;
}
