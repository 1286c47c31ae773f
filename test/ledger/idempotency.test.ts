import { describe, expect, it } from 'vitest';
import { Clock, DAY_MS, IdempotencyStore, requestFingerprint } from '../../mock/ledger/index.js';

const PRINT = requestFingerprint('POST', '/credits/send', { credits: 2, email: 'bob@example.com' });
const OTHER = requestFingerprint('POST', '/credits/send', { credits: 3, email: 'bob@example.com' });

function store(maxRecords?: number): { clock: Clock; store: IdempotencyStore } {
  const clock = Clock.controlled('2024-03-01T00:00:00Z');
  return { clock, store: new IdempotencyStore(clock, maxRecords === undefined ? {} : { maxRecords }) };
}

describe('idempotency keys', () => {
  it('replays the stored answer for the same key and request', () => {
    const { store: s } = store();
    expect(s.begin('cred', 'k', PRINT)).toEqual({ kind: 'started' });
    s.complete('cred', 'k', { status: 201, body: { ok: true } });
    expect(s.begin('cred', 'k', PRINT)).toEqual({
      kind: 'replay',
      response: { status: 201, body: { ok: true } },
    });
  });

  it('answers mismatch for another request and in_flight while the first runs', () => {
    const { store: s } = store();
    s.begin('cred', 'k', PRINT);
    expect(s.begin('cred', 'k', PRINT).kind).toBe('in_flight');
    expect(s.begin('cred', 'k', OTHER).kind).toBe('mismatch');
    s.complete('cred', 'k', { status: 200, body: null });
    expect(s.begin('cred', 'k', OTHER).kind).toBe('mismatch');
  });

  it('scopes keys to the credential', () => {
    const { store: s } = store();
    s.begin('key-a', 'k', PRINT);
    expect(s.begin('key-b', 'k', OTHER).kind).toBe('started');
  });

  it('fingerprints ignore key order but not method, path or values', () => {
    expect(requestFingerprint('post', '/credits/send', { email: 'bob@example.com', credits: 2 })).toBe(PRINT);
    expect(requestFingerprint('POST', '/credits/other', { credits: 2, email: 'bob@example.com' })).not.toBe(
      PRINT,
    );
    expect(requestFingerprint('PUT', '/credits/send', { credits: 2, email: 'bob@example.com' })).not.toBe(
      PRINT,
    );
  });

  it('forgets keys after 24 hours of clock time', () => {
    const { clock, store: s } = store();
    s.begin('cred', 'k', PRINT);
    s.complete('cred', 'k', { status: 201, body: 1 });
    clock.advance(DAY_MS - 1);
    expect(s.begin('cred', 'k', OTHER).kind).toBe('mismatch');
    clock.advance(1);
    expect(s.begin('cred', 'k', OTHER).kind).toBe('started');
  });

  // The quota replaced "evict the oldest when full": an evicted key lets its retry run twice.
  it('refuses new keys beyond the quota without evicting any; expired keys make room', () => {
    const { clock, store: s } = store(3);
    for (const key of ['a', 'b', 'c']) {
      s.begin('cred', key, PRINT);
      s.complete('cred', key, { status: 201, body: key });
      clock.advance(1000);
    }
    expect(s.begin('cred', 'd', PRINT)).toEqual({ kind: 'over_quota', limit: 3, scope: 'server' });
    expect(s.size).toBe(3);
    expect(s.begin('cred', 'a', OTHER).kind).toBe('mismatch'); // still kept
    expect(s.begin('cred', 'a', PRINT).kind).toBe('replay');
    clock.advance(DAY_MS);
    expect(s.begin('cred', 'e', PRINT).kind).toBe('started');
    expect(s.size).toBe(1);
  });

  it('gives each credential its own quota: a flood from one never evicts or blocks another', () => {
    const clock = Clock.controlled('2025-06-01T00:00:00Z');
    const s = new IdempotencyStore(clock, { maxRecordsPerScope: 100 });
    s.begin('victim', 'keep-me', PRINT);
    s.complete('victim', 'keep-me', { status: 200, body: 'paid' });
    for (let i = 0; i < 100; i += 1) s.begin('flooder', `k${i}`, PRINT);
    expect(s.begin('flooder', 'one-more', PRINT)).toEqual({
      kind: 'over_quota',
      limit: 100,
      scope: 'credential',
    });
    expect(s.begin('victim', 'keep-me', PRINT).kind).toBe('replay');
    expect(s.begin('victim', 'new', PRINT).kind).toBe('started');
    clock.advance(DAY_MS);
    expect(s.begin('flooder', 'one-more', PRINT).kind).toBe('started');
  });

  it('release forgets a started request; execute completes or releases around a handler', () => {
    const { store: s } = store();
    s.begin('cred', 'k', PRINT);
    s.release('cred', 'k');
    expect(s.begin('cred', 'k', OTHER).kind).toBe('started');

    expect(() =>
      s.execute('cred', 'boom', PRINT, () => {
        throw new Error('handler failed');
      }),
    ).toThrow('handler failed');
    expect(s.begin('cred', 'boom', OTHER).kind).toBe('started');

    let runs = 0;
    const run = (): { status: number; body: number } => ({ status: 201, body: ++runs });
    expect(s.execute('cred', 'once', PRINT, run)).toEqual({
      kind: 'done',
      response: { status: 201, body: 1 },
    });
    expect(s.execute('cred', 'once', PRINT, run)).toEqual({
      kind: 'replay',
      response: { status: 201, body: 1 },
    });
    expect(runs).toBe(1);
  });

  it('stores a frozen copy of the response', () => {
    const { store: s } = store();
    const body = { list: [1] };
    s.begin('cred', 'k', PRINT);
    s.complete('cred', 'k', { status: 201, body, headers: { 'x-a': '1' } });
    body.list.push(2);
    const replay = s.begin('cred', 'k', PRINT);
    expect(replay).toEqual({
      kind: 'replay',
      response: { status: 201, body: { list: [1] }, headers: { 'x-a': '1' } },
    });
    if (replay.kind === 'replay') expect(Object.isFrozen(replay.response.body)).toBe(true);
  });

  it("takes a busy credential's keys by default: the 10,001st and the 100,000th key of one credential start", () => {
    const clock = Clock.controlled('2025-06-01T00:00:00Z');
    const s = new IdempotencyStore(clock);
    for (let i = 0; i < 100_000; i += 1) expect(s.begin('busy', `k${i}`, PRINT).kind).toBe('started');
    expect(s.maxRecordsPerScope).toBeGreaterThanOrEqual(100_000);
    expect(s.maxRecordsPerScope).toBeLessThanOrEqual(s.maxRecords);
  });
});
