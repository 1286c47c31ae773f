/** A plain object (not an array, not null): what JSON bodies and option groups must be. */
export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `v` when it is a plain object, else `{}`, so its fields can be read without further checks. */
export const record = (v: unknown): Record<string, unknown> => (isRecord(v) ? v : {});

/** `v` when it is a string with more than blanks, else `undefined`. */
export const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
