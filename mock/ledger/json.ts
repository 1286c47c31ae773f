/** A JSON value as it appears in journal metadata, idempotency responses and snapshots. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

/**
 * Deep-copies and freezes a JSON value, so journal metadata and stored responses cannot be
 * changed later through a reference the caller still holds.
 */
export function freezeJson<T extends JsonValue>(value: T): T {
  return copyFrozen(value) as T;
}

function copyFrozen(value: JsonValue): JsonValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return Object.freeze(value.map(copyFrozen));
  // Object.keys, not Object.entries: the same own keys in the same order, without a pair array per key.
  const source = value as JsonObject;
  const out: Record<string, JsonValue> = {};
  for (const key of Object.keys(source)) out[key] = copyFrozen(source[key] as JsonValue);
  return Object.freeze(out);
}

/**
 * JSON text with object keys sorted, so two bodies that differ only in key order give the same
 * text (the request fingerprint must not depend on how a client orders its fields).
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as JsonObject;
  const keys = Object.keys(obj).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = obj[key];
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(item)}`);
  }
  return `{${parts.join(',')}}`;
}
