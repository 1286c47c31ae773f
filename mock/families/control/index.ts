import { defineFamily } from '../../pipeline/define-family.js';
import { ERROR_STATUS, type ErrorShapes } from '../../pipeline/errors.js';
import type { SpecApi } from '../../pipeline/family.js';
import type { MockResponse } from '../../pipeline/types.js';
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
  authenticate({ request, server }) {
    // A call replayed from a durable log was authorised when it first ran.
    if (server.adminToken === undefined || request.fromLog === true) return { ok: true, principal: 'admin' };
    if (request.header('x-mock-admin-token') === server.adminToken) return { ok: true, principal: 'admin' };
    return { ok: false, response: error(401, 'Send the admin token in header x-mock-admin-token.') };
  },
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
