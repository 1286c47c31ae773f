import { FAMILIES as FAMILY_TAGS, type Family } from '../../generated/families.js';

/** The endpoint families that move value: their tags as openapi.yaml declares them. */
export type { Family };

/** Every family tag, in a stable order (used for compact family indexes). */
export const FAMILIES: readonly Family[] = Object.values(FAMILY_TAGS);

/** An asset as a family declares it (mock/families/<family>/): its name and the decimals it carries. */
export interface FamilyAsset {
  readonly asset: string;
  readonly scale: number;
}

/** One asset of one family and the number of decimals its amounts carry. */
export interface AssetDefinition extends FamilyAsset {
  readonly family: Family;
}

/** Whether `tag` is a family the ledger keeps accounts of: a family tag of openapi.yaml. */
export function isFamily(tag: string): tag is Family {
  return FAMILIES.some((family) => family === tag);
}

/** An asset with its compact indexes (internal to the engine). */
export interface AssetInfo extends AssetDefinition {
  /** Position among all assets of the registry. */
  readonly index: number;
  /** Position among the assets of its family: the balance slot offset inside an account. */
  readonly slot: number;
}

/**
 * Family + asset name -> scale. Assets are per family: white-label `credits` (2 decimals) and
 * credit-send `credits` (whole) are different assets that never mix.
 */
export class AssetRegistry {
  readonly #byFamily = new Map<Family, Map<string, AssetInfo>>();
  readonly #all: AssetInfo[] = [];

  constructor(definitions: readonly AssetDefinition[]) {
    for (const def of definitions) {
      if (!FAMILIES.includes(def.family)) throw new Error(`unknown family ${def.family}`);
      if (!Number.isInteger(def.scale) || def.scale < 0 || def.scale > 18) {
        throw new Error(`scale of ${def.family}/${def.asset} must be an integer 0..18`);
      }
      let assets = this.#byFamily.get(def.family);
      if (assets === undefined) {
        assets = new Map();
        this.#byFamily.set(def.family, assets);
      }
      if (assets.has(def.asset)) throw new Error(`asset ${def.family}/${def.asset} defined twice`);
      const info: AssetInfo = { ...def, index: this.#all.length, slot: assets.size };
      assets.set(def.asset, info);
      this.#all.push(info);
    }
  }

  /** The asset, or undefined when the family has no asset of that name. */
  find(family: Family, asset: string): AssetInfo | undefined {
    return this.#byFamily.get(family)?.get(asset);
  }

  /** Decimals of a family's asset. @throws Error when the asset is unknown. */
  scaleOf(family: Family, asset: string): number {
    const info = this.find(family, asset);
    if (info === undefined) throw new Error(`unknown asset ${family}/${asset}`);
    return info.scale;
  }

  /** Assets of one family in slot order. */
  ofFamily(family: Family): readonly AssetInfo[] {
    return [...(this.#byFamily.get(family)?.values() ?? [])];
  }

  /** Number of balance slots an account of the family needs. */
  slotCount(family: Family): number {
    return this.#byFamily.get(family)?.size ?? 0;
  }

  /** Asset by its registry index. */
  at(index: number): AssetInfo {
    const info = this.#all[index];
    if (info === undefined) throw new RangeError(`no asset at index ${index}`);
    return info;
  }

  /** Every asset, in registry order. */
  all(): readonly AssetInfo[] {
    return this.#all;
  }

  /** The definitions, as given (for snapshots). */
  definitions(): AssetDefinition[] {
    return this.#all.map(({ family, asset, scale }) => ({ family, asset, scale }));
  }
}
