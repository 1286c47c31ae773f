import {
  describeFields,
  ERROR_STATUS,
  type ErrorShapes,
  type FieldErrors,
  type IdempotencyErrorKind,
  REASON,
  type ServerErrorKind,
  statusCode,
  type TransportErrorKind,
} from '../../family-kit/errors.js';
import { type MockResponse, PROBLEM_JSON } from '../../family-kit/types.js';

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
 * An RFC 9457 problem document, the family's only error shape: `type` is `about:blank` when the
 * status says it all and a documentation URL for a named problem; `code` is the stable machine
 * string; `instance` (the request path) is added by the pipeline, which knows it (docs/fidelity.md).
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

const SLUG: Readonly<Record<TransportErrorKind | IdempotencyErrorKind | ServerErrorKind, string>> = {
  malformed_json: 'malformed-json',
  unsupported_media_type: 'unsupported-media-type',
  payload_too_large: 'payload-too-large',
  not_found: 'not-found',
  method_not_allowed: 'method-not-allowed',
  idempotency_in_flight: 'conflict',
  idempotency_reused: 'idempotency-key-reused',
  too_many_keys: 'too-many-idempotency-keys',
  injected_fault: 'server-error',
  internal_error: 'internal-error',
  unavailable: 'service-unavailable',
};

function titleOf(status: number): string {
  return REASON[status] ?? (status >= 500 ? 'Server Error' : 'Error');
}

/** The family's answer to a request whose fields failed validation. */
export function billingValidationError(errors: FieldErrors): MockResponse {
  return problem(400, 'validation', 'Bad Request', `Invalid request: ${describeFields(errors)}.`, errors);
}

/** Every failure as a problem document whose `type` names the failure. */
export const billingErrors: ErrorShapes = {
  transport: (kind, detail) => problem(ERROR_STATUS[kind], SLUG[kind], titleOf(ERROR_STATUS[kind]), detail),
  idempotency: (kind, detail) => problem(ERROR_STATUS[kind], SLUG[kind], titleOf(ERROR_STATUS[kind]), detail),
  server: (kind, status, detail) => problem(status, SLUG[kind], titleOf(status), detail),
  validation: (errors) => billingValidationError(errors),
  // 429 is `rate_limited`, the code of the family's own rate limit (rate-limit.ts).
  status: (status, detail) =>
    problem(
      status,
      status === 401 ? 'unauthenticated' : statusCode(status).replaceAll('_', '-'),
      titleOf(status),
      detail,
    ),
};
