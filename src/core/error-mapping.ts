import {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  ConflictError,
  IdempotencyError,
  InsufficientBalanceError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ServerError,
  ValidationError,
} from './errors.js';
import type { Family } from './family.js';
import { record, text } from './json.js';
import { retryAfterMs } from './retry.js';

/*
 * `createApiError` turns each family's documented error body into the shared hierarchy
 * (docs/decisions.md lists the shapes): one `case` per family reads its shape into shared terms,
 * then one tail picks the class and writes the message. Bodies are untrusted: every field is checked
 * before use, and an unknown shape still yields an ApiError subclass chosen by status.
 *
 * Field-list convention (reseller `invalid_request` / `invalid_cost_per_min` descriptions, and
 * credit-send `5_topi_invalidi` details after a leading "Invalid "): a `; `-separated list of
 * `<field>: <message>` items, e.g. "minutes: must be an integer >= 1; cost_per_min: is required".
 * Items without a `<field>:` prefix stay in the message only. A reseller body may also carry
 * `fields: {field: [messages]}`, merged in.
 */

type FieldErrors = Record<string, string[]>;

// `Number.isFinite` is false for anything but a finite number (it does not convert).
const amount = (v: unknown): number | undefined => (Number.isFinite(v) ? (v as number) : undefined);
// Ends a server's phrase with exactly one period, so a next step can follow.
const end = (s: string): string => s.replace(/\.?$/, '.');

/**
 * Per status: the code for bodies without one (white-label bodies carry none), the error class, and
 * what to do next, appended to the server's own words. 429 and 422 build their own subclasses.
 */
const STATUS: Record<number, readonly [code: string, type?: typeof ApiError, next?: string]> = {
  401: ['unauthenticated', AuthenticationError, ' Check the credentials for this family.'],
  403: ['forbidden', PermissionDeniedError, ' Check the role or scopes of the credential.'],
  404: ['not_found', NotFoundError],
  409: ['conflict', ConflictError, ' The same Idempotency-Key is in progress; retry shortly.'],
  422: ['validation_failed'],
  429: ['rate_limited', ApiError, ' Slow down and retry later.'],
};

/** Field errors from `[field, message]` pairs; pairs that are not two strings are skipped. */
const collect = (pairs: unknown[][]): FieldErrors => {
  const out: FieldErrors = {};
  for (const [field, message] of pairs)
    if (typeof field === 'string' && typeof message === 'string')
      out[field] = [...(out[field] ?? []), message];
  return out;
};

/** Parses the field-list convention above; items that name no field are skipped. */
export const parseFieldList = (description: string | undefined): FieldErrors =>
  collect(
    (description?.split(/;\s*/) ?? []).map(
      (item) => /^\s*([\w.[\]-]+):\s*(.+?)\.?\s*$/.exec(item)?.slice(1) ?? [],
    ),
  );

/**
 * Field errors sent as a map `{field: [messages]}` (Laravel `errors`, reseller `fields`) or as a list
 * `[{field, message}]` (billing `errors`). `[m].flat()` reads one message or a list of them alike.
 */
const fieldsOf = (v: unknown): FieldErrors =>
  collect(
    Array.isArray(v)
      ? v.map((item) => [record(item).field, record(item).message])
      : Object.entries(record(v)).flatMap(([field, messages]) => [messages].flat().map((m) => [field, m])),
  );

/**
 * The one factory, called by every method on a non-2xx answer. `body` is the parsed JSON (or text)
 * of the response, kept raw on the error. Exported for custom transports that call the APIs
 * themselves and want the same errors.
 * @param family The wire tag of the family that answered (`'reseller'`), which decides the body shape.
 * @param operation The operationId of the call (`'transferCreditsToChild'`).
 * @param status The HTTP status (an error status).
 * @param body The parsed response body (JSON value, or text when it was not JSON).
 * @param headers The response headers (`x-request-id`, `Retry-After`).
 * @returns The matching {@link ApiError} subclass; it never throws.
 * @example
 * ```ts
 * const error = createApiError('reseller', 'transferCreditsToChild', 400,
 *   { error: 'insufficient_balance', error_description: 'Insufficient balance.', available_balance: 1.5 }, new Headers());
 * error instanceof InsufficientBalanceError; // true, error.available === 1.5
 * ```
 */
