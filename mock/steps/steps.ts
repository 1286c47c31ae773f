import { injectedStatus } from '../family-kit/errors.js';
import type { MockResponse } from '../family-kit/types.js';
import type { Fault } from '../services/faults.js';
import { DROP, type Flow, type Step, type Verdict } from './flow.js';
import { bodyTooLarge, parseJsonBody, TOO_LARGE_DETAIL } from './parse-body.js';
import { type Answer, unavailable } from './refusals.js';
import { validateBody, validateQuery } from './validate.js';

/** An answer of the family's own (not a replay); every refusal of a step is one. */
export const fresh = (response: MockResponse): Answer => ({ response, replayed: false });

/** `route`: the operation of the method and path; none is 404/405 in the shape of the path's family. */
export const route: Step = {
  name: 'route',
  run(flow) {
    const { request } = flow;
    const { router } = flow.host.world.registry;
    const match = router.match(request.method, request.path);
    if (match.kind === 'found') {
      flow.route = match.route;
      return undefined;
    }
    const family = router.familyOf(request.path);
    const kind = match.kind;
    const detail =
      kind === 'not_found'
        ? `No operation at ${request.path}.`
        : `${request.method} is not allowed on ${request.path}.`;
    const refusal: MockResponse = family
      ? family.errors.transport(kind, detail)
      : { status: kind === 'not_found' ? 404 : 405, body: { error: detail } };
    if (kind === 'not_found') return fresh(refusal);
    const allow = router.allowedMethods(request.path).join(', ');
    return fresh({ ...refusal, headers: { ...refusal.headers, allow } });
  },
};

/**
 * `faults`: the `/_mock/faults` that fire, in order, and `--latency`. Latency is summed into the
 * flow's `delayMs`: the operation commits now and only the answer waits. A record replayed from a
 * durable log ran once already, and its faults' firings are records of their own: a replay takes no
 * faults and no latency; nor does the control API.
 */
export const faults: Step = {
  name: 'faults',
  run(flow) {
    const { host, request, route } = flow;
    if (route.family.control || request.fromLog === true) return undefined;
    const fired = host.faults.pick(request.method, request.path);
    if (fired.length > 0 && !spend(flow, fired)) return fresh(unavailable(route.family, 'unsaved'));
    let delayMs = 0;
    let dropAfterCommit: Fault | undefined;
    for (const fault of fired) {
      if (fault.kind === 'latency') delayMs += fault.delayMs ?? 0;
      else if (fault.kind === 'reset-after-commit') dropAfterCommit = fault;
      else return injected(flow, fault, delayMs);
    }
    flow.delayMs = delayMs + host.latencyMs;
    flow.dropAfterCommit = dropAfterCommit !== undefined;
    // A fault that only delayed is still named (the request journal shows it).
    flow.fault = dropAfterCommit ?? fired[0];
    return undefined;
  },
};

/** A `reset` or `status` fault answers now, after the latency of the faults before it. */
function injected(flow: Flow, fault: Fault, delayMs: number): Verdict {
  flow.fault = fault;
  flow.delayMs = delayMs;
  if (fault.kind === 'reset') return DROP;
  return fresh(injectedStatus(flow.route.family.errors, fault.status ?? 500, fault.retryAfterSeconds));
}

/** Spends the fired faults' `times`, recorded first by a durable store; `false`: it cannot record. */
function spend(flow: Flow, fired: readonly Fault[]): boolean {
  const limited = fired.filter((fault) => fault.remaining !== null).map((fault) => fault.id);
  if (limited.length === 0) return true;
  const { gate, faults: registry } = flow.host;
  if (gate !== undefined && !gate.fire(flow.context, limited)) return false;
  registry.spend(limited);
  return true;
}

/** `limits`: a body over 64 KiB is a 413 (the adapters stop reading it). */
export const limits: Step = {
  name: 'limits',
  run(flow) {
    if (!bodyTooLarge(flow.request)) return undefined;
    return fresh(flow.route.family.errors.transport('payload_too_large', TOO_LARGE_DETAIL));
  },
};

/** `auth`: the family identifies the caller; a refusal is its own 401/403 (billing's 429 too). */
export const auth: Step = {
  name: 'auth',
  run(flow) {
    const { host, route, request } = flow;
    const { family } = route;
    const { world } = host;
    const settled = family.authenticate({
      ledger: world.ledger,
      state: world.stateOf(family),
      request,
      operationId: route.operationId,
      params: route.params,
      schema: route.schema,
      server: host,
    });
    const bind = (result: Awaited<typeof settled>): Verdict | undefined => {
      if (!result.ok) return fresh(result.response);
      flow.caller = result.principal;
      flow.headers = result.headers;
      return undefined;
    };
    return settled instanceof Promise ? settled.then(bind) : bind(settled);
  },
};

/** `parse`: the JSON body of an operation that takes one (depth and exact numbers checked). */
export const parse: Step = {
  name: 'parse',
  run(flow) {
    const { family, operationId, schema } = flow.route;
    if (!schema.body) return undefined;
    const parsed = parseJsonBody(flow.request.bodyText, flow.request.header('content-type'));
    if (!parsed.ok && parsed.kind === 'imprecise_number')
      return fresh(family.errors.validation({ [parsed.field]: [parsed.fragment] }, operationId, 'body'));
    if (!parsed.ok) return fresh(family.errors.transport(parsed.kind, parsed.detail));
    flow.raw = parsed.value;
    return undefined;
  },
};

/** `validate`: the body, then the query, against the route's schema; each field that fails is named. */
export const validate: Step = {
  name: 'validate',
  run(flow) {
    const { family, operationId, schema } = flow.route;
    if (schema.body) {
      const checked = validateBody(schema, flow.raw);
      if (!checked.ok) return fresh(family.errors.validation(checked.errors, operationId, 'body'));
      flow.body = checked.data;
    }
    const query = validateQuery(schema, flow.request.query);
    if (!query.ok) return fresh(family.errors.validation(query.errors, operationId, 'query'));
    flow.query = query.data;
    return undefined;
  },
};
