/**
 * Loaded into a measured server process (`node --import <built probe> ...`, see probe.ts): answers
 * the bench's IPC message `'probe'` with the process's own CPU time (`process.cpuUsage()`: every
 * thread, the libuv pool's fsyncs and GC included), the PostgreSQL store's batch figures (published
 * on a diagnostics channel, built only while someone subscribes) and the statements sent to
 * PostgreSQL (each one a round trip), counted on the server's own `pg`.
 */
import { subscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { STORE_BATCH_CHANNEL, type StoreBatchEvent } from '../../../mock/store/postgres-batch.js';

const figures = {
  batches: 0,
  records: 0,
  caughtUpRecords: 0,
  lockWaitUs: 0,
  sectionsUs: 0,
  commitUs: 0,
  queries: 0,
  flushes: 0,
};

subscribe(STORE_BATCH_CHANNEL, (message) => {
  const event = message as StoreBatchEvent;
  figures.batches += 1;
  figures.records += event.records;
  figures.caughtUpRecords += event.caughtUpRecords;
  figures.lockWaitUs += event.lockWaitUs;
  figures.sectionsUs += event.sectionsUs;
  figures.commitUs += event.commitUs;
});

type Query = (this: unknown, ...args: unknown[]) => unknown;
try {
  const pg = createRequire(import.meta.url)('pg') as { Client: { prototype: { query: Query } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function counted(this: unknown, ...args: unknown[]) {
    figures.queries += 1;
    // PostgresLink's flush: the synchronous commit whose WAL flush covers the batches before it.
    if (args[0] === 'SELECT txid_current()') figures.flushes += 1;
    return query.apply(this, args);
  };
} catch {
  // A server without pg (the ceilings): nothing to count.
}

process.on('message', (message) => {
  if (message !== 'probe') return;
  const { user, system } = process.cpuUsage();
  process.send?.({ cpuUs: user + system, ...figures });
});
// The IPC channel must not keep a server alive that would otherwise exit.
process.channel?.unref();
