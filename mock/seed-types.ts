import type { components } from '../generated/openapi.js';

/** A reference-server seed (docs/decisions.md, "The project contract"), typed from openapi.yaml's `Seed` schema. */
export type Seed = components['schemas']['Seed'];

/** A family's section of the seed (`reseller`, `whiteLabel`...), as `loadSeed` checked it. */
export type SeedSection<Key extends keyof Seed> = NonNullable<Seed[Key]>;
