import { MockApp, type MockAppOptions } from '../../mock/app.js';
import type { MockRequest, Outcome } from '../../mock/family-kit/types.js';
import { Clock } from '../../mock/ledger/clock.js';
import { assertInvariants } from '../../mock/ledger/invariants.js';

/** What a test sees of an answer. */
export interface CallResult {
  readonly status: number | 'dropped';
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON fields.
  readonly body: any;
  readonly headers: Readonly<Record<string, string>>;
}

export interface CallOptions {
  /** Sent as `Authorization: Bearer <bearer>`. */
  readonly bearer?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON body (serialised) or raw text. */
  readonly json?: unknown;
  readonly text?: string;
  readonly query?: Readonly<Record<string, string | number>>;
}

/** The {@link MockRequest} that {@link call} sends (headers lower-cased, the body serialised). */
export function requestOf(method: string, path: string, options: CallOptions = {}): MockRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  let bodyText: string | null = null;
  if (options.json !== undefined) {
    bodyText = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.text !== undefined) bodyText = options.text;
  const query = new URLSearchParams(Object.entries(options.query ?? {}).map(([k, v]) => [k, String(v)]));
  const rawHeaders = Object.entries(headers).flat();
  return { method, path, query, header: (name) => headers[name], rawHeaders, bodyText };
}

/** What a test sees of an outcome. */
export function resultOf(outcome: Outcome): CallResult {
  if (outcome.kind === 'drop') return { status: 'dropped', body: undefined, headers: {} };
  return {
    status: outcome.response.status,
    body: outcome.response.body,
    headers: outcome.response.headers ?? {},
  };
}

/** Calls the reference server in-process, without HTTP: the pipeline and the families, nothing else. */
export async function call(
  app: MockApp,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<CallResult> {
  return resultOf(await app.handle(requestOf(method, path, options)));
}

/** A fresh reference server on the demo seed (or the given options), with a controlled clock. */
export function demoApp(options: MockAppOptions = {}): MockApp {
  return new MockApp({ clock: Clock.controlled('2025-06-01T12:00:00Z'), ...options });
}

/** Every balance and the journal length (invariants asserted): equal before and after a refused request. */
export function books(app: MockApp): {
  journalSize: number;
  balances: Record<string, Record<string, bigint>>;
} {
  const { ledger } = app.world;
  assertInvariants(ledger);
  const balances = Object.fromEntries(
    ledger.accounts().map((account) => [account.id, ledger.balances(account.id)]),
  );
  return { journalSize: ledger.journalSize, balances };
}
