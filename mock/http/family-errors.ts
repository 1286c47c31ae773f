import { type Family, type MockResponse, PROBLEM_JSON } from './types.js';

/** Field name -> messages, the common form every family's validation error is built from. */
export type FieldErrors = Record<string, string[]>;

/** Transport-level failures every family answers in its own documented shape (docs/decisions.md). */
export type TransportErrorKind =
  | 'malformed_json'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'unauthenticated'
  | 'idempotency_in_flight'
  | 'idempotency_reused'
  | 'not_found'
  | 'method_not_allowed'
  | 'unavailable'
  | 'too_many_keys'
  | 'injected';

const STATUS: Record<TransportErrorKind, number> = {
  malformed_json: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  unauthenticated: 401,
  idempotency_in_flight: 409,
  idempotency_reused: 422,
  not_found: 404,
  method_not_allowed: 405,
  unavailable: 503,
  too_many_keys: 429,
  injected: 500,
};

const RESELLER_CODE: Record<TransportErrorKind, string> = {
  malformed_json: 'invalid_request',
  unsupported_media_type: 'unsupported_media_type',
  payload_too_large: 'payload_too_large',
  unauthenticated: 'unauthorized',
  idempotency_in_flight: 'conflict',
  idempotency_reused: 'idempotency_key_reused',
  not_found: 'not_found',
  method_not_allowed: 'method_not_allowed',
  unavailable: 'service_unavailable',
  too_many_keys: 'too_many_idempotency_keys',
  injected: 'server_error',
};

const PROBLEM_SLUG: Record<TransportErrorKind, string> = {
  malformed_json: 'malformed-json',
  unsupported_media_type: 'unsupported-media-type',
  payload_too_large: 'payload-too-large',
  unauthenticated: 'unauthenticated',
  idempotency_in_flight: 'conflict',
  idempotency_reused: 'idempotency-key-reused',
  not_found: 'not-found',
  method_not_allowed: 'method-not-allowed',
  unavailable: 'service-unavailable',
  too_many_keys: 'too-many-idempotency-keys',
  injected: 'server-error',
};

/**
 * The stable `code` of each problem (docs.flowyte.com/resources/errors: "Branch on `status` and
 * `code`"), by ledgerline's slug; `validation_error` is the page's own example.
 */
const PROBLEM_CODE: Readonly<Record<string, string>> = {
  validation: 'validation_error',
  unauthenticated: 'unauthorized',
  'insufficient-funds': 'insufficient_funds',
  'server-error': 'server_error',
};

/** Problems ledgerline names beyond their status: their `type` is a documentation URL, as the
 * introduction's named example (`https://docs.flowyte.com/errors/no_published_version`). */
const NAMED_PROBLEMS: ReadonlySet<string> = new Set(['insufficient_funds', 'idempotency_key_reused']);

/** `code` of a problem slug (`payload-too-large` -> `payload_too_large`). */
export function problemCode(slug: string): string {
  return PROBLEM_CODE[slug] ?? slug.replaceAll('-', '_');
}

/**
 * An RFC 9457 problem document for the billing family: `type` is `about:blank` when the status says
 * it all and a documentation URL for a named problem; `code` is the stable machine string; `instance`
 * (the request path) is added by the pipeline, which knows it (docs/fidelity.md).
 */
export function problem(
  status: number,
  slug: string,
  title: string,
  detail: string,
  errors?: FieldErrors,
): MockResponse {
  const code = problemCode(slug);
  const type = NAMED_PROBLEMS.has(code) ? `https://docs.flowyte.com/errors/${code}` : 'about:blank';
  const body: Record<string, unknown> = { type, title, status, detail, code };
  if (errors)
    body.errors = Object.entries(errors).flatMap(([field, messages]) =>
      messages.map((message) => ({ field, message: `${field} ${message}` })),
    );
  return { status, body, headers: { 'content-type': PROBLEM_JSON } };
}

/** Builds the family's error body for a failure the family pages do not document (see docs/decisions.md). */
export function transportError(
  family: Family,
  kind: TransportErrorKind,
  detail: string,
  status = STATUS[kind],
): MockResponse {
  switch (family) {
    case 'white-label':
      if (kind === 'unauthenticated') return { status, body: { message: 'Unauthenticated.' } };
      if (kind === 'idempotency_reused')
        return { status, body: { message: detail, errors: { 'Idempotency-Key': [detail] } } };
      return { status, body: { error: detail } };
    case 'reseller':
      return { status, body: { error: RESELLER_CODE[kind], error_description: detail } };
    case 'credit-send': {
      const code =
        kind === 'unauthenticated'
          ? 'Invalid token'
          : kind === 'malformed_json'
            ? '5_topi_invalidi'
            : RESELLER_CODE[kind];
      return { status, body: { error: { code, details: detail } } };
    }
    case 'billing':
      return problem(status, PROBLEM_SLUG[kind], titleOf(status), detail);
  }
}

/** The message fragment validation uses for a missing field. */
export const REQUIRED = 'is required';

/**
 * The family's answer to a request whose fields failed validation; every offending field is named.
 * `errors` holds message fragments without the field name (`is required`, `must be at least 1`); each
 * family phrases them its own way.
 */
export function validationError(family: Family, errors: FieldErrors): MockResponse {
  const fields = Object.keys(errors);
  switch (family) {
    case 'white-label': {
      const laravel = Object.fromEntries(
        Object.entries(errors).map(([field, fragments]) => [
          field,
          fragments.map((m) => `The ${field} field ${m}.`),
        ]),
      );
      // Laravel's summary: the first message, then "(and N more errors)".
      const all = Object.values(laravel).flat();
      const more = all.length - 1;
      const message = `${all[0] ?? 'The given data was invalid.'}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`;
      return { status: 422, body: { message, errors: laravel } };
    }
    case 'reseller':
      return { status: 400, body: { error: 'invalid_request', error_description: describeFields(errors) } };
    case 'credit-send': {
      // The credit-send API reports one argument at a time; a missing one wins over an invalid one.
      const missing = fields.find((f) => errors[f]?.includes(REQUIRED));
      if (missing)
        return {
          status: 400,
          body: { error: { code: '3_asini_tristi', details: `Missing argument ${missing}.` } },
        };
      return {
        status: 400,
        body: { error: { code: '5_topi_invalidi', details: `Invalid ${describeFields(errors)}.` } },
      };
    }
    case 'billing':
      return problem(400, 'validation', 'Bad Request', `Invalid request: ${describeFields(errors)}.`, errors);
  }
}

/** `field: message; other: message` — the convention the SDK parses back into field errors. */
export function describeFields(errors: FieldErrors): string {
  return Object.entries(errors)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .join('; ');
}

function titleOf(status: number): string {
  const titles: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    402: 'Payment Required',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    409: 'Conflict',
    413: 'Content Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Content',
    429: 'Too Many Requests',
    503: 'Service Unavailable',
  };
  return titles[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}
