import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Clock } from '../../mock/ledger/clock.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { send, tempFolders } from './sandbox-support.js';

// Rate-limit counters are per process and not state (docs/decisions.md, 2026-11-30): a restart
// replays the log's records without counting them, or a replay of more records than the limit
// would refuse some (429) and lose writes that were answered 201.

const folder = tempFolders('ll-rate-limit-');
const SESSION = 'flowyte_session_rl';
const seed = {
  billing: {
    organizations: [
      {
        id: 'org_rl',
        credits: 0,
        planId: null,
        apiKeys: [],
        sessions: [SESSION],
        settlement: 'immediate',
        rateLimit: { requestsPerMinute: 2 },
      },
    ],
  },
};
const auth = { authorization: `Bearer ${SESSION}` };

describe('a rate-limited organization under a durable store', () => {
  it('replays every admitted write after a restart, uncounted, and records no refused one', async () => {
    const dir = folder();
    const lines: string[] = [];
    const open = (at: string) =>
      DurableApp.open(
        new FileStore(join(at, 'state.json')),
        { seed, clock: Clock.controlled('2025-06-01T12:00:10Z') },
        (line) => lines.push(line),
      );
    const durable = await open(dir);
    const call = send(durable);
    const credit = (reason: string) =>
      call('POST', '/api/v1/billing/wallet/credit', { headers: auth, json: { amountUsd: 1, reason } });
    expect((await credit('one')).status).toBe(201);
    expect((await credit('two')).status).toBe(201);
    expect((await credit('three')).status).toBe(429);
    const copy = folder();
    cpSync(dir, copy, { recursive: true });
    const replayed = await open(copy);
    try {
      expect(lines).toEqual([]);
      const wallet = await send(replayed)('GET', '/api/v1/billing/wallet', { headers: auth });
      expect(wallet.status).toBe(200);
      expect(wallet.body.data.balanceUsd).toBe(2);
      // The new process counts afresh: the replayed records spent nothing of its window.
      expect(wallet.headers['ratelimit-remaining']).toBe('1');
    } finally {
      await replayed.close();
      await durable.close();
    }
  });
});
