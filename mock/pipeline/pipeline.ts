import type { Fault, FaultRegistry } from '../faults.js';
import { type Executed, requestFingerprint } from '../ledger/idempotency.js';
import type { JsonValue } from '../ledger/json.js';
import type { World } from '../world.js';
import { injectedStatus, quotaDetail } from './errors.js';
import type { AuthResult, BoundCaller, FamilyModule, ServerControls } from './family.js';
import { bodyTooLarge, parseJsonBody, TOO_LARGE_DETAIL } from './parse-body.js';
import { type Answer, gateRefusal, internalError, UNAVAILABLE } from './refusals.js';
import type { RequestContext } from './request-context.js';
import { formatRequestId } from './request-record.js';
import { delayed, respond, withHeaders } from './respond.js';
import type { Route } from './router.js';
import { andThen, type Maybe, type MockRequest, type MockResponse, type Outcome } from './types.js';
import { validateBody, validateQuery } from './validate.js';

/**
 * Wraps every state-changing operation (family POSTs whose operation runs; control calls that change
 * state). `enter` is called just before it runs: `false` refuses it, and the app answers 503 in the
 * family's shape with nothing changed (a store that cannot write fails closed); `'gone'` refuses it
 * with 404 in the family's shape (the sandbox it was sent to was deleted while it waited). Otherwise `leave` is
 * called once the operation's synchronous part returned, every state change happening in between;
 * `ran` is `false` when nothing ran after all (an Idempotency-Key replay, 409 or 422).
 */
export interface OperationGate {
  /** A state-changing operation of `context`'s request is about to run; `false` refuses it (503), `'gone'` too (404). */
  enter(context: RequestContext): boolean | 'gone';
  /** Its synchronous part returned; `ran` is `false` when nothing ran after all. */
  leave(context: RequestContext, ran: boolean): void;
  /**
   * Faults with limited `times` (their ids) fire on `context`'s request, which spends one firing of each: a
   * state change of its own, recorded before the request's operation runs, if it runs at all.
   * `false` refuses it (503, no fault fires and nothing is spent).
   */
  fire(context: RequestContext, faultIds: readonly string[]): boolean;
}

/** What the pipeline needs of the server around it (implemented by `MockApp`, mock/app.ts). */
export interface PipelineHost extends ServerControls {
  /** Read at every step: the control API's reset replaces it mid-request. */
  readonly world: World;
  readonly faults: FaultRegistry;
  /** Extra latency for every family request, in ms (CLI `--latency`). */
  readonly latencyMs: number;
  /** Called after anything that may have changed the state (the server persists then). */
  changed(): void;
  /** Sees every state-changing operation as it runs: how a durable store records them (mock/store). */
  readonly gate: OperationGate | undefined;
}

/**
 * One answered request, as observers see it (a request journal, a log). `route` is absent for a
 * path no operation answers; `fault` names the injected fault that answered or dropped it.
 */
export interface Exchange {
  readonly requestId: string;
  readonly request: MockRequest;
  /** What the server noted about the request on its way (arrival, journal record, durable section). */
  readonly context: RequestContext;
  readonly route: Route | undefined;
  readonly outcome: Outcome;
  readonly fault: Fault | undefined;
  /**
   * The answer the operation committed when a `reset-after-commit` fault then dropped the connection:
   * what the client never got (`outcome` is the drop).
   */
  readonly committed?: MockResponse;
}

/** Called once per request, after its outcome is decided and before the adapter sends it. */
export type ExchangeObserver = (exchange: Exchange) => void;

const IDEMPOTENCY_KEY_MAX = 255;
const refused = (response: MockResponse): Answer => ({ response, replayed: false });
const fresh = (response: MockResponse): Answer => ({ response, replayed: false });

/**
 * The request path, the same for every registry member and both adapters: route, faults, body limit,
 * credentials, body parsing, validation against the route's schema, idempotency, the handler, and the
 * answer with its request id. Synchronous unless a step really waits (an async credential check or
 * handler): `node:http` then answers in the same tick (bench: server). Latency (faults, `--latency`)
 * is no wait here: the outcome carries it as `delayMs`, waited out after the operation committed
 * (`delivered`), so it never holds a durable store's commit section.
 * Ledger changes happen during {@link answer} either way, in the order requests arrive.
 */
export class Pipeline {
  readonly #host: PipelineHost;
  readonly #observe: ExchangeObserver | undefined;
  #requestCount = 0;

  constructor(host: PipelineHost, observe?: ExchangeObserver) {
    this.#host = host;
    this.#observe = observe;
  }

