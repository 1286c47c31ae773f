import type { OperationSchema } from '../../../generated/operations.js';
import type { AuthResult } from '../../pipeline/family.js';
import type { MockRequest } from '../../pipeline/types.js';
import { forbidden, unauthenticated } from './responses.js';
import type { BillingState, CredentialKind } from './state.js';

/** The caller: an organization, through an API key or a dashboard session. */
export interface BillingPrincipal {
  readonly organizationId: string;
  readonly kind: CredentialKind;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * `Authorization: Bearer` with an API key or a dashboard session. What an operation accepts comes
 * from openapi.yaml's security requirements: sessions are accepted everywhere; an API key only
 * where `billingApiKey` is listed, and only with the scopes listed there.
 */
export function authenticate(
  state: BillingState,
  request: MockRequest,
  schema: OperationSchema,
): AuthResult<BillingPrincipal> {
  const token = BEARER.exec(request.header('authorization') ?? '')?.[1];
  const credential =
    token !== undefined && Object.hasOwn(state.credentials, token) ? state.credentials[token] : undefined;
  if (credential === undefined) return { ok: false, response: unauthenticated() };
  const principal: BillingPrincipal = { organizationId: credential.organizationId, kind: credential.kind };
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
