import type { BoundCaller, ServerControls } from '../family-kit/family.js';
import { withHeaders } from '../family-kit/respond.js';
import type { Maybe, MockRequest } from '../family-kit/types.js';
import type { Route } from '../registry/router.js';
import type { World } from '../registry/world.js';
import type { Fault, FaultRegistry } from '../services/faults.js';
import { type Answer, internalError } from './refusals.js';
import type { RequestContext } from './request-context.js';

/**
 * Wraps every state-changing operation (family POSTs whose operation runs; control calls that change
 * state). `enter` is called just before it runs: `false` refuses it, and the app answers 503 in the
 * family's shape with nothing changed (a store that cannot write fails closed); `'gone'` refuses it
 * with 404 in the family's shape (the sandbox it was sent to was deleted while it waited). Otherwise `leave` is
 * called once the operation's synchronous part returned, every state change happening in between;
 * `ran` is `false` when nothing ran after all (an Idempotency-Key replay, 409 or 422) or what ran
 * changed nothing (a refused login, a transfer to an unknown user): neither is recorded.
 */
export interface OperationGate {
  /** A state-changing operation of `context`'s request is about to run; `false` refuses it (503), `'gone'` too (404). */
  enter(context: RequestContext): boolean | 'gone';
  /** Its synchronous part returned; `ran` is `false` when nothing ran after all or it changed nothing. */
  leave(context: RequestContext, ran: boolean): void;
  /**
   * Faults with limited `times` (their ids) fire on `context`'s request, which spends one firing of
   * each: a state change of its own, recorded before the request's operation runs, if it runs at all.
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

/** A connection dropped before the operation ran (a `reset` fault): the answer step sends no answer. */
export const DROP = { drop: 'before' } as const;

/** What a step decides: an answer (the steps after it are skipped), a drop, or nothing (go on). */
export type Verdict = Answer | typeof DROP;

/** A request's Idempotency-Key, checked, with the scope and fingerprint its record is kept under. */
export interface Keyed {
  readonly key: string;
  readonly scope: string;
  readonly fingerprint: string;
}

/**
 * One request on its way through the steps: each step reads what the ones before it noted and notes
 * its own (the route, the fired fault and latency, the caller, the parsed and validated input, the
 * idempotency key, the entered gate). Lives for one request; the context outlives it.
 */
export class Flow {
  readonly host: PipelineHost;
  readonly context: RequestContext;
  readonly request: MockRequest;
  readonly requestId: string;
  /** The fault that answered, dropped or only delayed the request (the request journal names it). */
  fault: Fault | undefined;
  /** Latency the answer waits after the operation committed (faults, `--latency`). */
  delayMs = 0;
  /** A `reset-after-commit` fault fired: the operation runs, and its answer is dropped. */
  dropAfterCommit = false;
  /** Headers the family's authentication asked for (billing's `RateLimit-*`): on every later answer. */
  headers: Readonly<Record<string, string>> | undefined;
  /** The body as parsed (what the idempotency fingerprint is taken of), `{}` without a body schema. */
  raw: unknown = {};
  body: unknown = {};
  query: unknown = {};
  /** Set by the `idempotency` step for a POST with a key its caller may use. */
  keyed: Keyed | undefined;
  /** The gate the `durable` step entered: the `handler` step leaves it. */
  entered: OperationGate | undefined;
  /** The world's version (`World.version`) when the gate was entered: unchanged after, nothing to record. */
  versionAtEnter = 0;
  #route: Route | undefined;
  #caller: BoundCaller | undefined;

  constructor(host: PipelineHost, context: RequestContext, requestId: string) {
    this.host = host;
    this.context = context;
    this.request = context.request;
    this.requestId = requestId;
  }

  /** The operation, once the `route` step found it (`undefined` before, or for an unknown path). */
  get routed(): Route | undefined {
    return this.#route;
  }

  /** The operation; for the steps after `route`, which runs first. */
  get route(): Route {
    if (this.#route === undefined) throw new Error('the route step runs before every other step');
    return this.#route;
  }

  set route(route: Route) {
    this.#route = route;
  }

  /** The authenticated caller bound to the operation; for the steps after `auth`. */
  get caller(): BoundCaller {
    if (this.#caller === undefined) throw new Error('the auth step runs before the steps that need a caller');
    return this.#caller;
  }

  set caller(caller: BoundCaller) {
    this.#caller = caller;
  }
}

/** One named step of the request path; `undefined`: go on with the next step. */
export interface Step {
  readonly name: string;
  run(flow: Flow): Maybe<Verdict | undefined>;
}

/**
 * The one loop: runs `steps` in order from `from` until one decides, waiting only when a step really
 * waits. Every step is run, so a step with nothing to decide returns `undefined`. An exception once
 * the route is known (a bug, not a client error) is a 500 in the family's shape rather than a
 * hang-up; an answer decided after `auth` carries the headers it asked for.
 */
export function runSteps(steps: readonly Step[], flow: Flow, from = 0): Maybe<Verdict> {
  for (let index = from; index < steps.length; index++) {
    let verdict: Maybe<Verdict | undefined>;
    try {
      verdict = steps[index]?.run(flow);
    } catch (error) {
      return failed(flow, error);
    }
    if (verdict instanceof Promise)
      return verdict.then(
        (settled) => (settled === undefined ? runSteps(steps, flow, index + 1) : decided(flow, settled)),
        (error: unknown) => failed(flow, error),
      );
    if (verdict !== undefined) return decided(flow, verdict);
  }
  throw new Error('no step answered the request: the handler step answers every request it reaches');
}

function decided(flow: Flow, verdict: Verdict): Verdict {
  if (flow.headers === undefined || !('response' in verdict)) return verdict;
  return { ...verdict, response: withHeaders(verdict.response, flow.headers) };
}

function failed(flow: Flow, error: unknown): Answer {
  const route = flow.routed;
  if (route === undefined) throw error;
  return internalError(route.family, flow.request, error);
}
