import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { demoClient, useReferenceServer } from './support.js';

/*
 * Every generated method's `@example` (what an editor shows on hover), run as written against the
 * reference server with the demo seed, fresh for each example: an example that fails there (an email
 * the seed already holds, a missing field) would fail a reader who copies it.
 */
await useReferenceServer();

const dir = resolve(import.meta.dirname, '../../generated/sdk');
const examples = readdirSync(dir)
  .filter((file) => file !== 'index.ts')
  .flatMap((file) =>
    [
      ...readFileSync(join(dir, file), 'utf8').matchAll(/@example\n\s*\* ```ts\n((?:\s*\* (?!```).*\n)+)/g),
    ].map((match) => (match[1] ?? '').replace(/^\s*\* /gm, '').trim()),
  )
  .filter((code) => code.includes('client.'));

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...values: unknown[]) => Promise<unknown>;

describe('the @example of every generated method', () => {
  it('covers every method', () => {
    expect(examples.length).toBeGreaterThanOrEqual(23);
  });

  it.each(examples.map((code) => [/client\.\w+\.\w+/.exec(code)?.[0] ?? code, code]))(
    '%s runs against a fresh reference server',
    async (_name, code) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        await new AsyncFunction('client', code)(demoClient());
      } finally {
        log.mockRestore();
      }
    },
  );
});
