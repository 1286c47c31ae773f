import type { components } from '../generated/openapi.js';
import { operations } from '../generated/operations.js';
import type { Route } from '../src/spec/router.js';
import type { MockApp } from './app.js';
import { failPayment, recordUsage, settlePayment } from './families/billing/index.js';
import type { FaultSpec } from './faults.js';
import { SeedError } from './http/family.js';
import type { FieldErrors } from './http/family-errors.js';
import { parseJsonBody } from './http/parse-body.js';
import type { Family, MockRequest, MockResponse } from './http/types.js';
import { validateBody, validateQuery } from './http/validate.js';
import { toEpochMs } from './ledger/clock.js';
import { isLedgerError } from './ledger/errors.js';
import type { JournalQuery } from './ledger/journal-query.js';
import type { Ledger } from './ledger/ledger.js';
import { formatAmount } from './ledger/money.js';
import { SeedIssues } from './seed.js';

/** The mock-admin error shape: `{error, issues?: [{path, message}]}`. */
function badRequest(error: string, issues?: readonly { path: string; message: string }[]): MockResponse {
  return { status: 400, body: issues ? { error, issues } : { error } };
}

function fromFieldErrors(what: string, errors: FieldErrors): MockResponse {
  const issues = Object.entries(errors).flatMap(([path, messages]) =>
    messages.map((message) => ({ path, message })),
  );
  return badRequest(`Invalid ${what}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}.`, issues);
}

/**
 * The `/_mock` control API (DESIGN.md, "Mock control API"): reset, state, journal, clock, faults,
 * billing usage and payments. Inputs are validated against openapi.yaml like every family's.
 */
