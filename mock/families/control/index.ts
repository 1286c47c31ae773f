import { defineFamily } from '../../family-kit/define-family.js';
import { ERROR_STATUS, type ErrorShapes } from '../../family-kit/errors.js';
import type { AuthResult, ServerControls, SpecApi } from '../../family-kit/family.js';
import type { MockRequest, MockResponse } from '../../family-kit/types.js';
import { sameSecret } from '../../registry/same-secret.js';
import { SANDBOX_PREFIX } from '../../registry/sandboxes.js';
import { specFamily } from '../spec.js';
import {
  badRequest,
  mockAddFault,
  mockClearFaults,
  mockDeleteFault,
  mockFailPayment,
  mockGetClock,
  mockGetJournal,
  mockGetState,
  mockListFaults,
  mockRecordUsage,
  mockRecordWhiteLabelCall,
  mockReset,
  mockSetClock,
  mockSettlePayment,
} from './handlers.js';
import {
  mockCheckInvariants,
  mockClearRequests,
  mockCreateSandbox,
  mockDeleteSandbox,
  mockExportRequestsHar,
  mockGetSandbox,
  mockInspector,
  mockListRequests,
  mockListSandboxes,
} from './verification.js';

type ControlApi = SpecApi<
  | 'mockReset'
  | 'mockGetState'
  | 'mockGetJournal'
  | 'mockSetClock'
  | 'mockGetClock'
  | 'mockAddFault'
  | 'mockDeleteFault'
  | 'mockListFaults'
  | 'mockClearFaults'
  | 'mockRecordUsage'
  | 'mockRecordWhiteLabelCall'
  | 'mockSettlePayment'
  | 'mockFailPayment'
  | 'mockListRequests'
  | 'mockExportRequestsHar'
  | 'mockClearRequests'
  | 'mockCheckInvariants'
  | 'mockCreateSandbox'
  | 'mockListSandboxes'
  | 'mockDeleteSandbox'
  | 'mockGetSandbox'
  | 'mockInspector'
>;

const error = (status: number, detail: string): MockResponse => ({ status, body: { error: detail } });

/** `{error, issues?}` for every failure; a seed's problems read "Invalid seed", like `loadSeed`'s. */
const controlErrors: ErrorShapes = {
  transport: (kind, detail) => error(ERROR_STATUS[kind], detail),
  idempotency: (kind, detail) => error(ERROR_STATUS[kind], detail),
  server: (_kind, status, detail) => error(status, detail),
  validation(errors, _operationId, part) {
    const issues = Object.entries(errors).flatMap(([path, messages]) =>
      messages.map((message) => ({ path, message })),
    );
    const seedOnly = issues.every(({ path }) => path === 'seed' || path.startsWith('seed.'));
    const what = part === 'query' ? 'query' : seedOnly ? 'seed' : 'request';
    return badRequest(`Invalid ${what}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, issues);
  },
};

const ADMIN = { ok: true, principal: 'admin' } as const;
const HEADER = 'x-mock-admin-token';

/**
 * Who may call a control route (docs/reference-server.md, "Share one server between teams"). Without
 * an admin token, anyone. With one: the admin token reaches everything; a sandbox's token reaches
 * that sandbox's own `/_mock` paths and its `GET`/`DELETE /_mock/sandboxes/{id}`, nothing else;
 * creating a sandbox is the admin's unless the server opened it (`--sandbox-creation open`). Every
 * refusal is a 401 that says which token the route takes.
 */
function authorise(
  request: MockRequest,
  server: ServerControls,
  operationId: string,
  params: Readonly<Record<string, string>>,
): AuthResult<'admin'> {
  // A call replayed from a durable log was authorised when it first ran.
  if (server.adminToken === undefined || request.fromLog === true) return ADMIN;
  const token = request.header(HEADER);
  if (sameSecret(token, server.adminToken)) return ADMIN;
  // Inside a sandbox (its app answers only its own /_mock paths): the forwarding server checked the token.
  if (request.basePath !== undefined)
    return request.sandboxTokenValid === true
      ? ADMIN
      : refuse(
          `Send the admin token or this sandbox's token (from POST /_mock/sandboxes) in header ${HEADER}.`,
        );
  const sandboxes = server.sandboxes;
  if (operationId === 'mockCreateSandbox') {
    if (sandboxes?.creation === 'open') return ADMIN;
    return refuse(
      `Creating a sandbox takes the admin token in header ${HEADER} (a server started with --sandbox-creation open lets anyone).`,
    );
  }
  if (operationId === 'mockGetSandbox' || operationId === 'mockDeleteSandbox') {
    // The id the handler reads: an encoded path cannot name one sandbox here and another there.
    const id = params.sandboxId ?? '';
    // An unknown sandbox is a 404 to anyone, as every path under its base URL is.
    if (sandboxes !== undefined && (sandboxes.authorises(id, token) || sandboxes.get(id) === undefined))
      return ADMIN;
    return refuse(`Send the admin token or sandbox ${id}'s token in header ${HEADER}.`);
  }
  return refuse(
    `Send the admin token in header ${HEADER}: ${operationId === 'mockListSandboxes' ? 'listing sandboxes' : "the default state's control routes"} take it; a sandbox's token reaches only ${SANDBOX_PREFIX}{id}/_mock/... and ${SANDBOX_PREFIX}{id}.`,
  );
}

function refuse(detail: string): AuthResult<'admin'> {
  return { ok: false, response: error(401, detail) };
}

/**
 * The `/_mock` control API (docs/reference-server.md, "The control API"), a registry member like the families: reset,
 * state, journal, clock, faults, billing usage and payments, behind the admin token when the server
 * has one. It takes no Idempotency-Key and no faults (it is how tests set those up).
 */
export const control = defineFamily<null, 'admin', ControlApi>({
  ...specFamily('mock-admin'),
  prefixes: ['/_mock'],
  errors: controlErrors,
  control: true,
  // The request journal is a test control, not state: a durable store does not record clearing it.
  // Faults are state: adding and clearing them are records like a reset; creating and deleting a
  // sandbox are records of the main world (docs/decisions.md, "Faults are state", "Sandboxes are
  // worlds of the durable store").
  unrecorded: ['mockClearRequests'],
  seed: () => null,
  authenticate: ({ request, server, operationId, params }) => authorise(request, server, operationId, params),
  idempotency: false,
  operations: {
    mockReset,
    mockGetState,
    mockGetJournal,
    mockSetClock,
    mockGetClock,
    mockAddFault,
    mockDeleteFault,
    mockListFaults,
    mockClearFaults,
    mockRecordUsage,
    mockRecordWhiteLabelCall,
    mockSettlePayment,
    mockFailPayment,
    mockListRequests,
    mockExportRequestsHar,
    mockClearRequests,
    mockCheckInvariants,
    mockCreateSandbox,
    mockListSandboxes,
    mockDeleteSandbox,
    mockGetSandbox,
    mockInspector,
  },
});
