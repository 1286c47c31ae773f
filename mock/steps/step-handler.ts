import { quotaDetail } from '../family-kit/errors.js';
import type { Maybe, MockResponse } from '../family-kit/types.js';
import { type Executed, requestFingerprint } from '../ledger/idempotency.js';
import type { JsonValue } from '../ledger/json.js';
import type { Flow, Keyed, Step } from './flow.js';
import { type Answer, gateRefusal } from './refusals.js';
import { fresh } from './steps.js';

const IDEMPOTENCY_KEY_MAX = 255;

/**
 * `idempotency`: a POST's Idempotency-Key, when its caller may use one, is checked (1 to 255
 * characters) and fingerprinted; the `handler` step claims it, after the `durable` step.
 */
export const idempotency: Step = {
  name: 'idempotency',
  run(flow) {
    const { request } = flow;
    const key = request.header('idempotency-key') ?? null;
    const scope = request.method === 'POST' && key !== null ? flow.caller.scope : undefined;
    if (key === null || scope === undefined) return undefined;
    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
      const errors = { 'Idempotency-Key': [`must be 1 to ${IDEMPOTENCY_KEY_MAX} characters long`] };
      return fresh(flow.route.family.errors.validation(errors, flow.route.operationId, 'header'));
    }
    const fingerprint = requestFingerprint(request.method, request.path, flow.raw as JsonValue);
    flow.keyed = { key, scope, fingerprint };
    return undefined;
  },
};

/**
 * `durable`: a state-changing operation enters the durable store's gate (`OperationGate`), before
 * the key is claimed, since claiming it is already a state change. A refusal is 503 (the store
 * cannot save) or 404 (the sandbox went away while the request waited); `handler` leaves the gate.
 */
export const durable: Step = {
  name: 'durable',
  run(flow) {
    const { gate } = flow.host;
    const { family, operationId } = flow.route;
    if (gate === undefined || flow.request.method === 'GET' || !family.records(operationId)) return undefined;
    const entered = gate.enter(flow.context);
    if (entered !== true) return fresh(gateRefusal(family, entered));
    flow.entered = gate;
    flow.versionAtEnter = flow.host.world.version;
    return undefined;
  },
};

/**
 * `handler`: the operation runs with the validated input, through the one idempotency path
 * (`IdempotencyStore.execute`) when the request has a key; the gate is left once its synchronous
 * part returned, told whether it changed anything.
 */
export const handler: Step = {
  name: 'handler',
  run(flow) {
    const { caller } = flow;
    const input = {
      operationId: flow.route.operationId,
      body: flow.body,
      query: flow.query,
      params: flow.route.params,
      request: flow.request,
      idempotencyKey: flow.request.header('idempotency-key') ?? null,
    };
    const gate = flow.entered;
    const { keyed } = flow;
    if (keyed === undefined) {
      let answer: Maybe<MockResponse> | undefined;
      try {
        answer = caller.run(input);
        return andFresh(answer);
      } finally {
        gate?.leave(flow.context, changedState(flow, answer));
      }
    }
    let ran = false;
    let executed: Maybe<Executed<MockResponse>> | undefined;
    try {
      executed = execute(flow, keyed, () => {
        ran = true;
        return caller.run(input);
      });
    } finally {
      gate?.leave(flow.context, ran && changedState(flow, executed));
    }
    return executed instanceof Promise
      ? executed.then((done) => answerOf(flow, done))
      : answerOf(flow, executed);
  },
};

/**
 * Whether the operation that ran changed the state (docs/decisions.md, "What the durable log
 * records"): its world's `World.version` moved. An operation still running (a login signing
 * its token) counts as a change, since what it stores once it settles (its key's answer) is not
 * known yet; so does every control operation, whose changes (the clock, faults, sandboxes, a reset's
 * new world) lie outside the world's count.
 */
function changedState(flow: Flow, result: unknown): boolean {
  if (flow.route.family.control || result instanceof Promise) return true;
  return flow.host.world.version !== flow.versionAtEnter;
}

const andFresh = (response: Maybe<MockResponse>): Maybe<Answer> =>
  response instanceof Promise ? response.then(fresh) : fresh(response);

/** The one idempotency path (IdempotencyStore.execute) with the family's rule of what is replayed. */
function execute(flow: Flow, keyed: Keyed, run: () => Maybe<MockResponse>): Maybe<Executed<MockResponse>> {
  const { family } = flow.route;
  const { anonymous } = flow.caller;
  const { scope, key, fingerprint } = keyed;
  return flow.host.world.ledger.idempotency.execute(
    scope,
    key,
    fingerprint,
    run,
    // The family's rule decides which answers a retry with the same key gets back; a caller
    // without a credential keeps a key only for an answer that succeeded (docs/decisions.md).
    (response: MockResponse) =>
      family.replays(response.status) && !(anonymous && response.status >= 400)
        ? {
            status: response.status,
            body: (response.body ?? null) as JsonValue,
            ...(response.headers ? { headers: response.headers } : {}),
          }
        : undefined,
    anonymous,
  );
}

/** What the idempotency path decided, as an answer in the family's shape. */
function answerOf(flow: Flow, result: Executed<MockResponse>): Answer {
  const { errors } = flow.route.family;
  switch (result.kind) {
    case 'done':
      return fresh(result.response);
    case 'replay':
      return { response: result.response, replayed: true };
    case 'mismatch':
      return fresh(
        errors.idempotency(
          'idempotency_reused',
          'This Idempotency-Key was already used with a different request; send a new key for a new request.',
        ),
      );
    case 'in_flight':
      return fresh(
        errors.idempotency(
          'idempotency_in_flight',
          'A request with this Idempotency-Key is still being processed; retry shortly.',
        ),
      );
    case 'over_quota':
      return fresh(errors.idempotency('too_many_keys', quotaDetail(result.scope, result.limit)));
  }
}
