import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defineFamily } from '../../mock/family-kit/define-family.js';
import type { MockAppOptions } from '../../mock/index.js';
import { Clock } from '../../mock/ledger/clock.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { tallyDefinition } from '../mock/tally-family.js';
import { adminQuery, freshSchema } from './postgres-support.js';
import { send, tempFolders } from './sandbox-support.js';

// A request whose operation changed nothing is no record: an anonymous client refused over and
// over (a login with an invented email, a transfer to a user who does not exist) must not grow the
// log, nor cost an fsync each. Everything a replay needs still is one: a change of the ledger, of
// a family's state (even under a refusal), a stored Idempotency-Key answer.

const syncs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fdatasync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    syncs.count += 1;
    fs.fdatasync(fd, callback);
  };
  return { ...fs, default: { ...fs, fdatasync }, fdatasync };
});

const folder = tempFolders('ll-noop-');
const N = 5;
const ADMIN = { authorization: 'Bearer wl_admin_demo' };
const transfer = (userId: number, amount = 5) => ({
  user_id: userId,
  transfer_type: 'minutes',
  operation: 'add',
  amount,
});
const NOBODY = 987_654;

/** Records in every log file of `dir` (one line each). */
const logLines = (dir: string): number =>
  readdirSync(dir)
    .filter((name) => name.includes('.log'))
    .reduce((sum, name) => sum + readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length, 0);

/**
 * A family whose refusal changes its state: each `addTally` with the note `miss` counts the miss in
 * place and answers 404, touching no ledger. Only the state itself tells that it changed.
 */
const missesDefinition: typeof tallyDefinition = {
  ...tallyDefinition,
  operations: {
    ...tallyDefinition.operations,
    addTally(context) {
      if (context.body.note !== 'miss') return tallyDefinition.operations.addTally(context);
      const { state, principal } = context;
      state.counts[principal.apiKey] = (state.counts[principal.apiKey] ?? 0) + 1;
      return { status: 404, body: { tally_error: 'missed' } };
    },
  },
};
const misses = defineFamily(missesDefinition);

const options: Omit<MockAppOptions, 'gate' | 'snapshot'> = {
  clock: Clock.controlled('2025-06-01T12:00:00Z'),
  families: [misses],
};
const openFile = (dir: string) =>
  DurableApp.open(new FileStore(join(dir, 'state.json')), options, () => undefined);

/** Runs `check` on a copy of `dir` opened as a restart would (its log replayed), then closes both. */
async function afterRestart(
  dir: string,
  durable: DurableApp,
  check: (replayed: DurableApp) => Promise<void> | void,
): Promise<void> {
  const copy = folder();
  cpSync(dir, copy, { recursive: true });
  const replayed = await openFile(copy);
  try {
    await check(replayed);
  } finally {
    await replayed.close();
    await durable.close();
  }
}

