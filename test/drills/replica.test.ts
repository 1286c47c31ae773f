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
const pausedSchema = freshSchema();
/**
 * The pause drill's store timeouts and pause. `npm test`: small timeouts (ms) so the pause outlasts
 * them all in a few seconds; `npm run test:soak` (REPLICA_SECONDS > 10): the defaults, and a pause
 * longer than the client's own 20 s wait.
 */
const SOAK = SECONDS > 10;
const PAUSE_TIMEOUTS = SOAK
  ? ''
  : '&idle_in_transaction_session_timeout=500&lock_timeout=2500&statement_timeout=3000';
const PAUSE_MS = SOAK ? 21_000 : 4_500;
const replicas: Replica[] = [];
let folder: string | undefined;

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await schema.drop();
  await pausedSchema.drop();
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
  readonly body: string;
}

async function send(
  replica: Replica,
  call: Call,
  key: string | undefined,
  timeoutMs = 15_000,
): Promise<Answer | undefined> {
  try {
    const response = await fetch(`${replica.url}${call.path}`, {
      method: call.method,
      headers: key === undefined ? call.headers : { ...call.headers, 'idempotency-key': key },
      body: call.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    return {
      status: response.status,
      replayed: response.headers.get('idempotent-replayed') === 'true',
      body,
    };
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
      const { token } = ((await login.json()) as { data: { token: string } }).data;

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

  it(
    `keeps one ledger when a replica is paused (SIGSTOP) longer than every store timeout under keyed load`,
    async () => {
      const seed = await drillSeedFile();
      const url = `${pausedSchema.url}${PAUSE_TIMEOUTS}`;
      const pair = await Promise.all([0, 1].map(() => startReplica(url, ['--seed', seed])));
      replicas.push(...pair);
      const [healthy, paused] = pair as [Replica, Replica];
      // A pinned clock: `now` is state, so both replicas must show the same one at the end.
      const pinned = await fetch(`${paused.url}/_mock/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ now: '2026-06-15T12:00:00.000Z' }),
      });
      expect(pinned.status).toBe(200);
      const login = await fetch(`${healthy.url}/user/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ada@example.com', secret: 's3cret-ada', ttl: '86400' }),
      });
      const { token } = ((await login.json()) as { data: { token: string } }).data;
      expect(login.status).toBe(200);

      /** Each key answered 2xx: the call, and the body it was answered with. */
      const answered = new Map<string, { call: Call; body: string }>();
      const statuses = { healthy: new Map<number, number>(), paused: new Map<number, number>() };
      let servedDuringPause = 0;
      const healthyBusy: string[] = [];
      let pausing = false;
      let next = 0;
      const loadMs = Math.max(SECONDS * 1000, 2_000);
      const deadline = Date.now() + loadMs + PAUSE_MS;
      const worker = async () => {
        while (Date.now() < deadline) {
          const n = next++;
          const call = callOf(n, token);
          const key = call.keyed ? `pause-${n}` : undefined;
          const target = n % 2 === 0 ? healthy : paused;
          // A request to the paused replica waits for it: as long as the pause, and then some.
          const answer = await send(target, call, key, PAUSE_MS + 30_000);
          if (answer === undefined) continue;
          const counts = target === healthy ? statuses.healthy : statuses.paused;
          counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
          if (target === healthy && answer.status === 503) healthyBusy.push(answer.body);
          if (answer.status >= 200 && answer.status < 300) {
            if (key !== undefined) answered.set(key, { call, body: answer.body });
            if (pausing && target === healthy) servedDuringPause += 1;
          }
        }
      };
      const pauser = (async () => {
        await new Promise((resolve) => setTimeout(resolve, loadMs / 2));
        paused.child.kill('SIGSTOP');
        pausing = true;
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        pausing = false;
        paused.child.kill('SIGCONT');
      })();
      await Promise.all([...Array.from({ length: WORKERS }, worker), pauser]);
      const count = (counts: Map<number, number>) => JSON.stringify(Object.fromEntries(counts));
      console.log(
        `pause drill: ${next} requests, paused ${PAUSE_MS} ms; healthy answered ${count(statuses.healthy)}, ` +
          `paused answered ${count(statuses.paused)}, ${servedDuringPause} answers from the healthy one during the pause`,
      );
      expect(servedDuringPause, 'the healthy replica kept answering during the pause').toBeGreaterThan(0);
      // The healthy replica waits out the paused one's locks (lock_timeout outlasts the idle timeout);
      // a 503 from it is only ever a lock wait that outlasted lock_timeout (docs/reference-server.md,
      // "Timeouts"), never a failed store.
      for (const body of healthyBusy) expect(body).toContain('waited too long for another replica');
      expect(healthy.errors()).not.toMatch(/cannot commit|answering 503/);
      for (const status of statuses.healthy.keys()) expect(status).toBeLessThan(500);

      // One state on both, the books hold, and the server's own invariants agree.
      const states = await Promise.all([healthy, paused].map(stateOf));
      expect(states[1]).toEqual(states[0]);
      expect(bookViolations(states[0] as StateView)).toEqual([]);
      for (const replica of [healthy, paused]) {
        const invariants = await fetch(`${replica.url}/_mock/invariants`);
        expect(((await invariants.json()) as { ok: boolean }).ok).toBe(true);
      }
      // Every answered key replays its own body, through either replica.
      for (const [key, { call, body }] of answered) {
        for (const replica of [healthy, paused]) {
          const again = await send(replica, call, key);
          expect(again?.status, `replay of ${key}`).toBeLessThan(300);
          expect(again?.body, `replay of ${key} on ${replica === healthy ? 'healthy' : 'paused'}`).toBe(body);
        }
      }
      // The paused replica may have failed closed on resuming (its session was ended); it never diverged.
      expect(paused.errors()).not.toMatch(/changed nothing when replayed/);
    },
    (SECONDS + PAUSE_MS / 1000 + 240) * 1000,
  );
});
