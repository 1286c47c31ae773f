import type { DurableApp } from '../../mock/store/durable.js';
import type { CallOptions, CallResult } from '../mock/support.js';

/** A request to a durable app, in-process (its answer once the store says the record is durable). */
export type DurableCall = (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

/** `call()` of test/mock/support.ts, through a {@link DurableApp}'s store instead of a bare app. */
export function send(durable: DurableApp): DurableCall {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
    if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
    let bodyText: string | null = null;
    if (options.json !== undefined) {
      bodyText = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (options.text !== undefined) bodyText = options.text;
    const query = new URLSearchParams(
      Object.entries(options.query ?? {}).map(([name, value]) => [name, String(value)]),
    );
    const outcome = await durable.answer({ method, path, query, header: (name) => headers[name], bodyText });
    if (outcome.kind === 'drop') return { status: 'dropped', body: undefined, headers: {} };
    const { status, body, headers: answered } = outcome.response;
    return { status, body, headers: answered ?? {} };
  };
}
