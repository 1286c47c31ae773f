import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshSchema } from '../store/postgres-support.js';
import {
  allJournalEntries,
  bookViolations,
  type Replica,
  type StateView,
  startReplica,
} from './replica-support.js';

// The replica drill: three `ledgerline-mock --store postgres://...` processes on one
// fresh schema, concurrent requests of every family spread over them, one Idempotency-Key in ten
// sent to two replicas at once, and SIGKILL of one replica mid-load. Afterwards every answered
// request is in the journal exactly once, the books hold, the survivors kept serving and all
// replicas (the killed one restarted) show the same state. REPLICA_SECONDS sets the load's length
// (default 4; `npm run test:soak` runs 20).

const SECONDS = Math.min(30, Number(process.env.REPLICA_SECONDS ?? 4));
const WORKERS = 12;
const schema = freshSchema();
const replicas: Replica[] = [];
let folder: string | undefined;

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await schema.drop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** The demo seed with balances deep enough that no drill request runs out of funds. */
async function drillSeedFile(): Promise<string> {
  const seed = JSON.parse(await readFile(new URL('../../mock/seeds/demo.json', import.meta.url), 'utf8'));
  seed.whiteLabel.platforms[0].minutes = 10_000_000;
  seed.reseller.resellers[0].balance = 10_000_000;
  seed.creditSend.organizations[0].users[0].credits = 10_000_000;
  folder = await mkdtemp(join(tmpdir(), 'ledgerline-replicas-'));
  const path = join(folder, 'seed.json');
  await writeFile(path, JSON.stringify(seed));
  return path;
}

interface Call {
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
  /** `false` for the control API's usage event, which takes no Idempotency-Key. */
  readonly keyed: boolean;
}

/** Request `n` of the mix: a transfer of each family, a wallet top-up (a payment) and a usage event. */
function callOf(n: number, token: string): Call {
  const json = { 'content-type': 'application/json' };
  switch (n % 5) {
    case 0:
      return {
        method: 'POST',
        path: '/api/white-label/transfer',
        headers: { ...json, authorization: 'Bearer wl_admin_demo' },
        body: JSON.stringify({
          user_id: 123,
          transfer_type: 'minutes',
          operation: 'add',
          amount: (n % 7) + 1,
        }),
        keyed: true,
      };
    case 1:
      return {
        method: 'POST',
        path: '/api/v1/reseller/credits/transfer',
        headers: { ...json, authorization: 'Bearer rs_demo' },
        body: JSON.stringify({ to_organization_id: 4002, minutes: (n % 5) + 1, cost_per_min: 0.2 }),
        keyed: true,
      };
    case 2:
      return {
        method: 'POST',
        path: '/credits/send',
        headers: { ...json, token },
        body: JSON.stringify({ user: 11, credits: (n % 3) + 1 }),
        keyed: true,
      };
    case 3:
      return {
        method: 'POST',
        path: '/api/v1/billing/wallet/topup',
        headers: { ...json, authorization: 'Bearer flowyte_session_demo' },
        body: JSON.stringify({ amountUsd: 5 }),
        keyed: true,
      };
    default:
      return {
        method: 'POST',
        path: '/_mock/billing/usage',
        headers: json,
        body: JSON.stringify({ organizationId: 'org_demo', channel: 'voice', quantity: 1 }),
        keyed: false,
      };
  }
}

interface Answer {
  readonly status: number;
  readonly replayed: boolean;
}

