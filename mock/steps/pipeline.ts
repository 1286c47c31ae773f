import { delayed, respond } from '../family-kit/respond.js';
import {
  andThen,
  type Maybe,
  type MockRequest,
  type MockResponse,
  type Outcome,
} from '../family-kit/types.js';
import type { Route } from '../registry/router.js';
import type { Fault } from '../services/faults.js';
import { formatRequestId } from '../services/request-record.js';
import { Flow, type PipelineHost, runSteps, type Step, type Verdict } from './flow.js';
import type { RequestContext } from './request-context.js';
import { durable, handler, idempotency } from './step-handler.js';
import { auth, faults, limits, parse, route, validate } from './steps.js';

export type { OperationGate, PipelineHost } from './flow.js';

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

/**
 * The request path, the same for every registry member and every adapter, as named steps in order
 * (mock/steps/steps.ts, mock/steps/step-handler.ts). Each reads and notes what it needs on the
 * request's {@link Flow} and either decides the answer or lets the next step go on; the `answer` step
 * ({@link Pipeline.answer}) then turns the decision into the outcome the adapter sends.
 */
export const STEPS: readonly Step[] = [
  route,
  faults,
  limits,
  auth,
  parse,
  validate,
  idempotency,
  durable,
  handler,
];

/**
 * Runs {@link STEPS} with one loop (`runSteps`, mock/steps/flow.ts), then the `answer` step.
 * Synchronous unless a step really waits (an async credential check or handler): `node:http` then
 * answers in the same tick (bench: server). Latency (faults, `--latency`) is no wait here: the
 * outcome carries it as `delayMs`, waited out after the operation committed (`delivered`), so it
 * never holds a durable store's commit section. Ledger changes happen during {@link answer} either
 * way, in the order requests arrive.
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
   * Answers the request of `context` (a HEAD already made a GET by its context). Never throws: an
   * unexpected error becomes a 500 in the family's shape.
   */
  answer(context: RequestContext): Maybe<Outcome> {
    const flow = new Flow(this.#host, context, this.nextRequestId());
    return andThen(runSteps(STEPS, flow), (verdict) => this.#answered(flow, verdict));
  }

  /**
   * The `answer` step: the answer gets its `x-request-id` (and `idempotent-replayed` for a replay),
   * the state is marked changed, the latency is put on the outcome, and the observers are told
   * (a request journal counts the latency in the duration).
   */
  #answered(flow: Flow, verdict: Verdict): Outcome {
    const { request, requestId, context, fault, delayMs } = flow;
    const route = flow.routed;
    if ('drop' in verdict) {
      const outcome = delayed({ kind: 'drop', when: 'before' }, delayMs);
      this.#observe?.({ requestId, request, context, route, outcome, fault });
      return outcome;
    }
    if (request.method !== 'GET' && route !== undefined) this.#host.changed();
    const answered = respond(verdict.response, requestId, verdict.replayed, request.path);
    if (flow.dropAfterCommit && route !== undefined && fault !== undefined) {
      const committed = answered.kind === 'respond' ? answered.response : undefined;
      const outcome = delayed({ kind: 'drop', when: 'after-commit' }, delayMs);
      this.#observe?.({
        requestId,
        request,
        context,
        route,
        outcome,
        fault,
        ...(committed ? { committed } : {}),
      });
      return outcome;
    }
    const outcome = delayed(answered, delayMs);
    this.#observe?.({ requestId, request, context, route, outcome, fault });
    return outcome;
  }
}
