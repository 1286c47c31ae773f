import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { DurableApp } from '../../mock/store/durable.js';
import { type CallOptions, type CallResult, requestOf, resultOf } from '../mock/support.js';

/** A request to a durable app, in-process (its answer once the store says the record is durable). */
export type DurableCall = (method: string, path: string, options?: CallOptions) => Promise<CallResult>;

/** `call()` of test/mock/support.ts, through a {@link DurableApp}'s store instead of a bare app. */
export function send(durable: DurableApp): DurableCall {
  return async (method, path, options = {}) =>
    resultOf(await durable.answer(requestOf(method, path, options)));
}

/** A maker of temporary folders named `prefix...`, every one removed after the test file's tests. */
export function tempFolders(prefix: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    made.push(dir);
    return dir;
  };
}
