import type { MockApp, MockAppOptions } from '../../mock/app.js';
import { Clock } from '../../mock/ledger/clock.js';
import { call, demoApp } from '../mock/support.js';
import { startServer } from '../server/support.js';

/** One answer as the control tests read it. */
export interface Answer {
  readonly status: number | 'dropped';
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields.
  readonly body: any;
  readonly headers: Readonly<Record<string, string>>;
}

export interface SendOptions {
  readonly json?: unknown;
  readonly bearer?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A reference server reached one way: in-process, over HTTP, or under a sandbox's base URL. */
export interface Target {
  send(method: string, path: string, options?: SendOptions): Promise<Answer>;
}

export type TargetKind = 'in-process' | 'HTTP' | 'sandbox';
export const TARGETS: readonly TargetKind[] = ['in-process', 'HTTP', 'sandbox'];

/** A server on the demo seed at a controlled clock, reached the given way (a sandbox of a real server for `sandbox`). */
export async function target(
  kind: TargetKind,
  options: MockAppOptions = {},
): Promise<Target & { app?: MockApp }> {
  if (kind === 'in-process') {
    const app = demoApp(options);
    return { app, send: (method, path, send = {}) => inProcess(app, method, path, send) };
  }
  const server = await startServer({ clock: Clock.controlled('2025-06-01T12:00:00Z'), ...options });
  if (kind === 'HTTP')
    return { app: server.app, send: (method, path, send) => overHttp(server.url, method, path, send) };
  const made = await overHttp(server.url, 'POST', '/_mock/sandboxes', { json: {} });
  if (made.status !== 201) throw new Error(`no sandbox: ${JSON.stringify(made.body)}`);
  const base: string = made.body.baseUrl;
  // A new sandbox follows the system time: stop it, as the other targets' clocks are stopped.
  await overHttp(base, 'POST', '/_mock/clock', { json: { now: '2025-06-01T12:00:00Z' } });
  return { send: (method, path, send) => overHttp(base, method, path, send) };
}

function inProcess(app: MockApp, method: string, path: string, options: SendOptions): Promise<Answer> {
  const [bare, search] = path.split('?');
  const query = Object.fromEntries(new URLSearchParams(search ?? ''));
  return call(app, method, bare ?? path, { ...options, query });
}

/** A request over real HTTP (the query string is part of `path`). */
export async function overHttp(
  base: string,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.json === undefined ? {} : { body: JSON.stringify(options.json) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text ? JSON.parse(text) : undefined,
    headers: Object.fromEntries(response.headers),
  };
}

/** What a refused control call must leave as it was: faults, clock, state, sandboxes. */
export async function controlState(server: Target): Promise<unknown> {
  const read = async (path: string) => (await server.send('GET', path)).body;
  return {
    faults: await read('/_mock/faults'),
    clock: await read('/_mock/clock'),
    state: await read('/_mock/state'),
    sandboxes: await read('/_mock/sandboxes'),
  };
}
