import type { FamilyModule } from '../family-kit/family.js';
import type { AssetDefinition } from '../ledger/assets.js';
import { Router } from './router.js';

/** The reference origin: the CLI's default address, intercepted by MSW besides the documented hosts. */
export const REFERENCE_ORIGIN = 'http://localhost:4010';

/**
 * The families a server serves, checked together once: unique tags and seed sections, no operation
 * routed twice. The app, the world, the MSW handlers and the control views all loop over it; adding
 * a family is adding a member (docs/architecture.md).
 */
export class FamilyRegistry {
  readonly families: readonly FamilyModule[];
  readonly router: Router;
  /** The reference origin and every family's documented origins, in registry order. */
  readonly origins: readonly string[];
  /** Every member's assets, in registry order: what a world's ledger holds (and a snapshot records). */
  readonly assets: readonly AssetDefinition[];

  constructor(families: readonly FamilyModule[]) {
    const tags = new Set<string>();
    const seedKeys = new Set<string>();
    for (const family of families) {
      if (tags.has(family.tag)) throw new Error(`family ${family.tag} is registered twice`);
      tags.add(family.tag);
      if (family.seedKey === undefined) continue;
      if (seedKeys.has(family.seedKey)) throw new Error(`seed section ${family.seedKey} is claimed twice`);
      seedKeys.add(family.seedKey);
    }
    this.families = families;
    this.router = new Router(families);
    this.origins = [...new Set([REFERENCE_ORIGIN, ...families.flatMap((family) => family.origins)])];
    this.assets = families.flatMap((family) => family.assets);
  }

  /** The operationIds of the members other than the control API: what a request journal can list. */
  familyOperationIds(): string[] {
    return this.families.filter((family) => !family.control).flatMap((family) => Object.keys(family.routes));
  }

  /** The member with this tag. */
  find(tag: string): FamilyModule | undefined {
    return this.families.find((family) => family.tag === tag);
  }
}
