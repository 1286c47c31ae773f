import { createMockServer, type MockServer } from '../../mock/index.js';
import { Clock } from '../../mock/ledger/clock.js';

/** The admin token the fuzzed server is started with: `/_mock` calls without it are refused. */
export const ADMIN_TOKEN = 'fuzz-admin-token';
export const ADMIN = { 'x-mock-admin-token': ADMIN_TOKEN } as const;

/** A standalone server on the demo seed, a fixed clock and the admin token (so `/_mock` can be fuzzed). */
export function startFuzzServer(): Promise<MockServer> {
  return createMockServer({
    port: 0,
    clock: Clock.controlled('2025-06-01T12:00:00Z'),
    adminToken: ADMIN_TOKEN,
  });
}

/** A JSON number written as-is into the body text: `1e309`, `-0`, `1.0000000001`. */
export class RawNumber {
  constructor(readonly text: string) {}
}

const RAW = /"@@raw:([^"@]*)@@"/g;

/** `JSON.stringify`, except that {@link RawNumber}s are written as their text. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof RawNumber ? `@@raw:${v.text}@@` : v,
  ).replace(RAW, '$1');
}

export interface RawRequest {
  readonly method: string;
  /** Path with the query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | undefined;
  /** Send the body as bytes, so that fetch adds no content type of its own. */
  readonly bytes?: boolean;
}

export interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
  readonly json: unknown;
}

/** Sends a request over real HTTP as it is (any body text, any content type). */
export async function send(base: string, request: RawRequest): Promise<RawAnswer> {
  const response = await fetch(`${base}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined
      ? {}
      : { body: request.bytes ? new TextEncoder().encode(request.body) : request.body }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json };
}

/**
 * What must not change when a request is refused: the journal length and every balance as
 * `GET /_mock/state` reports it (over HTTP), and the whole server state as a snapshot (users,
 * tokens, wallet settings, faults aside).
 */
export async function books(server: MockServer): Promise<string> {
  const state = await send(server.url, { method: 'GET', path: '/_mock/state', headers: ADMIN });
  if (state.status !== 200) throw new Error(`GET /_mock/state answered ${state.status}: ${state.text}`);
  return JSON.stringify({
    journalSize: server.app.world.ledger.journalSize,
    state: state.json,
    snapshot: server.app.snapshot(),
    faults: server.app.faults.list().length,
  });
}