export function createApiError(
  family: Family,
  operation: string,
  status: number,
  body: unknown,
  headers: Headers,
): ApiError {
  const b = record(body);
  const base = { status, body, headers, operation, family };
  // What the body says, in shared terms: the family's own code, the server's own words, field
  // errors, and, when the balance is short, its unit (`asset`) and what is left (when stated).
  let code: string | undefined;
  let what: string | undefined;
  let fields: FieldErrors = {};
  let asset: string | undefined;
  let available: number | undefined;
  switch (family) {
    // `{error}` with balance extras, Laravel 422 `{message, errors}` (a reused key is an error on the
    // field `Idempotency-Key`), 401 `{message}`.
    case 'white-label':
      what = text(b.error) ?? text(b.message);
      fields = fieldsOf(b.errors);
      if (fields['Idempotency-Key']) code = 'idempotency_key_reused';
      // "Insufficient minutes balance." (admin) / "User has insufficient credits balance." (user)
      asset = /insufficient (\w+) balance/i.exec(what ?? '')?.[1]?.toLowerCase();
      available = amount(b.available_balance) ?? amount(b[`user_${asset}_balance`]);
      break;
    // `{error: <code>, error_description}`, extras `available_balance`, `fields`.
    case 'reseller':
      code = text(b.error);
      what = text(b.error_description);
      if (code?.startsWith('invalid_')) fields = { ...parseFieldList(what), ...fieldsOf(b.fields) };
      if (code === 'invalid_cost_per_min') fields.cost_per_min ??= [what ?? 'is below your rate'];
      if (code === 'insufficient_balance') asset = 'usd';
      available = amount(b.available_balance);
      break;
    // `{error: {code, details}}`; HTTP 501 is a business refusal, never a server fault.
    case 'credit-send': {
      const e = record(b.error);
      code = text(e.code);
      what = text(e.details);
      if (status === 501) {
        if (/enough credits/i.test(what ?? '')) asset = 'credits';
        // Unknown recipient, or one outside the sender's organization: the API cannot tell them apart.
        else
          return new (/does not exist|permission/i.test(what ?? '') ? NotFoundError : ApiError)({
            ...base,
            code: code ?? 'server_error',
            message: `${end(what ?? 'Credit transfer refused')} Check the recipient's user id.`,
          });
      }
      // Rewritten into the field-list convention: "Missing argument email." -> "email: is required",
      // "This ttl is not valid." -> "ttl: is not valid", "Invalid credits: must be at most 9999." -> "credits: ...".
      if (status === 400)
        fields = parseFieldList(
          what
            ?.replace(/^Missing argument (\S+?)\.?$/, '$1: is required')
            .replace(/^This (\S+) is not valid.*/, '$1: is not valid')
            .replace(/^Invalid\s+/, ''),
        );
      break;
    }
    // Wallet and usage: RFC 9457 `{type: urn:ledgerline:problem:<slug>, title, detail, errors?}`.
    default:
      code = text(b.type)?.replace(/^.*[:/]/, '');
      what = text(b.detail) ?? text(b.title);
      fields = fieldsOf(b.errors);
      if (code === 'insufficient-funds' || status === 402) asset = 'usd';
      available = amount(b.availableUsd) ?? amount(b.balanceUsd);
  }

  const [fallback = status < 500 ? `http_${status}` : 'server_error', type, next] = STATUS[status] ?? [];
  code ??= fallback;
  const init = (message: string, c = code): ApiErrorInit => ({ ...base, code: c, message });
  // A reused key, in either family's spelling.
  if (/^idempotency.key.reused$/.test(code))
    return new IdempotencyError(
      init('This Idempotency-Key was used with another request. Use a new key, or resend the original body.'),
    );
  if (asset) {
    // A server phrase that already says what is available ("... and 61.713 is available.") is not echoed.
    let short = what ?? 'Insufficient balance';
    if (available !== undefined && !/available/.test(short))
      short = `${short.replace(/\.$/, '')}: ${available}${asset === 'usd' ? ' USD' : ''} available`;
    return new InsufficientBalanceError({
      ...init(`${end(short)} Top up, or try a smaller amount.`, 'insufficient_balance'),
      available,
      asset,
    });
  }
  const listed = Object.entries(fields)
    .map(([f, m]) => `${f}: ${m.join(', ')}`)
    .join('; ');
  const message = listed
    ? `Invalid request: ${end(listed)} Fix these fields and send again.` // one period, also after a message's own
    : end(what ?? `${operation} failed with HTTP ${status}`) +
      (next ?? (status < 500 ? '' : ' Retry later.'));
  if (status === 429) return new RateLimitError({ ...init(message), retryAfterMs: retryAfterMs(headers) });
  if (listed || status === 400 || status === 422)
    return new ValidationError({ ...init(message), fieldErrors: fields });
  return new (type ?? (status < 500 ? ApiError : ServerError))(init(message));
}
