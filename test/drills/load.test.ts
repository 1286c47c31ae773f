import autocannon from 'autocannon';
import { afterAll, describe, expect, it } from 'vitest';
import { checkInvariants, type MockServer } from '../../mock/index.js';
import { ADMIN_KEY, createMockServer, drillSeed, journalTransfers } from './support.js';

// A bounded loopback load drill: concurrent transfers from one admin to 200 users, each with its
// own Idempotency-Key, one in ten repeating an answered request (a replay). No 5xx, no connection
// error, every key committed at most once, and the books conserved afterwards. LOAD_SECONDS sets
// the duration (default 10; `npm run test:soak` runs 30, the most this drill ever runs).

const SECONDS = Math.min(30, Number(process.env.LOAD_SECONDS ?? 10));
const USERS = 200;
const ADMIN_MINUTES = 100_000_000;
let server: MockServer | undefined;

afterAll(async () => {
  await server?.close();
});

describe('load drill: concurrent idempotent transfers over loopback', () => {
  it(
    `holds for ${SECONDS} s at 16 connections: no 5xx, conservation, no duplicate`,
    async () => {
      server = await createMockServer({ port: 0, seed: drillSeed(USERS, ADMIN_MINUTES) });
      const answered: { key: string; body: string }[] = [];
      const sent = new Set<string>();
      let next = 0;
      let replaysAnswered = 0;
      const result = await autocannon({
        url: server.url,
        connections: 16,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            path: '/api/white-label/transfer',
            setupRequest: (request, context) => {
              const n = next++;
              const replay = n % 10 === 9 ? answered[(n * 31) % Math.max(1, answered.length)] : undefined;
              const key = replay?.key ?? `load-${n}`;
              const body =
                replay?.body ??
                JSON.stringify({
                  user_id: ((n * 7) % USERS) + 1,
                  transfer_type: n % 5 === 0 ? 'credits' : 'minutes',
                  operation: 'add',
                  amount: ((n % 300) + 1) / 100,
                });
              if (!replay) sent.add(key);
              context.key = key;
              context.body = body;
              context.replay = replay !== undefined;
              return {
                ...request,
                headers: {
                  authorization: `Bearer ${ADMIN_KEY}`,
                  'content-type': 'application/json',
                  'idempotency-key': key,
                },
                body,
              };
            },
            onResponse: (status, _body, context, headers) => {
              if (status !== 200) return;
              if (context.replay) {
                if (headers['idempotent-replayed'] === 'true') replaysAnswered += 1;
              } else answered.push({ key: String(context.key), body: String(context.body) });
            },
          },
        ],
      });

      const statuses = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}: ${count}`);
      console.log(
        `load drill: ${result.requests.total} requests in ${result.duration} s over 16 connections, ` +
          `${Math.round(result.requests.average)} req/s, latency p50 ${result.latency.p50} ms, ` +
          `p99 ${result.latency.p99} ms, max ${result.latency.max} ms; answers ${statuses.join(', ')}; ` +
          `${replaysAnswered} replays answered from the store; ${result.errors} errors`,
      );
      expect(result.requests.total).toBeGreaterThan(0);
      expect(Object.keys(result.statusCodeStats).filter((code) => Number(code) >= 500)).toEqual([]);
      expect(result.errors).toBe(0);
      expect(result.timeouts).toBe(0);

      // Each key committed at most once, every answered one exactly once, and nothing else.
      const committed = (await journalTransfers(server)).map((entry) => entry.idempotencyKey ?? '');
      expect(new Set(committed).size, 'a key committed twice').toBe(committed.length);
      for (const key of committed) expect(sent.has(key)).toBe(true);
      expect(committed.length).toBeGreaterThanOrEqual(answered.length);
      expect(committed.length).toBeLessThanOrEqual(sent.size);
      expect(checkInvariants(server.app.world.ledger)).toEqual([]);
    },
    (SECONDS + 30) * 1000,
  );
});
