import { headAsGet, type MockRequest } from '../family-kit/types.js';
import type { Clock } from '../ledger/clock.js';

/** When a request arrived: what the request journal notes before the pipeline answers. */
export interface RequestArrival {
  /** Server-clock time at arrival, epoch ms. */
  readonly timeMs: number;
  /** `performance.now()` at arrival: durations are real time whatever the server clock says. */
  readonly startedMs: number;
}

/**
 * The commit section of a durable store a request was admitted into (mock/store/recording-gate.ts
 * extends it with the store's section): what the request changes is appended there. Opaque to the
 * pipeline, which only hands the context to the gate.
 */
export interface CommitSection {
  /** The system time the section pinned when the request entered it, epoch ms. */
  readonly receivedAtMs: number;
}

/**
 * Everything the server notes about one request on its way through: built once by the adapter where
 * the request enters (the `node:http` server, `createMockFetch`, the MSW handlers, `MockApp.handle`,
 * a durable store's own requests), then handed down explicitly to the app, the pipeline, the gate and
 * the request journal. A request answered again (a durable store's rollback) keeps its context, so
 * its first arrival, its journal record and its sandbox context.
 */
export class RequestContext {
  /** The request as the app answers it: a HEAD is made a GET once, here (`headAsGet`). */
  readonly request: MockRequest;
  /** For a request forwarded to a sandbox's app: the context of the app that received it. */
  readonly outer: RequestContext | undefined;
  /** When this app saw it arrive, for its request journal (set once, by {@link arrive}). */
  arrival: RequestArrival | undefined;
  /** Its record in the request journal, which a durable app amends when it answers it again. */
  journalSeq: number | undefined;
  /** The durable store's commit section it runs in; `undefined`: it may change nothing. */
  section: CommitSection | undefined;
  /** The context of this request under its sandbox's base URL: one per request ({@link forward}). */
  #inner: RequestContext | undefined;

  constructor(request: MockRequest, outer?: RequestContext) {
    this.request = headAsGet(request);
    this.outer = outer;
  }

  /** `received`'s context: itself when it is one, else a new one (a caller handing a bare request). */
  static of(received: MockRequest | RequestContext): RequestContext {
    return received instanceof RequestContext ? received : new RequestContext(received);
  }

  /** Notes the arrival on `clock`, once: a request answered again keeps its first. */
  arrive(clock: Clock): RequestArrival {
    this.arrival ??= { timeMs: clock.now(), startedMs: performance.now() };
    return this.arrival;
  }

  /**
   * This request under a sandbox's base URL (`path` below it), as that sandbox's app gets it: the
   * same context every time, so a request answered again reaches the sandbox as the same request.
   * `sandboxTokenValid`: it carries that sandbox's own token (the forwarding app checked it).
   */
  forward(path: string, sandboxTokenValid: boolean): RequestContext {
    if (this.#inner !== undefined) return this.#inner;
    const { request } = this;
    const basePath = request.path.slice(0, request.path.length - path.length);
    this.#inner = new RequestContext({ ...request, path, basePath, sandboxTokenValid }, this);
    return this.#inner;
  }

  /** The context as the server received it (itself unless forwarded to a sandbox). */
  get received(): RequestContext {
    return this.outer?.received ?? this;
  }
}
