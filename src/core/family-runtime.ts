import openapiFetch, { type Client } from 'openapi-fetch';
import type { paths } from '../../generated/openapi.js';
import { type Answered, ApiPromise } from './api-promise.js';
import { checkCallOptions, reservedHeaderProblems, reservedHeaders } from './call-options.js';
import { createCredentialSource } from './credentials.js';
import { toApiError } from './error-mapping.js';
import { ClientOptionsError } from './errors.js';
import { type CallOptions, createRetryingFetch, SENT_BODY } from './fetch-with-retry.js';
import { record } from './json.js';
import type { FamilyDefinition, OperationDefinition } from './operation.js';
import type { NormalizedClientOptions } from './options.js';

// openapi-fetch's CommonJS file sets `exports.default`; in our CommonJS build esbuild's Node-style
// interop hands over that whole exports object as the default import. Unwrap it there.
const createOpenApiClient: typeof openapiFetch =
  typeof openapiFetch === 'function'
    ? openapiFetch
    : (openapiFetch as unknown as { default: typeof openapiFetch }).default;

/** openapi-fetch's untyped entry point, which takes the method as an argument. */
interface UntypedClient {
  request(
    method: string,
    path: string,
    init: object,
  ): Promise<{ data?: unknown; error?: unknown; response: Response }>;
}

/**
 * What generated family clients call: one family's transport, credentials and error mapping.
 * @internal
 */
export interface FamilyRuntime {
  /** Sends one call of `operation` (`input` is its body or query) and answers its data and Response. */
  send(
    operation: OperationDefinition,
    input: unknown,
    options: CallOptions | undefined,
  ): Promise<Answered<unknown>>;
  /** Like `send`, as the promise a method returns. */
  call<T>(operation: OperationDefinition, input: unknown, options: CallOptions | undefined): ApiPromise<T>;
  /** The family's openapi-fetch client, for path-based calls. */
  readonly paths: Client<paths>;
}

/**
 * The runtime of one family over options already normalised (`normalizeClientOptions`):
 * an openapi-fetch client whose fetch retries, the family's credential source and error reader.
 * @internal
 */
export function createFamilyRuntime(
  definition: FamilyDefinition,
  options: NormalizedClientOptions,
): FamilyRuntime {
  const retrying = createRetryingFetch({
    ...options,
    idempotencyHonoured: (family) => options.idempotencyHonouredBy.has(family),
  });
  const credentialHeaders = Object.values(definition.operations).flatMap((operation) =>
    operation.credentials.map((use) => use.header),
  );
  const reserved = reservedHeaders(definition.key, credentialHeaders);
  const refused = reservedHeaderProblems(options.headers, 'defaultHeaders', reserved);
  if (refused.length) throw new ClientOptionsError(refused);
  const client = createOpenApiClient<paths>({
    baseUrl: options.baseUrls[definition.key],
    fetch: retrying(definition.tag),
    // The User-Agent and defaultHeaders: openapi-fetch sends them on every call, `client.paths` too.
    headers: options.headers,
  });
  client.use(...options.middleware);
  const untyped = client as unknown as UntypedClient;
  const { successEnvelope } = definition;

  const credentials = createCredentialSource(definition, options.credentials, async (body) => {
    const login = definition.login && definition.operations[definition.login.method];
    if (!login) throw new TypeError(`The ${definition.tag} family has no login method.`);
    return (await send(login, body, undefined)).data;
  });

  async function send(
    operation: OperationDefinition,
    input: unknown,
    callOptions: CallOptions | undefined,
    renewed = false,
  ): Promise<Answered<unknown>> {
    // Per-call options get the client options' checks: a mistake names the field to fix.
    if (callOptions) checkCallOptions(callOptions, options.retry, reserved);
    // A body is serialized here and also handed over as SENT_BODY, so a retry resends the same
    // bytes without re-reading the first Request.
    const json = operation.input === 'body' ? JSON.stringify(input ?? {}) : undefined;
    // Awaited only while a login is due: an `await` of a plain value still costs a turn.
    const pending = credentials.headersFor(operation);
    const credential = pending instanceof Promise ? await pending : pending;
    const headers = callOptions?.headers ? { ...callOptions.headers, ...credential } : credential;
    const { data, error, response } = await untyped.request(operation.method, operation.path, {
      headers,
      // Without per-call options, the family client's own retrying fetch does.
      ...(callOptions && { fetch: retrying(definition.tag, callOptions) }),
      [SENT_BODY]: json,
      ...(json !== undefined
        ? { body: input, bodySerializer: () => json }
        : operation.input === 'path'
          ? { params: { path: input } }
          : { params: { query: operation.input === 'query' ? input : undefined } }),
    });
    if (response.ok) return { data: successEnvelope ? record(data)[successEnvelope] : data, response };
    if (response.status === 401 && !renewed && (await credentials.renewAfterRefusal(operation)))
      return send(operation, input, callOptions, true);
    throw toApiError(
      definition.readError(response.status, record(error)),
      definition.tag,
      operation.operationId,
      response.status,
      error,
      response.headers,
    );
  }

  return {
    paths: client,
    send,
    call: <T>(operation: OperationDefinition, input: unknown, callOptions: CallOptions | undefined) =>
      new ApiPromise(send(operation, input, callOptions) as Promise<Answered<T>>),
  };
}
