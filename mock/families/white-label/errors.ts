import { ERROR_STATUS, type ErrorShapes, type FieldErrors, REASON } from '../../family-kit/errors.js';
import type { MockResponse } from '../../family-kit/types.js';
import { errorResponse, laravelError } from './state.js';

/**
 * Laravel's 422: each field's messages in full (`The email field is required.`), and the first of
 * them with "(and N more errors)" as the summary.
 */
export function whiteLabelValidationError(errors: FieldErrors): MockResponse {
  const laravel = Object.fromEntries(
    Object.entries(errors).map(([field, fragments]) => [
      field,
      fragments.map((m) => `The ${field} field ${m}.`),
    ]),
  );
  const all = Object.values(laravel).flat();
  const more = all.length - 1;
  const message = `${all[0] ?? 'The given data was invalid.'}${more > 0 ? ` (and ${more} more error${more > 1 ? 's' : ''})` : ''}`;
  return { status: 422, body: { message, errors: laravel } };
}

/** 401 for a missing or unknown bearer token, as Laravel's auth middleware answers it. */
export function unauthenticated(): MockResponse {
  return { status: 401, body: { message: 'Unauthenticated.' } };
}

/** Undocumented failures as `{error: detail}`; a reused Idempotency-Key is a Laravel 422 on the header. */
export const whiteLabelErrors: ErrorShapes = {
  transport: (kind, detail) => errorResponse(ERROR_STATUS[kind], detail),
  idempotency: (kind, detail) =>
    kind === 'idempotency_reused'
      ? laravelError(['Idempotency-Key'], detail)
      : errorResponse(ERROR_STATUS[kind], detail),
  server: (_kind, status, detail) => errorResponse(status, detail),
  validation: (errors) => whiteLabelValidationError(errors),
  // Laravel's own texts: its auth middleware's 401, its throttle's 429 ("Too Many Attempts."), and
  // the reason phrase otherwise, in the family's `{error}` shape.
  status(status, detail) {
    if (status === 401) return unauthenticated();
    if (status === 429) return errorResponse(429, 'Too Many Attempts.');
    if (status === 422) return laravelError([], detail);
    return errorResponse(status, status >= 500 ? (REASON[status] ?? 'Server Error') : detail);
  },
};
