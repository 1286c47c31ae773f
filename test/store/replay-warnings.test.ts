import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import type { MockRequest } from '../../mock/family-kit/types.js';
import { randomBytes } from '../../mock/ledger/entropy.js';
import { firingOf, recordOf, replayRecords, requestOf } from '../../mock/store/replay.js';
import { MAIN_WORLD, type OperationRecord } from '../../mock/store/types.js';

// What replaying a record tells the server's log: a record whose operation never started changed
// nothing, one that drew fewer random bytes than it recorded replays differently; and the recorded
// bytes are handed to the operation's draws only while it runs.

function record(seq: number, random: string[]): OperationRecord {
  return {
    seq,
    world: MAIN_WORLD,
    receivedAtMs: 1_000,
    timeMs: 2_000,
    method: 'POST',
    target: '/nowhere/at-all',
    headers: {},
    body: null,
    random,
  };
}

describe('replaying records', () => {
  it('warns of a record whose operation did not start when replayed', async () => {
    const warnings: string[] = [];
    const ended: number[] = [];
    await replayRecords(new MockApp(), [record(1, [])], {
      begin: () => {},
      end: (done) => ended.push(done.seq),
      warn: (line) => warnings.push(line),
    });
    expect(ended).toEqual([1]);
    expect(warnings).toEqual(['record 1 (POST /nowhere/at-all) changed nothing when replayed.']);
  });

  it('hands the recorded bytes to the draws while the operation runs, and warns when some are left', async () => {
    const warnings: string[] = [];
    const drawn: number[][] = [];
    const recorded = [
      Buffer.from([1, 2, 3]).toString('base64url'),
      Buffer.from([4, 5, 6]).toString('base64url'),
    ];
    await replayRecords(new MockApp(), [record(1, recorded)], {
      // As the recording gate does when the operation starts and ends.
      begin: (replay) => {
        replay.enter();
        drawn.push([...randomBytes(3)]);
        replay.leave(true);
        drawn.push([...randomBytes(3)]);
      },
      end: () => {},
      warn: (line) => warnings.push(line),
    });
    expect(drawn[0]).toEqual([1, 2, 3]);
    // After the operation, draws are random again: the second recorded draw is not handed out.
    expect(drawn[1]).not.toEqual([4, 5, 6]);
    expect(warnings).toEqual(['record 1 drew fewer random bytes when replayed than when it ran.']);
  });
});

describe('replaying a fault firing', () => {
  it('passes over the firing of a sandbox that is gone (it expired before the restart)', async () => {
    const ended: number[] = [];
    const warnings: string[] = [];
    const firing = { ...record(1, []), world: 'sb_gone', faults: ['f1'] };
    await replayRecords(new MockApp(), [firing], {
      begin: () => {},
      end: (done) => ended.push(done.seq),
      warn: (line) => warnings.push(line),
    });
    expect(ended).toEqual([1]);
    expect(warnings).toEqual([]);
  });
});

describe('the record of a request', () => {
  const request = (query: string): MockRequest => ({
    method: 'POST',
    path: '/api/v1/billing/charges',
    query: new URLSearchParams(query),
    header: (name) => ({ authorization: 'Bearer k', 'x-other': 'not kept' })[name],
    bodyText: '{}',
  });

  it('keeps the query string and the headers it has, and replays as the same request', () => {
    const made = recordOf(MAIN_WORLD, request('dryRun=true&n=2'), 1, 2, []);
    expect(made.target).toBe('/api/v1/billing/charges?dryRun=true&n=2');
    expect(Object.keys(made.headers)).toEqual(['authorization']);
    const replayed = requestOf({ ...made, seq: 1 });
    expect([replayed.method, replayed.path, replayed.query.toString()]).toEqual([
      'POST',
      '/api/v1/billing/charges',
      'dryRun=true&n=2',
    ]);
    expect(replayed.header('authorization')).toBe('Bearer k');
    expect(replayed.fromLog).toBe(true);
    // A firing keeps only which faults fired: no headers, body or draws.
    expect(firingOf(MAIN_WORLD, request('n=2'), 1, ['f1'])).toEqual({
      world: MAIN_WORLD,
      receivedAtMs: 1,
      timeMs: 1,
      method: 'POST',
      target: '/api/v1/billing/charges?n=2',
      headers: {},
      body: null,
      random: [],
      faults: ['f1'],
    });
  });

  it('without a query string is the bare path', () => {
    const made = recordOf(MAIN_WORLD, request(''), 1, 2, []);
    expect(made.target).toBe('/api/v1/billing/charges');
    expect(firingOf(MAIN_WORLD, request(''), 1, ['f1']).target).toBe('/api/v1/billing/charges');
    const replayed = requestOf({ ...made, seq: 1 });
    expect([replayed.path, replayed.query.toString()]).toEqual(['/api/v1/billing/charges', '']);
  });
});
