import type { components } from '../generated/openapi.js';

/** A reference-server seed (DESIGN.md "Seed format"), typed from openapi.yaml's `Seed` schema. */
export type Seed = components['schemas']['Seed'];
