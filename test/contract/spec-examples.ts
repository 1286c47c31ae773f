import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// The examples Prism answers with, read from openapi.yaml the way Prism picks them in static mode:
// the lowest 2xx response of the operation, its JSON content, its `example` or first `examples`.

type Node = Record<string, unknown>;
const spec = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Node;

function deref(node: unknown): Node {
  let current = node as Node;
  for (let i = 0; i < 10 && typeof current?.$ref === 'string'; i++) {
    const path = (current.$ref as string).replace(/^#\//, '').split('/');
    current = path.reduce<Node>((at, key) => at[key] as Node, spec);
  }
  return current;
}

/** `{status, example}` of the success answer Prism's mock gives for `operationId`. */
export function prismExample(operationId: string): { status: number; example: unknown } {
  for (const item of Object.values(spec.paths as Node)) {
    for (const operation of Object.values(item as Node)) {
      if ((operation as Node)?.operationId !== operationId) continue;
      const responses = (operation as Node).responses as Node;
      const status = Object.keys(responses)
        .filter((code) => /^2\d\d$/.test(code))
        .sort()[0];
      if (!status) throw new Error(`${operationId} has no 2xx response`);
      const content = deref(responses[status]).content as Node | undefined;
      const json = content?.['application/json'] as Node | undefined;
      if (!json) return { status: Number(status), example: undefined };
      if ('example' in json) return { status: Number(status), example: json.example };
      const first = Object.values((json.examples ?? {}) as Node)[0];
      return { status: Number(status), example: first === undefined ? undefined : deref(first).value };
    }
  }
  throw new Error(`openapi.yaml has no operation ${operationId}`);
}
