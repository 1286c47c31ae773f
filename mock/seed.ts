import { validateBody } from './http/validate.js';
import demo from './seeds/demo.json' with { type: 'json' };

/** The demo seed (`mock/seeds/demo.json`): the seed pages' examples give their documented figures. */
export const demoSeed: Readonly<Record<string, unknown>> = demo;

/** One problem of a seed: `path` names the field, `message` says what is wrong with it. */
export interface SeedIssue {
  readonly path: string;
  readonly message: string;
}

/** A seed that cannot be loaded; nothing was changed. */
export class SeedIssues extends Error {
  override readonly name = 'SeedIssues';
  constructor(readonly issues: readonly SeedIssue[]) {
    super(`Invalid seed: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

/**
 * Checks a seed against openapi.yaml's `Seed` schema (the same schema `POST /_mock/reset` documents)
 * and returns it; the families check what a schema cannot (unique ids, rates) while seeding.
 * @param seed A parsed seed; `undefined` or `null` stands for the demo seed.
 * @returns The checked seed.
 * @throws SeedIssues naming every offending field.
 * @example
 * ```ts
 * const seed = loadSeed(JSON.parse(await readFile('qa-seed.json', 'utf8')));
 * const mock = createHandlers({ seed });
 * ```
 */
export function loadSeed(seed: unknown): Readonly<Record<string, unknown>> {
  if (seed === undefined || seed === null) return demoSeed;
  const checked = validateBody('mockReset', seed);
  if (!checked.ok) {
    throw new SeedIssues(
      Object.entries(checked.errors).flatMap(([path, messages]) =>
        messages.map((message) => ({ path, message: `${path} ${message}` })),
      ),
    );
  }
  return checked.data;
}
