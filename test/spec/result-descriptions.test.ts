import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { parse } from 'yaml';

/*
 * The API reference lists every result type's fields with the spec's descriptions (the generated
 * result interfaces carry them): a field without one is a blank line in the reference and in a hover.
 */

type Node = Record<string, unknown>;
const spec = parse(readFileSync(join(import.meta.dirname, '../../openapi.yaml'), 'utf8')) as Node;
const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null;

function resolve(value: unknown): Node {
  let node = isNode(value) ? value : {};
  while (typeof node.$ref === 'string') {
    let target: unknown = spec;
    for (const part of node.$ref.slice(2).split('/')) target = isNode(target) ? target[part] : undefined;
    node = isNode(target) ? target : {};
  }
  return node;
}

/** `Schema.field` for every property under `schema` (through refs, unions and arrays) without a description. */
function undescribed(schema: unknown, where: string, seen: Set<unknown>, out: string[]): void {
  const name = isNode(schema) && typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;
  const node = resolve(schema);
  if (seen.has(node)) return;
  seen.add(node);
  for (const key of ['oneOf', 'anyOf', 'allOf'])
    for (const option of Array.isArray(node[key]) ? node[key] : []) undescribed(option, where, seen, out);
  if (node.items !== undefined) undescribed(node.items, `${where}[]`, seen, out);
  const properties = isNode(node.properties) ? node.properties : {};
  for (const [field, property] of Object.entries(properties)) {
    const own = isNode(property) ? property.description : undefined;
    if (!own && !resolve(property).description) out.push(`${name ?? where}.${field}`);
    undescribed(property, `${name ?? where}.${field}`, seen, out);
  }
}

it('describes every property of every family operation result in openapi.yaml', () => {
  const missing: string[] = [];
  const seen = new Set<unknown>();
  let results = 0;
  for (const [path, item] of Object.entries(isNode(spec.paths) ? spec.paths : {})) {
    if (path.startsWith('/_mock')) continue;
    for (const operation of Object.values(isNode(item) ? item : {})) {
      if (!isNode(operation) || !isNode(operation.responses)) continue;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^2\d\d$/.test(status)) continue;
        const content = resolve(response).content;
        for (const media of Object.values(isNode(content) ? content : {})) {
          results += 1;
          undescribed(isNode(media) ? media.schema : undefined, String(operation.operationId), seen, missing);
        }
      }
    }
  }
  expect(results).toBeGreaterThanOrEqual(25);
  expect(missing).toEqual([]);
});