export async function handleControl(app: MockApp, route: Route, request: MockRequest): Promise<MockResponse> {
  const { operationId } = route;
  let body: Record<string, unknown> = {};
  // Only operations that take a body read one; an oversize body is refused, never taken as empty.
  const sent = request.bodyTooLarge === true || (request.bodyText !== null && request.bodyText.trim() !== '');
  if (operations[operationId].body !== null && sent) {
    const parsed = parseJsonBody(request.bodyText, request.header('content-type'), request.bodyTooLarge);
    if (!parsed.ok && parsed.kind === 'imprecise_number')
      return fromFieldErrors('request', { [parsed.field]: [parsed.fragment] });
    if (!parsed.ok)
      return {
        status:
          parsed.kind === 'payload_too_large' ? 413 : parsed.kind === 'unsupported_media_type' ? 415 : 400,
        body: { error: parsed.detail },
      };
    if (operationId === 'mockReset') {
      // `null` is not a seed: only an empty body stands for the demo seed.
      const seed = parsed.value;
      if (typeof seed !== 'object' || seed === null || Array.isArray(seed))
        return badRequest('Invalid seed: send a JSON object, or no body for the demo seed.', [
          { path: '', message: 'must be a JSON object' },
        ]);
      return reset(app, seed);
    }
    const checked = validateBody(operationId, parsed.value);
    if (!checked.ok) return fromFieldErrors('request', checked.errors);
    body = checked.data;
  } else if (operationId === 'mockReset') {
    return reset(app, undefined);
  }
  const query = validateQuery(operationId, request.query);
  if (!query.ok) return fromFieldErrors('query', query.errors);
  const { ledger, states } = app.world;

  switch (operationId) {
    case 'mockGetState':
      return { status: 200, body: app.state() };
    case 'mockGetJournal':
      try {
        return { status: 200, body: app.journal(journalQuery(query.data)) };
      } catch (error) {
        if (isLedgerError(error, 'invalid_cursor')) {
          return badRequest('Invalid cursor: pass the nextCursor of the previous page.', [
            { path: 'cursor', message: error.message },
          ]);
        }
        throw error;
      }
    case 'mockSetClock': {
      if (body.now === null) {
        // Back to the system time; an advance on top would stop it again, so the pair is refused.
        if (body.advanceSeconds !== undefined)
          return badRequest('Invalid clock change: send {"now": null} alone to return to real time.', [
            { path: 'advanceSeconds', message: 'cannot be combined with now: null' },
          ]);
        ledger.clock.useRealTime();
        return { status: 200, body: { now: ledger.clock.isoNow() } };
      }
      // Checked whole before the clock moves: a target outside years 0000..9999 changes nothing.
      let target: number;
      try {
        const start = typeof body.now === 'string' ? toEpochMs(body.now) : ledger.clock.now();
        target = toEpochMs(
          start + (typeof body.advanceSeconds === 'number' ? body.advanceSeconds * 1000 : 0),
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return badRequest(`Invalid clock change: ${message}.`, [
          { path: typeof body.advanceSeconds === 'number' ? 'advanceSeconds' : 'now', message },
        ]);
      }
      if (typeof body.now === 'string' || typeof body.advanceSeconds === 'number') ledger.clock.set(target);
      return { status: 200, body: { now: ledger.clock.isoNow() } };
    }
    case 'mockAddFault':
      try {
        return { status: 201, body: { id: app.faults.add(body as unknown as FaultSpec).id } };
      } catch (error) {
        return badRequest(error instanceof Error ? error.message : String(error));
      }
    case 'mockListFaults':
      return {
        status: 200,
        body: {
          faults: app.faults
            .list()
            .map(({ remaining, ...fault }) => (remaining === null ? fault : { ...fault, times: remaining })),
        },
      };
    case 'mockClearFaults':
      app.faults.clear();
      return { status: 204 };
    case 'mockRecordUsage':
      return recordUsage(ledger, states.billing, body);
    case 'mockSettlePayment':
      return settlePayment(ledger, states.billing, route.params.paymentId ?? '');
    case 'mockFailPayment':
      return failPayment(ledger, states.billing, route.params.paymentId ?? '');
    default:
      return { status: 404, body: { error: `No control operation ${operationId}.` } };
  }
}

function reset(app: MockApp, seed: unknown): MockResponse {
  try {
    app.reset(seed);
    return { status: 200, body: { ok: true } };
  } catch (error) {
    if (error instanceof SeedIssues) return badRequest(error.message, error.issues);
    if (error instanceof SeedError)
      return badRequest(`Invalid seed: ${error.message}`, [{ path: error.path, message: error.reason }]);
    if (isLedgerError(error)) return badRequest(`Invalid seed: ${error.message}`);
    throw error;
  }
}

/** The journal query of `GET /_mock/journal`'s validated parameters. */
function journalQuery(query: Record<string, unknown>): JournalQuery {
  return {
    ...(typeof query.family === 'string' ? { family: query.family as Family } : {}),
    ...(typeof query.account === 'string' ? { account: query.account } : {}),
    ...(typeof query.cursor === 'string' ? { cursor: query.cursor } : {}),
    limit: typeof query.limit === 'number' ? query.limit : 100,
  };
}

/** `GET /_mock/state`: every account with its balances as exact JSON numbers. */
export function stateView(ledger: Ledger): MockStateView {
  return {
    now: ledger.clock.isoNow(),
    accounts: ledger.accounts().map((account) => ({
      id: account.id,
      family: account.family,
      kind: account.kind,
      balances: Object.fromEntries(
        Object.entries(ledger.balances(account.id)).map(([asset, units]) => [
          asset,
          formatAmount(units, ledger.scaleOf(account.family, asset)),
        ]),
      ),
    })),
  };
}

/** `GET /_mock/journal`: one page of entries, newest first, amounts as exact JSON numbers. */
export function journalView(ledger: Ledger, query: JournalQuery): MockJournalView {
  const page = ledger.journal(query);
  return {
    entries: page.entries.map((entry) => ({
      id: entry.id,
      time: new Date(entry.timeMs).toISOString(),
      family: entry.family,
      operation: entry.operation,
      idempotencyKey: entry.idempotencyKey,
      postings: entry.postings.map((p) => ({
        debit: p.debit,
        credit: p.credit,
        asset: p.asset as MockJournalView['entries'][number]['postings'][number]['asset'],
        amount: formatAmount(p.amount, ledger.scaleOf(entry.family, p.asset)),
      })),
    })),
    nextCursor: page.nextCursor,
  };
}

/** What `GET /_mock/state` answers (openapi.yaml `MockState`). */
export type MockStateView = components['schemas']['MockState'];
/** What `GET /_mock/journal` answers (openapi.yaml `MockJournal`). */
export type MockJournalView = components['schemas']['MockJournal'];
