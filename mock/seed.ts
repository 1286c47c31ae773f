import type { JsonObject, JsonValue } from './ledger/json.js';
import { quoted, SEED_FIELDS, SEED_OPERATION, unknownSeedKeys } from './seed-keys.js';
import demo from './seeds/demo.json' with { type: 'json' };
import { validateBody } from './steps/validate.js';

/** The demo seed (`mock/seeds/demo.json`): the seed pages' examples give their documented figures. */
export const demoSeed: Readonly<Record<string, unknown>> = demo;

/**
 * The startup seed as a snapshot keeps it (`extensions.startSeed`): `"demo"` for the demo seed, else
 * the checked seed. A world restored from its snapshot, on a restart or on another replica, then
 * resets (and seeds new sandboxes) from the seed it was made with, not from the restoring process's.
 */
export function savedSeed(startSeed: Readonly<Record<string, unknown>>): JsonValue {
  return startSeed === demoSeed ? 'demo' : (startSeed as JsonObject);
}

/**
 * The startup seed a snapshot holds, checked; `undefined` for a snapshot taken before snapshots held
 * it (the restoring process's seed applies then). @throws SeedIssues when it is not a seed.
 */
export function startSeedOf(
  snapshot: { readonly extensions: JsonObject } | undefined,
  extraSections: readonly string[],
): Readonly<Record<string, unknown>> | undefined {
  const saved = snapshot?.extensions.startSeed;
  if (saved === undefined) return undefined;
  return loadSeed(saved === 'demo' ? undefined : saved, extraSections);
}

/** The seed a reset or a new sandbox asked for: absent is the startup seed, `'demo'` the demo seed. */
export function chosenSeed(startSeed: unknown, choice: unknown): unknown {
  if (choice === undefined) return startSeed;
  return choice === 'demo' ? demoSeed : choice;
}

/**
 * One problem of a seed: `path` names the field (dotted, `reseller.resellers.0.balance`; empty for
 * the seed itself), `message` says what is wrong with it, without repeating the path.
 */
export interface SeedIssue {
  readonly path: string;
  readonly message: string;
}

/** A seed that cannot be loaded; nothing was changed. */
export class SeedIssues extends Error {
  override readonly name = 'SeedIssues';
  constructor(readonly issues: readonly SeedIssue[]) {
    const listed = issues.map((i) => (i.path ? `${i.path} ${i.message}` : i.message)).join('; ');
    super(`Invalid seed: ${listed}${/[.?]$/.test(listed) ? '' : '.'}`);
  }
}

/**
 * Checks a seed against openapi.yaml's `Seed` schema (the same schema `POST /_mock/reset` documents)
 * and returns it; the families check what a schema cannot (unique ids, rates) while seeding.
 * @param seed A parsed seed; `undefined` or `null` stands for the demo seed.
 * @param extraSections Seed sections of families registered beside the built-in ones (left to them).
 * @returns The checked seed.
 * @throws SeedIssues naming every offending field.
 * @example
 * ```ts
 * const seed = loadSeed(JSON.parse(await readFile('qa-seed.json', 'utf8')));
 * const mock = createMockFetch({ seed });
 * ```
 */
export function loadSeed(
  seed: unknown,
  extraSections: readonly string[] = [],
): Readonly<Record<string, unknown>> {
  if (seed === undefined || seed === null) return demoSeed;
  if (typeof seed !== 'object' || Array.isArray(seed)) {
    const got = Array.isArray(seed) ? 'an array' : `a ${typeof seed}`;
    throw new SeedIssues([
      { path: '', message: `a seed is a JSON object with any of ${quoted(SEED_FIELDS)}; this one is ${got}` },
    ]);
  }
  // Sections of families registered beside openapi.yaml's are theirs to check while seeding.
  const extra: Record<string, unknown> = {};
  const spec: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(seed)) (extraSections.includes(key) ? extra : spec)[key] = value;
  const checked = validateBody(SEED_OPERATION, spec);
  const issues: SeedIssue[] = checked.ok
    ? []
    : Object.entries(checked.errors).flatMap(([path, messages]) =>
        messages.map((message) => ({ path, message })),
      );
  // A misspelt key is often also a missing required one: the typo comes first, it is the cause.
  issues.unshift(...unknownSeedKeys(spec));
  if (!checked.ok || issues.length > 0) throw new SeedIssues(issues);
  return { ...checked.data, ...extra };
}
