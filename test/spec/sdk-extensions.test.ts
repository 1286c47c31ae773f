import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFamilies } from '../../scripts/sdk/families.js';
import { readMethods } from '../../scripts/sdk/operations.js';
import type { Json } from '../../scripts/sdk/spec.js';

const load = async (): Promise<Json> =>
  parse(await readFile(new URL('../../openapi.yaml', import.meta.url), 'utf8'));

/** Edits one operation of a fresh copy of the spec. */
async function withOperation(path: string, method: string, edit: (operation: Json) => void): Promise<Json> {
  const spec = await load();
  edit((spec.paths as Record<string, Record<string, Json>>)[path]?.[method] as Json);
  return spec;
}

describe('the SDK extensions of openapi.yaml', () => {
  it('name a method for every operation of the four families', async () => {
    const spec = await load();
    const methods = readMethods(spec, readFamilies(spec));
    expect(methods.map((m) => `${m.family.key}.${m.name}`)).toContain('reseller.transfer');
    expect(methods.filter((m) => m.pagination).map((m) => m.name)).toEqual(['listCalls', 'listCreditLogs']);
  });

  it('stop the generator with what to add when an operation has no method name', async () => {
    const spec = await withOperation('/api/v1/reseller/credits/transfer', 'post', (operation) => {
      delete operation['x-ledgerline-sdk-method'];
    });
    expect(() => readMethods(spec, readFamilies(spec))).toThrow(
      /POST \/api\/v1\/reseller\/credits\/transfer \(operationId transferCreditsToChild, tag reseller\) has no valid x-ledgerline-sdk-method: add `x-ledgerline-sdk-method: <name>`/,
    );
  });

  it('refuse a method name used twice in a family, and a malformed pagination', async () => {
    const twice = await withOperation('/api/v1/reseller/credits/revert', 'post', (operation) => {
      operation['x-ledgerline-sdk-method'] = 'transfer';
    });
    expect(() => readMethods(twice, readFamilies(twice))).toThrow(
      /transfer is already used in the reseller family/,
    );
    const paging = await withOperation('/api/v1/billing/usage', 'get', (operation) => {
      operation['x-ledgerline-sdk-pagination'] = { results: 'items' };
    });
    expect(() => readMethods(paging, readFamilies(paging))).toThrow(
      /results must be a string like "\$response.name"/,
    );
  });

  it('refuse a security scheme that does not say which credential it carries', async () => {
    const spec = await load();
    const schemes = (spec.components as { securitySchemes: Record<string, Json> }).securitySchemes;
    delete schemes.resellerBearer?.['x-ledgerline-credential'];
    expect(() => readMethods(spec, readFamilies(spec))).toThrow(
      /resellerBearer needs x-ledgerline-credential/,
    );
  });
});
