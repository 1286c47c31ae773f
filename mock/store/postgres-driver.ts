import type pg from 'pg';
import { StoreOpenError } from './types.js';

let driver: Promise<typeof pg> | undefined;

/**
 * The `pg` client library, loaded on first use: `pg` is an optional peer of `ledgerline/mock`, so a
 * server that keeps its state in memory or in a file never needs it installed (or loaded).
 * @throws StoreOpenError naming the install command when `pg` is not installed.
 */
export function loadPg(): Promise<typeof pg> {
  driver ??= import('pg').then(
    (module) => ('default' in module ? module.default : module) as typeof pg,
    (error: unknown) => {
      driver = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new StoreOpenError(
        `The PostgreSQL store needs the pg package, which could not be loaded (${reason}); install it with npm install pg.`,
      );
    },
  );
  return driver;
}
