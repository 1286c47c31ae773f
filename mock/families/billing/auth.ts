import type { OperationSchema } from '../../../generated/operations.js';
import type { AuthInput, AuthResult } from '../../family-kit/family.js';
import { admit } from './rate-limit.js';
import { forbidden, unauthenticated } from './responses.js';
import type { BillingState, Credential, CredentialKind } from './state.js';

/** The caller: an organization, through an API key or a dashboard session. */
export interface BillingPrincipal {
  readonly organizationId: string;
  readonly kind: CredentialKind;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * `Authorization: Bearer` with an API key or a dashboard session. What an operation accepts comes
 * from openapi.yaml's security requirements: sessions are accepted everywhere; an API key only
 * where `billingApiKey` is listed, and only with the scopes listed there. An organization seeded
 * with `rateLimit` is throttled here, where it is known (rate-limit.ts): every answer to it carries
 * the `RateLimit-*` headers, and past the limit it gets 429 and nothing runs.
 */
export function authenticate(input: AuthInput<BillingState>): AuthResult<BillingPrincipal> {
  const { state, request, schema } = input;
  const token = BEARER.exec(request.header('authorization') ?? '')?.[1];
  const credential =
    token !== undefined && Object.hasOwn(state.credentials, token) ? state.credentials[token] : undefined;
  if (credential === undefined) return { ok: false, response: unauthenticated() };
  const { organizationId } = credential;
  const principal: BillingPrincipal = { organizationId, kind: credential.kind };
  const limit = state.organizations[organizationId]?.requestsPerMinute;
  // The hot path: no limit seeded, nothing counted. A request replayed from a durable log was
  // admitted when it ran live, and counters are per process (docs/decisions.md).
  if (limit === undefined || request.fromLog === true) return authorize(credential, principal, schema);
  // Counted once the organization is known, before its scopes: a 403 spends the budget too.
  const admission = admit(state, organizationId, limit, input.ledger.clock);
  if (!admission.ok) return admission;
  const { headers } = admission;
  const authorized = authorize(credential, principal, schema);
  if (authorized.ok) return { ok: true, principal, headers };
  const { response } = authorized;
  return { ok: false, response: { ...response, headers: { ...response.headers, ...headers } } };
}

/** What the operation accepts of `credential` (its kind, an API key's scopes). */
function authorize(
  credential: Credential,
  principal: BillingPrincipal,
  schema: OperationSchema,
): AuthResult<BillingPrincipal> {
  if (credential.kind === 'session') return { ok: true, principal };
  const requirement = schema.security.find((scheme) => scheme.billingApiKey !== undefined);
  if (requirement === undefined)
    return {
      ok: false,
      response: forbidden('This endpoint requires a dashboard session; API keys are not accepted.'),
    };
  const missing = (requirement.billingApiKey ?? []).filter((scope) => !credential.scopes.includes(scope));
  if (missing.length > 0)
    return { ok: false, response: forbidden(`This API key lacks the ${missing.join(' and ')} scope.`) };
  return { ok: true, principal };
}
