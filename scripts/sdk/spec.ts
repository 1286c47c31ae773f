/** Small helpers for reading the parsed openapi.yaml, shared by the generators. */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` itself, or the object its local `$ref` (`#/components/...`) points to; `{}` otherwise. */
export function resolveRef(spec: Json, value: unknown): Json {
  if (!isObject(value) || typeof value.$ref !== 'string') return isObject(value) ? value : {};
  let node: unknown = spec;
  for (const segment of value.$ref.replace(/^#\//, '').split('/'))
    node = isObject(node) ? node[segment] : undefined;
  return resolveRef(spec, node);
}