  /**
   * A new request id of this pipeline (so of its world): `req_000011`, the `x-request-id` of an answer
   * and its id in the request journal. Also for answers given around the pipeline (a durable store's 503).
   */
  nextRequestId(): string {
    return formatRequestId(++this.#requestCount);
  }

  /**
   * Answers one request (a HEAD already made a GET by `MockApp.handleNow`, with `headAsGet`). Never
   * throws: an unexpected error becomes a 500 in the family's shape.
   */
  answer(context: RequestContext): Maybe<Outcome> {
    const { request } = context;
    const requestId = this.nextRequestId();
    const { router } = this.#host.world.registry;
    const match = router.match(request.method, request.path);
    if (match.kind !== 'found') {
      const family = router.familyOf(request.path);
      const kind = match.kind;
      const detail =
        kind === 'not_found'
          ? `No operation at ${request.path}.`
          : `${request.method} is not allowed on ${request.path}.`;
      const refusal: MockResponse = family
        ? family.errors.transport(kind, detail)
        : { status: kind === 'not_found' ? 404 : 405, body: { error: detail } };
      const response: MockResponse =
        kind === 'method_not_allowed'
          ? {
              ...refusal,
              headers: { ...refusal.headers, allow: router.allowedMethods(request.path).join(', ') },
            }
          : refusal;
      return this.#done(context, requestId, undefined, fresh(response), false, undefined);
    }
    const { route } = match;
    // A record replayed from a durable log ran once already, and its faults' firings are records
    // of their own: a replay takes no faults and no latency.
    if (!route.family.control && request.fromLog !== true) {
      const fired = this.#host.faults.pick(request.method, request.path);
      if (fired.length > 0 && !this.#spend(context, fired)) {
        const response = route.family.errors.server('unavailable', 503, UNAVAILABLE);
        return this.#done(context, requestId, route, refused(response), false, undefined);
      }
      if (fired.length > 0 || this.#host.latencyMs > 0)
        return this.#faulted(route, context, requestId, fired);
    }
    return this.#run(route, context, requestId, false, undefined);
  }

  /** Spends the fired faults' `times`, recorded first by a durable store; `false`: it cannot record. */
  #spend(context: RequestContext, fired: readonly Fault[]): boolean {
    const limited = fired.filter((fault) => fault.remaining !== null).map((fault) => fault.id);
    if (limited.length === 0) return true;
    if (this.#host.gate !== undefined && !this.#host.gate.fire(context, limited)) return false;
    this.#host.faults.spend(limited);
    return true;
  }

  /**
   * Applies the fired faults in order. Latency is summed into the outcome's `delayMs` (with
   * `--latency` when the operation runs): the operation commits now and only the answer waits.
   */
  #faulted(
    route: Route,
    context: RequestContext,
    requestId: string,
    fired: readonly Fault[],
  ): Maybe<Outcome> {
    let delayMs = 0;
    let dropAfterCommit: Fault | undefined;
    for (const fault of fired) {
      if (fault.kind === 'latency') delayMs += fault.delayMs ?? 0;
      else if (fault.kind === 'reset')
        return this.#dropped(context, requestId, route, 'before', fault, delayMs);
      else if (fault.kind === 'reset-after-commit') dropAfterCommit = fault;
      else {
        const response = injectedStatus(route.family.errors, fault.status ?? 500, fault.retryAfterSeconds);
        return this.#done(context, requestId, route, refused(response), false, fault, delayMs);
      }
    }
    delayMs += this.#host.latencyMs;
    // A fault that only delayed is still named (the request journal shows it).
    const named = dropAfterCommit ?? fired[0];
    return this.#run(route, context, requestId, dropAfterCommit !== undefined, named, delayMs);
  }

  /** Runs the operation; an exception (a bug, not a client error) becomes a 500 rather than a hang-up. */
  #run(
    route: Route,
    context: RequestContext,
    requestId: string,
    dropAfterCommit: boolean,
    fault: Fault | undefined,
    delayMs = 0,
  ): Maybe<Outcome> {
    const { request } = context;
    let answer: Maybe<Answer>;
    try {
      answer = this.#authenticate(route, context);
    } catch (error) {
      answer = internalError(route.family, request, error);
    }
    if (answer instanceof Promise)
      return answer.then(
        (settled) => this.#done(context, requestId, route, settled, dropAfterCommit, fault, delayMs),
        (error: unknown) =>
          this.#done(
            context,
            requestId,
            route,
            internalError(route.family, request, error),
            dropAfterCommit,
            fault,
            delayMs,
          ),
      );
    return this.#done(context, requestId, route, answer, dropAfterCommit, fault, delayMs);
  }

  #authenticate(route: Route, context: RequestContext): Maybe<Answer> {
    const { family } = route;
    const { request } = context;
    if (bodyTooLarge(request)) return refused(family.errors.transport('payload_too_large', TOO_LARGE_DETAIL));
    const { world } = this.#host;
    const auth = family.authenticate({
      ledger: world.ledger,
      state: world.stateOf(family),
      request,
      operationId: route.operationId,
      params: route.params,
      schema: route.schema,
      server: this.#host,
    });
    return andThen(auth, (settled) => {
      const answer = this.#validate(route, context, settled);
      // Headers the family's authentication asked for (billing's `RateLimit-*`) go on every answer.
      const extra = settled.ok ? settled.headers : undefined;
      if (extra === undefined) return answer;
      return andThen(answer, (done) => ({ ...done, response: withHeaders(done.response, extra) }));
    });
  }

  #validate(route: Route, context: RequestContext, auth: AuthResult<BoundCaller>): Maybe<Answer> {
    if (!auth.ok) return refused(auth.response);
    const { request } = context;
    const { family, operationId, schema } = route;
    let raw: unknown = {};
    let body: unknown = {};
    if (schema.body) {
      const parsed = parseJsonBody(request.bodyText, request.header('content-type'));
      if (!parsed.ok && parsed.kind === 'imprecise_number')
        return refused(family.errors.validation({ [parsed.field]: [parsed.fragment] }, operationId, 'body'));
      if (!parsed.ok) return refused(family.errors.transport(parsed.kind, parsed.detail));
      raw = parsed.value;
      const checked = validateBody(schema, raw);
      if (!checked.ok) return refused(family.errors.validation(checked.errors, operationId, 'body'));
      body = checked.data;
    }
    const query = validateQuery(schema, request.query);
    if (!query.ok) return refused(family.errors.validation(query.errors, operationId, 'query'));
    const key = request.header('idempotency-key') ?? null;
    const caller = auth.principal;
    const input = {
      operationId,
      body,
      query: query.data,
      params: route.params,
      request,
      idempotencyKey: key,
    };
    const scope = request.method === 'POST' && key !== null ? caller.scope : undefined;
    const gated = request.method !== 'GET' && family.records(operationId) ? this.#host.gate : undefined;
    if (key === null || scope === undefined) {
      if (gated === undefined) return andThen(caller.run(input), fresh);
      const entered = gated.enter(context);
      if (entered !== true) return refused(gateRefusal(family, entered));
      try {
        return andThen(caller.run(input), fresh);
      } finally {
        gated.leave(context, true);
      }
    }

    if (key.length === 0 || key.length > IDEMPOTENCY_KEY_MAX) {
      const errors = { 'Idempotency-Key': [`must be 1 to ${IDEMPOTENCY_KEY_MAX} characters long`] };
      return refused(family.errors.validation(errors, operationId, 'header'));
    }
    const fingerprint = requestFingerprint(request.method, request.path, raw as JsonValue);
    // The gate is entered before the key is claimed: claiming it is already a state change.
    const entered = gated === undefined || gated.enter(context);
    if (entered !== true) return refused(gateRefusal(family, entered));
    let ran = false;
    let executed: Maybe<Executed<MockResponse>>;
    try {
      executed = this.#execute(family, scope, key, fingerprint, caller.anonymous, () => {
        ran = true;
        return caller.run(input);
      });
    } finally {
      gated?.leave(context, ran);
    }
    return andThen(executed, (result): Answer => {
      switch (result.kind) {
        case 'done':
          return fresh(result.response);
        case 'replay':
          return { response: result.response, replayed: true };
        case 'mismatch':
          return refused(
            family.errors.idempotency(
              'idempotency_reused',
              'This Idempotency-Key was already used with a different request; send a new key for a new request.',
            ),
          );
        case 'in_flight':
          return refused(
            family.errors.idempotency(
              'idempotency_in_flight',
              'A request with this Idempotency-Key is still being processed; retry shortly.',
            ),
          );
        case 'over_quota':
          return refused(family.errors.idempotency('too_many_keys', quotaDetail(result.scope, result.limit)));
      }
    });
  }

  /** The one idempotency path (IdempotencyStore.execute) with the family's rule of what is replayed. */
  #execute(
    family: FamilyModule,
    scope: string,
    key: string,
    fingerprint: string,
    anonymous: boolean,
    run: () => Maybe<MockResponse>,
  ): Maybe<Executed<MockResponse>> {
    return this.#host.world.ledger.idempotency.execute(
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

  #dropped(
    context: RequestContext,
    requestId: string,
    route: Route,
    when: 'before' | 'after-commit',
    fault: Fault,
    delayMs = 0,
    committed?: MockResponse,
  ): Outcome {
    const outcome = delayed({ kind: 'drop', when }, delayMs);
    this.#observe?.({
      requestId,
      request: context.request,
      context,
      route,
      outcome,
      fault,
      ...(committed ? { committed } : {}),
    });
    return outcome;
  }

  #done(
    context: RequestContext,
    requestId: string,
    route: Route | undefined,
    answer: Answer,
    dropAfterCommit: boolean,
    fault: Fault | undefined,
    delayMs = 0,
  ): Outcome {
    const { request } = context;
    if (request.method !== 'GET' && route !== undefined) this.#host.changed();
    const answered = respond(answer.response, requestId, answer.replayed, request.path);
    if (dropAfterCommit && route !== undefined && fault !== undefined) {
      const committed = answered.kind === 'respond' ? answered.response : undefined;
      return this.#dropped(context, requestId, route, 'after-commit', fault, delayMs, committed);
    }
    // Observers see the latency the answer will wait (the request journal counts it in durationMs).
    const outcome = delayed(answered, delayMs);
    this.#observe?.({ requestId, request, context, route, outcome, fault });
    return outcome;
  }
}
