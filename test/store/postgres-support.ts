import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
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

/** A TCP relay to 127.0.0.1:5432 on a port of its own; `stop()` cuts every connection through it. */
export interface Relay {
  readonly port: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRelay(): Promise<Relay> {
  let listener: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  const start = async () => {
    listener = createServer((client) => {
      const upstream = new Socket();
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      upstream.connect(5432, '127.0.0.1');
      client.pipe(upstream).pipe(client);
    });
    listener.listen(port, '127.0.0.1');
    await once(listener, 'listening');
    const address = listener.address();
    if (typeof address === 'object' && address !== null) port = address.port;
  };
  await start();
  return {
    get port() {
      return port;
    },
    start,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      if (listener?.listening) {
        listener.close();
        await once(listener, 'close');
      }
    },
  };
}
