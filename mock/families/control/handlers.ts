import type { OperationId } from '../../../generated/operations.js';
import { SeedError, type SpecContext } from '../../family-kit/family.js';
import { familyTag } from '../../family-kit/family-key.js';
import type { MockResponse } from '../../family-kit/types.js';
import { monthStartsCrossed, toEpochMs } from '../../ledger/clock.js';
import { isLedgerError } from '../../ledger/errors.js';
import { SeedIssues } from '../../seed.js';
import { FaultSpecError } from '../../services/faults.js';
import { billing, failPayment, recordUsage, settlePayment } from '../billing/index.js';
import { recordCall, whiteLabel } from '../white-label/index.js';
import { journalView, stateView } from './views.js';

/** The control API has no state of its own and one kind of caller: whoever holds the admin token. */
type Context<Id extends OperationId> = SpecContext<null, 'admin', Id>;

/** The mock-admin error shape: `{error, issues?: [{path, message}]}`. */
export function badRequest(
  error: string,
  issues?: readonly { path: string; message: string }[],
): MockResponse {
  return { status: 400, body: issues ? { error, issues } : { error } };
}

/**
 * `POST /_mock/reset`: no body or `{}` restores the seed the server started with, `{"seed": {...}}`
 * loads that seed, `{"seed": "demo"}` the demo seed (docs/decisions.md, "Reset and sandbox seeds").
 */
export function mockReset(context: Context<'mockReset'>): MockResponse {
  try {
    context.server.reset(context.body.seed);
    return { status: 200, body: { ok: true } };
  } catch (error) {
    return seedRefused(error);
  }
}

/**
 * The 400 for a seed that loading refused, its fields named under `seed` (where the body carries
 * it); any other error is a bug and is thrown on.
 */
export function seedRefused(error: unknown): MockResponse {
  const under = (path: string) => (path === '' ? 'seed' : `seed.${path}`);
  if (error instanceof SeedIssues) {
    const issues = error.issues.map((issue) => ({ ...issue, path: under(issue.path) }));
    return badRequest(new SeedIssues(issues).message, issues);
  }
  if (error instanceof SeedError)
    return badRequest(`Invalid seed: ${under(error.path)} ${error.reason}`, [
      { path: under(error.path), message: error.reason },
    ]);
  if (isLedgerError(error)) return badRequest(`Invalid seed: ${error.message}`);
  throw error;
}

export function mockGetState(context: Context<'mockGetState'>): MockResponse {
  return { status: 200, body: stateView(context.ledger) };
}

export function mockGetClock(context: Context<'mockGetClock'>): MockResponse {
  return { status: 200, body: { now: context.ledger.clock.isoNow() } };
}

export function mockGetJournal(context: Context<'mockGetJournal'>): MockResponse {
  const { family, account, cursor, limit } = context.query;
  try {
    const query = {
      ...(family === undefined ? {} : { family: familyTag(family) }),
      ...(account === undefined ? {} : { account }),
      ...(cursor === undefined ? {} : { cursor }),
      limit: limit ?? 100,
    };
    return { status: 200, body: journalView(context.ledger, query) };
  } catch (error) {
    if (isLedgerError(error, 'invalid_cursor')) {
      return badRequest('Invalid cursor: pass the nextCursor of the previous page.', [
        { path: 'cursor', message: error.message },
      ]);
    }
    throw error;
  }
}

/**
 * Most UTC month starts one clock move may cross forward: each fires every family's month boundary
 * (billing renews every organization), so the work of one request stays bounded (docs/decisions.md,
 * "Identifiers and bounded work"). Ten years; a longer jump is several moves.
 */
export const MAX_MONTH_STARTS_PER_MOVE = 120;

