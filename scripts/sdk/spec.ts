/** Small helpers for reading the parsed openapi.yaml, shared by the generators. */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
