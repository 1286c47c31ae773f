import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL (trust auth): `.ci/run` starts it when it does not answer. */
export const POSTGRES_URL = process.env.LEDGERLINE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema for one test file, and `drop()` to remove it (and everything in it) afterwards. */
export interface TestSchema {
  readonly name: string;
  /** `--store` URL of the schema. */
  readonly url: string;
  drop(): Promise<void>;
}

export function freshSchema(): TestSchema {
  const name = `ll_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  return {
    name,
    url: `${POSTGRES_URL}?schema=${name}`,
    drop: () =>
      adminQuery(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(name)} CASCADE`).then(() => undefined),
  };
}

/** One statement on its own connection (tests inspect and sabotage the store's tables with it). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await client.query<R>(sql, values);
  } finally {
    await client.end();
  }
}
