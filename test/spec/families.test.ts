import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { FAMILIES, FAMILY_KEYS, FAMILY_KEYS_BY_TAG, PATH_PREFIXES } from '../../generated/families.js';
import { operations } from '../../generated/operations.js';
import { readFamilies } from '../../scripts/sdk/families.js';

const tag = (extension: unknown) => ({ tags: [{ name: 'white-label', 'x-ledgerline-family': extension }] });

describe('families declared in openapi.yaml', () => {
  it('lists the four families, each once, with keys and tags that map both ways', () => {
    expect(FAMILY_KEYS).toEqual(['whiteLabel', 'reseller', 'creditSend', 'billing']);
    for (const key of FAMILY_KEYS) expect(FAMILY_KEYS_BY_TAG[FAMILIES[key]]).toBe(key);
  });

  it('puts every operation of a family below its path prefix', () => {
    for (const [id, operation] of Object.entries(operations)) {
      const key = FAMILY_KEYS_BY_TAG[operation.family as keyof typeof FAMILY_KEYS_BY_TAG];
      if (key === undefined) continue;
      expect(operation.path.startsWith(PATH_PREFIXES[key]), id).toBe(true);
    }
  });

  it('reads the same families the generated file holds', async () => {
    const spec = parse(await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8'));
    expect(readFamilies(spec).map((family) => family.key)).toEqual(FAMILY_KEYS);
  });

  it('refuses a family extension with a missing or malformed field, naming it', () => {
    expect(() => readFamilies(tag({ origin: 'https://a.example', pathPrefix: '/' }))).toThrow(
      /tag white-label x-ledgerline-family.key/,
    );
    expect(() => readFamilies(tag({ key: 'whiteLabel', origin: 'http://a', pathPrefix: '/' }))).toThrow(
      /x-ledgerline-family.origin/,
    );
    expect(() =>
      readFamilies(tag({ key: 'whiteLabel', origin: 'https://a.example', pathPrefix: 'api' })),
    ).toThrow(/x-ledgerline-family.pathPrefix/);
    expect(() => readFamilies({ tags: [{ name: 'mock-admin' }] })).toThrow(
      /no tag has an x-ledgerline-family/,
    );
  });
});
