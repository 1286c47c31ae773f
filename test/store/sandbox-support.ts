import type { DurableApp } from '../../mock/store/durable.js';
import { type CallOptions, type CallResult, requestOf, resultOf } from '../mock/support.js';

/** A request to a durable app, in-process (its answer once the store says the record is durable). */
export type DurableCall = (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

/** `call()` of test/mock/support.ts, through a {@link DurableApp}'s store instead of a bare app. */
export function send(durable: DurableApp): DurableCall {
  return async (method, path, options = {}) =>
    resultOf(await durable.answer(requestOf(method, path, options)));
}
