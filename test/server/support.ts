import { afterEach } from 'vitest';
import { createMockServer, type MockServer, type MockServerOptions } from '../../mock/index.js';

const running: MockServer[] = [];

/**
 * Set by test/contract/prism-proxy.test.ts: the base URL of `prism proxy openapi.yaml` in front of a
 * router that forwards each request to the server named by its `x-ledgerline-upstream` header. Every
 * `request()` then goes through Prism, which checks each answer against openapi.yaml.
 */
const PRISM_PROXY = process.env.LEDGERLINE_PRISM_PROXY;
export const UPSTREAM_HEADER = 'x-ledgerline-upstream';

/** Starts a standalone reference server on a free loopback port; stopped after the test. */
export async function startServer(options: MockServerOptions = {}): Promise<MockServer> {
  const server = await createMockServer({ port: 0, ...options });
  running.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A JSON request over real HTTP; `raw` bodies are sent as they are. */
export async function request(
  base: string,
  method: string,
  path: string,
  options: {
    bearer?: string;
    json?: unknown;
    raw?: string;
    headers?: Record<string, string>;
    /**
     * Straight to the server, never through Prism: `prism proxy` answers a mock of its own when the
     * upstream answers 501 (its fallback for "not implemented"), so credit send's documented 501
     * refusals cannot be checked through it.
     */
    direct?: boolean;
  } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.raw !== undefined) body = options.raw;
  // Prism parses a JSON body itself and answers unparseable JSON on its own, so such a body goes
  // straight to the server: there is no answer of the server for Prism to check.
  const viaPrism = PRISM_PROXY !== undefined && options.direct !== true && !unparseableJson(body, headers);
  if (viaPrism) headers[UPSTREAM_HEADER] = base;
  const response = await fetch(`${viaPrism ? PRISM_PROXY : base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields.
  const json: any = text ? JSON.parse(text) : undefined;
  if (viaPrism) checkThroughPrism(method, path, response, json);
  return { status: response.status, headers: response.headers, body: json };
}

function unparseableJson(body: string | undefined, headers: Record<string, string>): boolean {
  if (body === undefined || !/json/i.test(headers['content-type'] ?? '')) return false;
  try {
    JSON.parse(body);
    return false;
  } catch {
    return true;
  }
}

interface Violation {
  readonly location: readonly string[];
  readonly severity: string;
  readonly message: string;
}

/**
 * Fails on any violation Prism reports for the server's answer (`sl-violations`, location
 * `response...`). Request violations are expected: the suite sends invalid requests on purpose.
 * Prism's own answer to a dropped connection becomes a thrown error, as `fetch` throws without it.
 */
function checkThroughPrism(method: string, path: string, response: Response, body: unknown): void {
  if (response.status === 500 && (body as { type?: unknown } | undefined)?.type === 'FetchError') {
    throw new TypeError(
      `fetch failed: the server dropped the connection (through Prism: ${JSON.stringify(body)})`,
    );
  }
  const header = response.headers.get('sl-violations');
  if (!header) return;
  if (header.startsWith('Too many violations!')) throw new Error(`Prism: ${method} ${path}: ${header}`);
  const violations = (JSON.parse(header) as Violation[]).filter((v) => v.location[0] === 'response');
  if (violations.length > 0) {
    const lines = violations.map((v) => `  ${v.severity} at ${v.location.join('.')}: ${v.message}`);
    throw new Error(
      `Prism: the answer to ${method} ${path} (${response.status}) breaks openapi.yaml:\n${lines.join('\n')}\nbody: ${JSON.stringify(body)}`,
    );
  }
}
