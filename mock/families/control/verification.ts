import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockRequest, MockResponse } from '../../family-kit/types.js';
import { SANDBOX_PREFIX, SandboxLimitError } from '../../registry/sandboxes.js';
import { badRequest, seedRefused } from './handlers.js';

/**
 * The control routes for verifying a run (docs/reference-server.md, "Verifying calls"): the request
 * journal, the invariant checks and the sandboxes. Input is already validated against openapi.yaml.
 */
type Context<Id extends OperationId> = SpecContext<null, 'admin', Id>;

export function mockListRequests(context: Context<'mockListRequests'>): MockResponse {
  try {
    return { status: 200, body: context.server.requests(context.query) };
  } catch (error) {
    return queryRefused(error);
  }
}

/** The 400 for a journal query the journal refused (a cursor or date it cannot read); other errors are thrown on. */
function queryRefused(error: unknown): MockResponse {
  if (!(error instanceof RangeError)) throw error;
  const path = /^(\w+)/.exec(error.message)?.[1] ?? '';
  return badRequest(`Invalid query: ${error.message}`, [{ path, message: error.message }]);
}

/** `GET /_mock/requests/har`: a file a browser saves, for DevTools' network panel and HAR viewers. */
export function mockExportRequestsHar(context: Context<'mockExportRequestsHar'>): MockResponse {
  try {
    return {
      status: 200,
      body: context.server.requestsHar(context.query),
      headers: { 'content-disposition': 'attachment; filename="ledgerline-requests.har"' },
    };
  } catch (error) {
    return queryRefused(error);
  }
}

export function mockClearRequests(context: Context<'mockClearRequests'>): MockResponse {
  context.server.clearRequests();
  return { status: 204 };
}

/** 409 with the same body when a check fails, so `curl -f` in CI stops (docs/decisions.md, "Invariant status"). */
export function mockCheckInvariants(context: Context<'mockCheckInvariants'>): MockResponse {
  const report = context.server.invariants();
  return { status: report.ok ? 200 : 409, body: report };
}

export function mockCreateSandbox(context: Context<'mockCreateSandbox'>): MockResponse {
  const sandboxes = context.server.sandboxes;
  // No sandboxes here: either this is a sandbox (they do not nest) or the app was made without them.
  if (sandboxes === undefined)
    return badRequest(
      context.request.basePath
        ? 'Sandboxes do not nest: create them with POST /_mock/sandboxes on the server itself, not inside a sandbox.'
        : 'This server serves no sandboxes: it was created with sandboxes: false; leave that option out to serve them.',
    );
  try {
    // A durable store records only the creates that made a sandbox (mock/store/durable.ts): a
    // replayed one is made whatever this process's cap.
    const { seed, label } = context.body;
    const created = sandboxes.create(seed, context.request.fromLog === true, label);
    // The only answer that shows the token: control calls are never in the request journal.
    return { status: 201, body: { ...sandboxView(context.request, created), token: created.token } };
  } catch (error) {
    if (error instanceof SandboxLimitError) return { status: 429, body: { error: error.message } };
    return seedRefused(error);
  }
}

export function mockListSandboxes(context: Context<'mockListSandboxes'>): MockResponse {
  const sandboxes = (context.server.sandboxes?.list() ?? []).map((info) =>
    sandboxView(context.request, info),
  );
  return { status: 200, body: { sandboxes } };
}

export function mockGetSandbox(context: Context<'mockGetSandbox'>): MockResponse {
  const id = context.params.sandboxId;
  const info = context.server.sandboxes?.get(id);
  if (info === undefined)
    return { status: 404, body: { error: `No sandbox ${id}; it was deleted or expired.` } };
  return { status: 200, body: sandboxView(context.request, info) };
}

/** `{id, baseUrl, label?, expiresAt}`: one sandbox as every sandbox route answers it. */
function sandboxView(
  request: MockRequest,
  { id, label, expiresAt }: { readonly id: string; readonly label?: string; readonly expiresAt: string },
) {
  return { id, baseUrl: baseUrl(request, id), ...(label === undefined ? {} : { label }), expiresAt };
}

export function mockDeleteSandbox(context: Context<'mockDeleteSandbox'>): MockResponse {
  const id = context.params.sandboxId;
  if (context.server.sandboxes?.delete(id)) return { status: 204 };
  return { status: 404, body: { error: `No sandbox ${id}; it was deleted or expired.` } };
}

/** The standalone server answers GET /_mock/ui before the app sees it; in-process there is no page. */
export function mockInspector(_context: Context<'mockInspector'>): MockResponse {
  return {
    status: 404,
    body: {
      error:
        'The inspector page is served by the standalone server only (ledgerline-mock or createMockServer), at its own /_mock/ui.',
    },
  };
}

/** A sandbox's base URL at the origin the caller reached the server at: the adapter's, else the Host header's. */
function baseUrl(request: MockRequest, id: string): string {
  const host = request.header('host');
  const origin = request.origin ?? (host ? `http://${host}` : 'http://localhost:4010');
  return `${origin}${SANDBOX_PREFIX}${id}`;
}
