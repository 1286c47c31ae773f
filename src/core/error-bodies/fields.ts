import { record } from '../json.js';

/** Field errors normalised to `{field: [messages]}`, whatever the family's shape. */
export type FieldErrors = Record<string, string[]>;

/**
 * What one family's error body says, in shared terms: the family's own code, the server's own
 * words, field errors and, when the balance is short, its unit (`asset`) and what is left.
 * `refusal` marks credit-send's HTTP 501 business answers, which are never server faults
 * (`unauthenticated`: a login the API refused).
 */
export interface ErrorReading {
  familyCode?: string | undefined;
  text?: string | undefined;
  fields?: FieldErrors;
  asset?: string | undefined;
  available?: number | undefined;
  refusal?: 'not_found' | 'refused' | 'unauthenticated';
}

/** Reads one family's documented error body; bodies are untrusted, every field is checked. */
export type ErrorBodyReader = (status: number, body: Record<string, unknown>) => ErrorReading;

// `Number.isFinite` is false for anything but a finite number (it does not convert).
export const amount = (value: unknown): number | undefined =>
  Number.isFinite(value) ? (value as number) : undefined;

/** Field errors from `[field, message]` pairs; pairs that are not two strings are skipped. */
const collect = (pairs: unknown[][]): FieldErrors => {
  const out: FieldErrors = {};
  for (const [field, message] of pairs)
    if (typeof field === 'string' && typeof message === 'string')
      out[field] = [...(out[field] ?? []), message];
  return out;
};

/**
 * Field-list convention (reseller `invalid_request` / `invalid_cost_per_min` descriptions, and
 * credit-send `5_topi_invalidi` details after a leading "Invalid "): a `; `-separated list of
 * `<field>: <message>` items, e.g. "minutes: must be an integer >= 1; cost_per_min: is required".
 * Items that name no field are skipped (they stay in the message).
 */
export const parseFieldList = (description: string | undefined): FieldErrors =>
  collect(
    (description?.split(/;\s*/) ?? []).map(
      (item) => /^\s*([\w.[\]-]+):\s*(.+?)\.?\s*$/.exec(item)?.slice(1) ?? [],
    ),
  );

/**
 * Field errors sent as a map `{field: [messages]}` (Laravel `errors`, reseller `fields`) or as a list
 * `[{field, message}]` (billing `errors`). `[messages].flat()` reads one message or a list alike.
 */
export const fieldsOf = (value: unknown): FieldErrors =>
  collect(
    Array.isArray(value)
      ? value.map((item) => [record(item).field, record(item).message])
      : Object.entries(record(value)).flatMap(([field, messages]) =>
          [messages].flat().map((message) => [field, message]),
        ),
  );
