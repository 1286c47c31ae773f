import { describe, expect, it } from 'vitest';
import { type AssetDefinition, AssetRegistry, FAMILIES, isFamily } from '../../mock/ledger/index.js';

/** White-label's two assets only: the other families have none here. */
const WHITE_LABEL: readonly AssetDefinition[] = [
  { family: 'white-label', asset: 'minutes', scale: 0 },
  { family: 'white-label', asset: 'credits', scale: 2 },
];

describe('asset definitions', () => {
  it('tells the families of openapi.yaml from any other tag', () => {
    for (const family of FAMILIES) expect(isFamily(family)).toBe(true);
    expect(isFamily('nope')).toBe(false);
    expect(isFamily('White-Label')).toBe(false);
  });

  // A family author sees these refusals when declaring its assets: each says what to fix.
  it('refuses an unknown family, a scale outside 0..18 or not whole, and an asset defined twice', () => {
    const refusal = (definitions: unknown[]) => () => new AssetRegistry(definitions as AssetDefinition[]);
    expect(refusal([{ family: 'nope', asset: 'x', scale: 0 }])).toThrow(/^unknown family nope$/);
    for (const scale of [-1, 19, 1.5, Number.NaN]) {
      expect(refusal([{ family: 'reseller', asset: 'usd', scale }])).toThrow(
        /^scale of reseller\/usd must be an integer 0\.\.18$/,
      );
    }
    expect(refusal([...WHITE_LABEL, { family: 'white-label', asset: 'minutes', scale: 0 }])).toThrow(
      /^asset white-label\/minutes defined twice$/,
    );
  });

  it('accepts the bounds of the scale, and one asset name in two families as two assets', () => {
    const registry = new AssetRegistry([
      { family: 'reseller', asset: 'usd', scale: 18 },
      { family: 'credit-send', asset: 'credits', scale: 0 },
      { family: 'white-label', asset: 'credits', scale: 2 },
    ]);
    expect(registry.scaleOf('reseller', 'usd')).toBe(18);
    expect(registry.scaleOf('credit-send', 'credits')).toBe(0);
    expect(registry.scaleOf('white-label', 'credits')).toBe(2);
  });
});

describe('an asset registry', () => {
  it('gives each asset its family slot and registry index, in definition order', () => {
    const registry = new AssetRegistry(WHITE_LABEL);
    expect(registry.ofFamily('white-label').map(({ asset, slot }) => [asset, slot])).toEqual([
      ['minutes', 0],
      ['credits', 1],
    ]);
    expect(registry.slotCount('white-label')).toBe(2);
    expect(registry.at(1)).toMatchObject({ family: 'white-label', asset: 'credits', index: 1, slot: 1 });
    expect(registry.all().map(({ asset }) => asset)).toEqual(['minutes', 'credits']);
    expect(registry.definitions()).toEqual(WHITE_LABEL);
  });

  it('answers for a family without assets: nothing found, no slots', () => {
    const registry = new AssetRegistry(WHITE_LABEL);
    expect(registry.find('reseller', 'usd')).toBeUndefined();
    expect(registry.ofFamily('reseller')).toEqual([]);
    expect(registry.slotCount('reseller')).toBe(0);
  });

  it('refuses the scale of an unknown asset and an index past the end, naming them', () => {
    const registry = new AssetRegistry(WHITE_LABEL);
    expect(registry.scaleOf('white-label', 'minutes')).toBe(0);
    expect(() => registry.scaleOf('white-label', 'usd')).toThrow(/^unknown asset white-label\/usd$/);
    expect(() => registry.at(2)).toThrow(new RangeError('no asset at index 2'));
  });
});