describe('what a durable file store records of requests that change nothing', () => {
  it('records no refused login and no transfer to an unknown user, and syncs nothing for them', async () => {
    const dir = folder();
    const durable = await openFile(dir);
    try {
      const call = send(durable);
      const before = { lines: logLines(dir), syncs: syncs.count };
      for (let i = 0; i < N; i++) {
        const login = await call('POST', '/user/login', {
          json: { email: `nobody${i}@example.com`, secret: 'guess' },
        });
        expect(login.status).toBeGreaterThanOrEqual(400);
        const lost = await call('POST', '/api/white-label/transfer', {
          headers: ADMIN,
          json: transfer(NOBODY),
        });
        expect(lost.status).toBe(404);
      }
      expect(logLines(dir)).toBe(before.lines);
      expect(syncs.count).toBe(before.syncs);
      // A keyed refused login keeps no key (an anonymous caller keeps only successes): no record either.
      const keyed = await call('POST', '/user/login', {
        headers: { 'idempotency-key': 'guess-1' },
        json: { email: 'nobody@example.com', secret: 'guess' },
      });
      expect(keyed.status).toBeGreaterThanOrEqual(400);
      expect(logLines(dir)).toBe(before.lines);
    } finally {
      await durable.close();
    }
  });

  it("records nothing for a sandbox's refused transfers, and its transfer that ran", async () => {
    const dir = folder();
    const durable = await openFile(dir);
    try {
      const call = send(durable);
      const sandbox = (await call('POST', '/_mock/sandboxes', { json: {} })).body.id as string;
      const path = `/_mock/sandboxes/${sandbox}/api/white-label/transfer`;
      const before = logLines(dir);
      for (let i = 0; i < N; i++)
        expect((await call('POST', path, { headers: ADMIN, json: transfer(NOBODY) })).status).toBe(404);
      expect(logLines(dir)).toBe(before);
      expect((await call('POST', path, { headers: ADMIN, json: transfer(123) })).status).toBe(200);
      expect(logLines(dir)).toBe(before + 1);
    } finally {
      await durable.close();
    }
  });

  it('records a successful transfer and login, and replays the transfer after a restart', async () => {
    const dir = folder();
    const durable = await openFile(dir);
    const call = send(durable);
    const before = logLines(dir);
    const done = await call('POST', '/api/white-label/transfer', { headers: ADMIN, json: transfer(123, 7) });
    expect(done.status).toBe(200);
    expect(logLines(dir)).toBe(before + 1);
    const login = await call('POST', '/user/login', {
      json: { email: 'ada@example.com', secret: 's3cret-ada', ttl: 'one-time' },
    });
    expect(login.status).toBe(200);
    expect(logLines(dir)).toBe(before + 2);
    await afterRestart(dir, durable, async (replayed) => {
      expect(replayed.app.snapshot()).toEqual(durable.app.snapshot());
    });
  });

  it("records a refused transfer whose Idempotency-Key keeps its answer, and replays the key's answer after a restart", async () => {
    const dir = folder();
    const durable = await openFile(dir);
    const call = send(durable);
    const before = logLines(dir);
    const keyed = { headers: { ...ADMIN, 'idempotency-key': 'lost-1' }, json: transfer(NOBODY) };
    const first = await call('POST', '/api/white-label/transfer', keyed);
    expect(first.status).toBe(404);
    expect(logLines(dir)).toBe(before + 1);
    await afterRestart(dir, durable, async (replayed) => {
      const again = await send(replayed)('POST', '/api/white-label/transfer', keyed);
      expect(again.status).toBe(404);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });
  });

  it('records a keyed login, whose answer is stored once its token is signed, and replays the answer after a restart', async () => {
    const dir = folder();
    const durable = await openFile(dir);
    const call = send(durable);
    const before = logLines(dir);
    const keyed = {
      headers: { 'idempotency-key': 'login-1' },
      json: { email: 'ada@example.com', secret: 's3cret-ada', ttl: 3600 },
    };
    const first = await call('POST', '/user/login', keyed);
    expect(first.status).toBe(200);
    expect(logLines(dir)).toBe(before + 1);
    await afterRestart(dir, durable, async (replayed) => {
      const again = await send(replayed)('POST', '/user/login', keyed);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
    });
  });

  it("records a refusal that changed its family's state in place, and replays it after a restart", async () => {
    const dir = folder();
    const durable = await openFile(dir);
    const call = send(durable);
    const tallyKey = { 'x-tally-key': 'tally_demo' };
    const before = logLines(dir);
    const missed = await call('POST', '/tally/v1/add', {
      headers: tallyKey,
      json: { amount: 1, note: 'miss' },
    });
    expect(missed.status).toBe(404);
    expect(logLines(dir)).toBe(before + 1);
    // Refused by the schema before the operation runs: nothing changed, no record.
    const invalid = await call('POST', '/tally/v1/add', { headers: tallyKey, json: { amount: 0 } });
    expect(invalid.status).toBe(400);
    expect(logLines(dir)).toBe(before + 1);
    await afterRestart(dir, durable, async (replayed) => {
      const count = await send(replayed)('GET', '/tally/v1/count', { headers: tallyKey });
      expect(count.body).toEqual({ count: 1 });
    });
  });
});

describe('what the PostgreSQL store records of requests that change nothing', () => {
  it('adds no row for refused logins and transfers to an unknown user, and one for a transfer that ran', async () => {
    const schema = freshSchema();
    const rows = async () =>
      Number(
        (await adminQuery<{ n: string }>(`SELECT count(*) AS n FROM "${schema.name}".ledgerline_operations`))
          .rows[0]?.n,
      );
    const durable = await DurableApp.open(new PostgresStore(schema.url), options, () => undefined);
    try {
      const call = send(durable);
      const before = await rows();
      for (let i = 0; i < N; i++) {
        const login = await call('POST', '/user/login', {
          json: { email: `nobody${i}@example.com`, secret: 'guess' },
        });
        expect(login.status).toBeGreaterThanOrEqual(400);
        const lost = await call('POST', '/api/white-label/transfer', {
          headers: ADMIN,
          json: transfer(NOBODY),
        });
        expect(lost.status).toBe(404);
      }
      expect(await rows()).toBe(before);
      const done = await call('POST', '/api/white-label/transfer', { headers: ADMIN, json: transfer(123) });
      expect(done.status).toBe(200);
      expect(await rows()).toBe(before + 1);
    } finally {
      await durable.close();
      await schema.drop();
    }
  });
});
