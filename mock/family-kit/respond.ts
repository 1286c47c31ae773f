import { type MockResponse, type Outcome, PROBLEM_JSON } from './types.js';

/** `outcome` answered `delayMs` later (latency); `delivered` in mock/family-kit/types.ts waits it out. */
export function delayed(outcome: Outcome, delayMs: number): Outcome {
  return delayMs > 0 ? { ...outcome, delayMs } : outcome;
}

/** `response` with `Retry-After: seconds` when a status fault asks for it. */
export function withRetryAfter(response: MockResponse, seconds: number | undefined): MockResponse {
  if (seconds === undefined) return response;
  return { ...response, headers: { ...response.headers, 'retry-after': String(seconds) } };
}

/**
 * A problem document names the request it answers in `instance` (the request path, as the errors page
 * of docs.flowyte.com shows: `"instance": "/api/v1/agents"`); only the pipeline knows the path.
 */
function withInstance(response: MockResponse, path: string): MockResponse {
  const body = response.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body) || 'instance' in body) return response;
  return { ...response, body: { ...body, instance: path } };
}

export function respond(received: MockResponse, requestId: string, replayed: boolean, path: string): Outcome {
  const response =
    received.headers?.['content-type'] === PROBLEM_JSON ? withInstance(received, path) : received;
  // Built field by field: object spreads of varying shapes are a measurable share of a request.
  let headers: Record<string, string>;
  if (response.headers === undefined) headers = { 'x-request-id': requestId };
  else {
    headers = Object.assign({}, response.headers);
    headers['x-request-id'] = requestId;
  }
  if (replayed) headers['idempotent-replayed'] = 'true';
  const answer: MockResponse =
    response.body === undefined
      ? { status: response.status, headers }
      : { status: response.status, body: response.body, headers };
  return { kind: 'respond', response: answer, replayed };
}

/** `response` with `extra` headers added; a replayed answer's stored headers are not changed. */
export function withHeaders(response: MockResponse, extra: Readonly<Record<string, string>>): MockResponse {
  return { ...response, headers: { ...response.headers, ...extra } };
}
