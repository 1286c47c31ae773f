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

  it('execute awaits an asynchronous handler: its answer is kept for replay, its rejection releases the key', async () => {
    const { store: s } = store();
    const answer = { status: 201, body: 'sent' };
    const run = s.execute(
      'cred',
      'async',
      PRINT,
      () => Promise.resolve(answer),
      (r) => r,
    );
    expect(run).toBeInstanceOf(Promise);
    expect(s.begin('cred', 'async', PRINT).kind).toBe('in_flight');
    expect(await run).toEqual({ kind: 'done', response: answer });
    expect(s.begin('cred', 'async', PRINT)).toEqual({ kind: 'replay', response: answer });

    // A retry of a request whose handler rejected must run again, not be answered 409 forever.
    const failing = s.execute(
      'cred',
      'rejected',
      PRINT,
      () => Promise.reject(new Error('upstream')),
      (r) => r,
    );
    await expect(failing).rejects.toThrow('upstream');
    expect(s.begin('cred', 'rejected', OTHER).kind).toBe('started');
  });

  it("execute keeps only the answers the family's rule keeps: another answer's key runs afresh on retry", () => {
    const { store: s } = store();
    const keep = (r: { status: number; body: string }) => (r.status < 500 ? r : undefined);
    expect(s.execute('cred', 'k', PRINT, () => ({ status: 503, body: 'later' }), keep)).toEqual({
      kind: 'done',
      response: { status: 503, body: 'later' },
    });
    expect(s.size).toBe(0);
    expect(s.execute('cred', 'k', PRINT, () => ({ status: 200, body: 'ok' }), keep)).toEqual({
      kind: 'done',
      response: { status: 200, body: 'ok' },
    });
    expect(s.begin('cred', 'k', PRINT)).toEqual({ kind: 'replay', response: { status: 200, body: 'ok' } });
    // A refusal answers without running the handler.
    expect(s.execute('cred', 'k', OTHER, () => ({ status: 200, body: 'twice' }), keep)).toEqual({
      kind: 'mismatch',
    });
  });

  it('tells onRun when a keyed request runs, and again once it answered (not for a replay)', () => {
    const { store: s } = store();
    const seen: string[] = [];
    s.onRun = (scope, key) => {
      seen.push(`run ${scope} ${key}`);
      return () => seen.push(`answered ${scope} ${key}`);
    };
    s.execute('cred', 'k', PRINT, () => {
      seen.push('handler');
      return { status: 201, body: null };
    });
    s.execute('cred', 'k', PRINT, () => ({ status: 201, body: null }));
    expect(seen).toEqual(['run cred k', 'handler', 'answered cred k']);
  });

  it('release leaves an answered key alone: only a request still running is forgotten', () => {
    const { store: s } = store();
    s.begin('cred', 'k', PRINT);
    s.complete('cred', 'k', { status: 201, body: 1 });
    s.release('cred', 'k');
    expect(s.begin('cred', 'k', PRINT).kind).toBe('replay');
    s.release('other', 'k');
    expect(s.size).toBe(1);
  });

  it("a full store takes a new key once another credential's keys expired, and never before", () => {
    const { clock, store: s } = store(2);
    s.begin('a', 'k1', PRINT);
    clock.advance(1000);
    s.begin('b', 'k2', PRINT);
    expect(s.begin('c', 'k3', PRINT)).toEqual({ kind: 'over_quota', limit: 2, scope: 'server' });
    // a's key is a day old, b's not yet: one place is free.
    clock.advance(DAY_MS - 1000);
    expect(s.begin('c', 'k3', PRINT).kind).toBe('started');
    expect(s.begin('c', 'k4', PRINT)).toEqual({ kind: 'over_quota', limit: 2, scope: 'server' });
    expect(s.begin('b', 'k2', PRINT).kind).toBe('in_flight');
    expect(s.size).toBe(2);
  });

  it('snapshots keep answered, unexpired keys with their pool; a restore replaces every key', () => {
    const clock = Clock.controlled('2024-03-01T00:00:00Z');
    const s = new IdempotencyStore(clock, { maxAnonymousRecords: 1 });
    s.begin('cred', 'old', PRINT);
    s.complete('cred', 'old', { status: 201, body: 'old' });
    clock.advance(DAY_MS - 1);
    s.begin('cred', 'answered', PRINT);
    s.complete('cred', 'answered', { status: 201, body: 'kept', headers: { 'x-a': '1' } });
    s.begin('cred', 'running', PRINT);
    s.begin('', 'login', PRINT, true);
    s.complete('', 'login', { status: 200, body: 'token' });
    clock.advance(1);
    const records = s.exportRecords();
    expect(records).toEqual([
      {
        scope: 'cred',
        key: 'answered',
        fingerprint: PRINT,
        createdAtMs: clock.now() - 1,
        response: { status: 201, body: 'kept', headers: { 'x-a': '1' } },
      },
      {
        scope: '',
        key: 'login',
        fingerprint: PRINT,
        createdAtMs: clock.now() - 1,
        response: { status: 200, body: 'token' },
        anonymous: true,
      },
    ]);

    const copy = new IdempotencyStore(clock, { maxAnonymousRecords: 1 });
    copy.begin('cred', 'gone', PRINT);
    copy.importRecords(records);
    expect([copy.size, copy.anonymousSize]).toEqual([2, 1]);
    expect(copy.begin('cred', 'gone', OTHER).kind).toBe('started');
    expect(copy.begin('cred', 'answered', PRINT)).toEqual({
      kind: 'replay',
      response: { status: 201, body: 'kept', headers: { 'x-a': '1' } },
    });
    // The restored login key fills the anonymous pool again.
    expect(copy.begin('', 'another', PRINT, true)).toEqual({
      kind: 'over_quota',
      limit: 1,
      scope: 'anonymous',
    });
    expect(copy.begin('cred', 'running', PRINT).kind).toBe('started');
  });

  it('keeps at least one key whatever the bounds say, and at most the bounds it was given', () => {
    const { store: s } = store(0);
    expect(s.maxRecords).toBe(1);
    expect(s.begin('cred', 'a', PRINT).kind).toBe('started');
    expect(s.begin('cred', 'b', PRINT).kind).toBe('over_quota');
    const bounded = new IdempotencyStore(Clock.controlled('2024-03-01T00:00:00Z'), {
      maxRecordsPerScope: 0,
      maxAnonymousRecords: 0,
      ttlMs: 1000,
    });
    expect([bounded.maxRecordsPerScope, bounded.maxAnonymousRecords, bounded.ttlMs]).toEqual([1, 1, 1000]);
  });

  // State files keep each key's fingerprint: a new version that hashed otherwise would answer 422 to
  // the retries of keys answered before an upgrade.
  it('fingerprints are the same from one version to the next', () => {
    expect(PRINT).toBe('e834d3bb41cd4fae:58');
    expect(requestFingerprint('DELETE', '/api/v1/keys/7', undefined)).toBe('5f5cc76d867dd2e0:22');
    expect(requestFingerprint('post', '/x/24', { n: 24 })).toBe('0c9cf8950de677d0:19');
  });

  it("purging a credential's expired key keeps its other keys", () => {
    const { clock, store: s } = store();
    s.begin('cred', 'old', PRINT);
    s.complete('cred', 'old', { status: 201, body: 'old' });
    clock.advance(DAY_MS / 2);
    s.begin('cred', 'young', PRINT);
    s.complete('cred', 'young', { status: 201, body: 'young' });
    clock.advance(DAY_MS / 2);
    // 'old' expired: the next new key of the credential purges it, and only it.
    expect(s.begin('cred', 'new', PRINT).kind).toBe('started');
    expect(s.begin('cred', 'young', PRINT)).toEqual({
      kind: 'replay',
      response: { status: 201, body: 'young' },
    });
    expect(s.size).toBe(2);
  });

  it('completing or releasing a key no request holds changes nothing', () => {
    const { store: s } = store();
    s.complete('nobody', 'k', { status: 201, body: 1 });
    s.release('nobody', 'k');
    s.begin('cred', 'k', PRINT);
    s.complete('cred', 'other', { status: 201, body: 1 });
    s.release('cred', 'other');
    expect(s.size).toBe(1);
    expect(s.begin('cred', 'k', PRINT).kind).toBe('in_flight');
    // A key of a credential is counted in the credentials' pool unless the caller says otherwise.
    s.execute(
      'cred',
      'counted',
      PRINT,
      () => ({ status: 201, body: 2 }),
      (r) => r,
    );
    expect([s.size, s.anonymousSize]).toEqual([2, 0]);
  });
});