/** The 400 for a forward move across more month starts than {@link MAX_MONTH_STARTS_PER_MOVE}, or `undefined`. */
function tooFar(fromMs: number, toMs: number, path: string): MockResponse | undefined {
  const crossed = monthStartsCrossed(fromMs, toMs);
  if (crossed <= MAX_MONTH_STARTS_PER_MOVE) return undefined;
  const message = `moves across ${crossed} month starts; one move may cross at most ${MAX_MONTH_STARTS_PER_MOVE} (10 years), each charging every billing organization: move in several steps, or POST /_mock/reset`;
  return badRequest(`Invalid clock change: ${message}.`, [{ path, message }]);
}

/**
 * `POST /_mock/clock`: checked whole before the clock moves; a target outside years 0000..9999, or
 * further ahead than {@link MAX_MONTH_STARTS_PER_MOVE} month starts, changes nothing.
 */
export function mockSetClock(context: Context<'mockSetClock'>): MockResponse {
  const { now, advanceSeconds } = context.body;
  const { clock } = context.ledger;
  if (now === null) {
    // Back to the system time; an advance on top would stop it again, so the pair is refused.
    if (advanceSeconds !== undefined)
      return badRequest('Invalid clock change: send {"now": null} alone to return to real time.', [
        { path: 'advanceSeconds', message: 'cannot be combined with now: null' },
      ]);
    const refused = tooFar(clock.now(), clock.realTime(), 'now');
    if (refused !== undefined) return refused;
    clock.useRealTime();
    return { status: 200, body: { now: clock.isoNow() } };
  }
  let targetMs: number;
  try {
    const startMs = now === undefined ? clock.now() : toEpochMs(now);
    targetMs = toEpochMs(startMs + (advanceSeconds ?? 0) * 1000);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return badRequest(`Invalid clock change: ${message}.`, [
      { path: advanceSeconds === undefined ? 'now' : 'advanceSeconds', message },
    ]);
  }
  const refused = tooFar(clock.now(), targetMs, advanceSeconds === undefined ? 'now' : 'advanceSeconds');
  if (refused !== undefined) return refused;
  if (now !== undefined || advanceSeconds !== undefined) clock.set(targetMs);
  return { status: 200, body: { now: clock.isoNow() } };
}

export function mockAddFault(context: Context<'mockAddFault'>): MockResponse {
  try {
    return { status: 201, body: { id: context.server.faults.add(context.body).id } };
  } catch (error) {
    if (error instanceof FaultSpecError)
      return badRequest(`Invalid fault: ${error.message}.`, [{ path: error.field, message: error.reason }]);
    return badRequest(error instanceof Error ? error.message : String(error));
  }
}

/** Each fault with `times` as it was given and `remaining`, its firings left (both absent when unlimited). */
export function mockListFaults(context: Context<'mockListFaults'>): MockResponse {
  const faults = context.server.faults
    .list()
    .map(({ remaining, ...fault }) => (remaining === null ? fault : { ...fault, remaining }));
  return { status: 200, body: { faults } };
}

export function mockDeleteFault(context: Context<'mockDeleteFault'>): MockResponse {
  const id = context.params.faultId;
  if (context.server.faults.delete(id)) return { status: 204 };
  return {
    status: 404,
    body: { error: `No active fault ${id}; it was never added, was spent, or was removed.` },
  };
}

export function mockClearFaults(context: Context<'mockClearFaults'>): MockResponse {
  context.server.faults.clear();
  return { status: 204 };
}

export function mockRecordUsage(context: Context<'mockRecordUsage'>): MockResponse {
  return recordUsage(context.ledger, context.server.stateOf(billing), context.body);
}

export function mockRecordWhiteLabelCall(context: Context<'mockRecordWhiteLabelCall'>): MockResponse {
  return recordCall(context.ledger, context.server.stateOf(whiteLabel), context.body);
}

export function mockSettlePayment(context: Context<'mockSettlePayment'>): MockResponse {
  return settlePayment(context.ledger, context.server.stateOf(billing), context.params.paymentId);
}

export function mockFailPayment(context: Context<'mockFailPayment'>): MockResponse {
  return failPayment(context.ledger, context.server.stateOf(billing), context.params.paymentId);
}
