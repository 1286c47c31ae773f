import type { FamilyModule } from '../family-kit/family.js';
import { memberKey } from '../family-kit/family-key.js';
import type { MockRequest, MockResponse } from '../family-kit/types.js';
import type { RequestJournal, RequestRecordInput } from '../services/request-journal.js';
import type { Exchange, ExchangeObserver } from './pipeline.js';
import type { RequestContext } from './request-context.js';

/** Headers the journal keeps by name when the adapter cannot list them all. */
const KNOWN_HEADERS = ['authorization', 'token', 'content-type', 'idempotency-key', 'accept', 'user-agent'];

/** The request's headers, flattened: as received, or the known ones the adapter can look up. */
function headersOf(request: MockRequest): readonly string[] {
  if (request.rawHeaders !== undefined) return request.rawHeaders;
  const flat: string[] = [];
  for (const name of KNOWN_HEADERS) {
    const value = request.header(name);
    if (value !== undefined) flat.push(name, value);
  }
  return flat;
}

/**
 * The `onExchange` observer that records every request that reached the app in `journal`: family
 * requests (faults, replays and dropped connections included) and paths no family owns (404/405,
 * no operation); control calls and records replayed from a durable log are not recorded.
 * Its arrival is the one its context noted (`RequestContext.arrive`).
 * With `amendable` (a durable app), a request context observed again amends its record instead of
 * adding one: the durable store's 503 after a failed commit, or the read it answers again from the
 * rolled-back state, replaces the answer the client never got (and its id, the one the client got).
 */
export function journalObserver(
  journal: RequestJournal,
  familyOf: (path: string) => FamilyModule | undefined,
  amendable = false,
): ExchangeObserver {
  return (exchange: Exchange) => {
    // A record replayed from a durable log (a restart, a replica catching up) was answered by
    // another process or an earlier run: the journal lists what this process answered.
    if (!journal.enabled || exchange.request.fromLog === true) return;
    const family = exchange.route?.family ?? familyOf(exchange.request.path);
    if (family?.control === true) return;
    const { request, context, outcome, fault } = exchange;
    const arrival = context.arrival;
    const nowMs = performance.now();
    const answered = outcome.kind === 'respond' ? outcome.response : exchange.committed;
    const input: RequestRecordInput = {
      requestId: exchange.requestId,
      timeMs: arrival?.timeMs ?? Date.now(),
      method: request.method,
      path: request.path,
      base: `${request.origin ?? ''}${request.basePath ?? ''}`,
      query: request.query.size === 0 ? '' : request.query.toString(),
      operationId: exchange.route?.operationId ?? null,
      family: family === undefined ? null : (memberKey(family) as RequestRecordInput['family']),
      credential: request.header('authorization') ?? request.header('token'),
      headers: headersOf(request),
      idempotencyKey: request.header('idempotency-key'),
      requestText: request.bodyText,
      status: answered === undefined ? null : answered.status,
      responseBody: answered?.body,
      ...(answered?.headers === undefined ? {} : { responseHeaders: answered.headers }),
      delivered: outcome.kind === 'respond',
      // Latency (faults, --latency) is waited out after this, before the answer leaves: counted in.
      durationMs: nowMs - (arrival?.startedMs ?? nowMs) + (outcome.delayMs ?? 0),
      replayed: outcome.kind === 'respond' && outcome.replayed,
      fault: fault === undefined ? null : { id: fault.id, kind: fault.kind },
    };
    if (!amendable) {
      journal.record(input);
      return;
    }
    const seq = context.journalSeq;
    if (seq === undefined || !journal.amend(seq, input)) context.journalSeq = journal.record(input);
  };
}

/**
 * The exchange of a request answered around the pipeline (a durable store's 503 while it cannot
 * save or reach its database): what the journal observer records for it.
 */
export function answeredExchange(
  requestId: string,
  context: RequestContext,
  route: Exchange['route'],
  response: MockResponse,
): Exchange {
  return {
    requestId,
    request: context.request,
    context,
    route,
    outcome: { kind: 'respond', response, replayed: false },
    fault: undefined,
  };
}
