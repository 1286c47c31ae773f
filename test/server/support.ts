import { afterEach } from 'vitest';
import { createMockServer, type MockServer, type MockServerOptions } from '../../mock/index.js';

const running: MockServer[] = [];

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
  options: { bearer?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.raw !== undefined) body = options.raw;
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields.
  const json: any = text ? JSON.parse(text) : undefined;
  return { status: response.status, headers: response.headers, body: json };
}
