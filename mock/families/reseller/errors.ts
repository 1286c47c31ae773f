import {
  describeFields,
  ERROR_CODE,
  ERROR_STATUS,
  type ErrorShapes,
  type FieldErrors,
  statusCode,
} from '../../family-kit/errors.js';
import type { MockResponse } from '../../family-kit/types.js';
import { usd, usdText } from './pricing.js';

/** The family's documented error shape `{error, error_description}`, plus documented extras. */
export function resellerError(
  status: number,
  error: string,
  description: string,
  extra: Record<string, unknown> = {},
): MockResponse {
  return { status, body: { error, error_description: description, ...extra } };
}

/**
 * Any organization id that is not a direct child of the caller: unknown ids, other resellers'
 * children, other resellers and the caller itself answer this same body, so a reseller cannot tell
 * which ids exist in other tenants (docs/decisions.md).
 */
export function notDirectChild(organizationId: number): MockResponse {
  return resellerError(
    403,
    'forbidden',
    `Organization ${organizationId} is not a direct child of your reseller organization.`,
  );
}

export function invalidCostPerMin(costPerMin: string, resellerRate: string): MockResponse {
  return resellerError(
    400,
    'invalid_cost_per_min',
    `cost_per_min ${costPerMin} is below your reseller rate of ${resellerRate}.`,
  );
}

/** `what` completes "Insufficient balance: <what> <amount> and ..." (`the transfer costs`). */
export function insufficientBalance(
  what: string,
  requiredUnits: bigint,
  availableUnits: bigint,
): MockResponse {
  return resellerError(
    400,
    'insufficient_balance',
    `Insufficient balance: ${what} ${usdText(requiredUnits)} and ${usdText(availableUnits)} is available.`,
    { available_balance: usd(availableUnits) },
  );
}

/**
 * The reseller's pool holds fewer free slots than raising a child's limit needs (decided: the page
 * says only that the call "fails if you don't have enough slots").
 */
export function insufficientConcurrency(
  what: string,
  neededSlots: number,
  availableSlots: number,
): MockResponse {
  return resellerError(
    400,
    'insufficient_concurrency',
    `Insufficient concurrency slots: ${what} needs ${neededSlots} and your pool has ${availableSlots} available.`,
    { reseller_available: availableSlots },
  );
}

/** Amounts beyond what a JSON number carries exactly (about 15 significant digits). */
export function tooLarge(): MockResponse {
  return resellerError(
    400,
    'invalid_request',
    'minutes: the amounts are too large to be carried exactly as JSON numbers; move fewer minutes or use a lower cost_per_min',
  );
}

/** The family's answer to a request whose fields failed validation: 400 `invalid_request`. */
export function resellerValidationError(errors: FieldErrors): MockResponse {
  return resellerError(400, 'invalid_request', describeFields(errors));
}

/** 401 for a missing or unknown API key, in the words of the errors page's example. */
export function unauthorized(): MockResponse {
  return resellerError(401, 'unauthorized', 'Missing or invalid API key');
}

/**
 * Where a 404 points: the errors page says "The response includes `docs` and `openapi` links"
 * without showing them (values decided: docs/decisions.md, "Reseller 404 and 405").
 */
export const RESELLER_LINKS = {
  docs: 'https://docs.omnidim.io/docs/api-reference',
  openapi: 'https://backend.omnidim.io/api/v1/openapi.json',
} as const;

/** Undocumented failures as `{error: <code>, error_description}` (docs/decisions.md). */
export const resellerErrors: ErrorShapes = {
  transport: (kind, detail) =>
    resellerError(ERROR_STATUS[kind], ERROR_CODE[kind], detail, kind === 'not_found' ? RESELLER_LINKS : {}),
  idempotency: (kind, detail) => resellerError(ERROR_STATUS[kind], ERROR_CODE[kind], detail),
  server: (kind, status, detail) => resellerError(status, ERROR_CODE[kind], detail),
  validation: (errors) => resellerValidationError(errors),
  status: (status, detail) =>
    status === 401 ? unauthorized() : resellerError(status, statusCode(status), detail),
};