async function send(replica: Replica, call: Call, key: string | undefined): Promise<Answer | undefined> {
  try {
    const response = await fetch(`${replica.url}${call.path}`, {
      method: call.method,
      headers: key === undefined ? call.headers : { ...call.headers, 'idempotency-key': key },
      body: call.body,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return { status: response.status, replayed: response.headers.get('idempotent-replayed') === 'true' };
  } catch {
    return undefined; // the replica was killed (or the connection cut): no answer
  }
}

const ok = (answer: Answer | undefined) =>
  answer !== undefined && answer.status >= 200 && answer.status < 300;

async function stateOf(replica: Replica): Promise<StateView> {
  const response = await fetch(`${replica.url}/_mock/state`);
  expect(response.status).toBe(200);
  return (await response.json()) as StateView;
}

describe('replica drill: three servers on one PostgreSQL ledger', () => {
  it(
    `serves one ledger for ${SECONDS} s of mixed load with duplicate keys and a replica killed mid-load`,
    async () => {
      const seed = await drillSeedFile();
      // Started together: exactly one of them seeds the empty store, the others read its seed.
      replicas.push(...(await Promise.all([0, 1, 2].map(() => startReplica(schema.url, ['--seed', seed])))));
      const [first, second, third] = replicas as [Replica, Replica, Replica];
      // A pinned clock is state like any other: every replica must show the same `now`.
      const pinned = await fetch(`${first.url}/_mock/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now: '2026-06-15T12:00:00.000Z' }),
      });
      expect(pinned.status).toBe(200);
      // A token issued by one replica works on the others (its random bytes are in the record).
      const login = await fetch(`${second.url}/user/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', secret: 's3cret-ada', ttl: '86400' }),
      });
      const { token } = (await login.json()) as { token: string };

      const answered = new Set<string>();
      const sent = new Set<string>();
      const duplicatePairs: [Answer | undefined, Answer | undefined][] = [];
      let usageAnswered = 0;
      let servedAfterKill = 0;
      let killed = false;
      let next = 0;
      const deadline = Date.now() + SECONDS * 1000;
      const killAt = Date.now() + SECONDS * 600;
      const live = () => (killed ? [first, second] : replicas);

      const worker = async () => {
        while (Date.now() < deadline) {
          const n = next++;
          const call = callOf(n, token);
          const targets = live();
          const replica = targets[n % targets.length] as Replica;
          const key = call.keyed ? `drill-${n}` : undefined;
          if (key !== undefined) sent.add(key);
          if (key !== undefined && n % 10 === 3) {
            // The same key to two replicas at once: it commits once; the other gets the replay or a 409.
            const other = targets[(n + 1) % targets.length] as Replica;
            const pair = await Promise.all([send(replica, call, key), send(other, call, key)]);
            duplicatePairs.push(pair);
            if (pair.some(ok)) answered.add(key);
            continue;
          }
          const answer = await send(replica, call, key);
          if (ok(answer)) {
            if (key !== undefined) answered.add(key);
            else usageAnswered += 1;
            if (killed) servedAfterKill += 1;
          } else if (answer !== undefined) {
            expect.soft(answer.status, `${call.path} on a live replica`).toBeLessThan(500);
          }
        }
      };
      const killer = (async () => {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, killAt - Date.now())));
        third.child.kill('SIGKILL');
        killed = true;
      })();
      await Promise.all([...Array.from({ length: WORKERS }, worker), killer]);

      console.log(
        `replica drill: ${next} requests in ${SECONDS} s over 3 replicas (one killed at 60%), ` +
          `${answered.size} keyed answers, ${usageAnswered} usage events, ${duplicatePairs.length} duplicate pairs, ` +
          `${servedAfterKill} answers after the kill`,
      );
      expect(answered.size).toBeGreaterThan(20);
      expect(servedAfterKill, 'the surviving replicas kept serving').toBeGreaterThan(5);

      // A duplicate pair never commits twice: at most one answer is a fresh (not replayed) success.
      for (const [a, b] of duplicatePairs) {
        const fresh = [a, b].filter((answer) => ok(answer) && !answer?.replayed);
        expect(fresh.length).toBeLessThanOrEqual(1);
        for (const answer of [a, b]) if (answer && !ok(answer)) expect([409, 503]).toContain(answer.status);
      }

      // Every answered key exactly once in the journal; no key twice; nothing that was never sent.
      const entries = await allJournalEntries(first.url);
      const perKey = new Map<string, number>();
      for (const entry of entries)
        if (entry.idempotencyKey !== null)
          perKey.set(entry.idempotencyKey, (perKey.get(entry.idempotencyKey) ?? 0) + 1);
      for (const key of answered) expect(perKey.get(key), `answered key ${key}`).toBeGreaterThanOrEqual(1);
      const twice = [...perKey].filter(([, count]) => count > 1);
      expect(twice, 'keys committed twice').toEqual([]);
      for (const key of perKey.keys()) expect(sent.has(key), `unknown key ${key}`).toBe(true);

      // The books hold, and every replica shows the same state (the killed one after a restart).
      const restarted = await startReplica(schema.url);
      replicas.push(restarted);
      const states = await Promise.all([first, second, restarted].map(stateOf));
      expect(bookViolations(states[0] as StateView)).toEqual([]);
      expect(states[1]).toEqual(states[0]);
      expect(states[2]).toEqual(states[0]);
      expect(states[0]?.now).toBe('2026-06-15T12:00:00.000Z');
      for (const replica of [first, second, restarted]) expect(replica.errors()).toBe('');
    },
    (SECONDS + 180) * 1000,
  );
});
