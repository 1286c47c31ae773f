import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { Clock } from '../../mock/ledger/clock.js';
import { DurableApp } from '../../mock/store/durable.js';
import { DamagedLogError, decodeSegment, encodeRecord } from '../../mock/store/file-log.js';
import { FileStore } from '../../mock/store/file-store.js';
import { MAIN_WORLD, type NewOperationRecord } from '../../mock/store/types.js';
import { send, tempFolders } from './sandbox-support.js';

// The file store's own guarantees, read back: every record is checked against its checksum, a torn
// last record is cut off, each commit reaches the disk through fdatasync, and only operations that
// ran are records (a replay, a reused key or a validation error changed nothing).

const syncs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fdatasync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    syncs.count += 1;
    fs.fdatasync(fd, callback);
  };
  return { ...fs, default: { ...fs, fdatasync }, fdatasync };
});

const folder = tempFolders('ll-file-log-');

function record(body: string): NewOperationRecord {
  return {
    world: MAIN_WORLD,
    receivedAtMs: 1_000,
    timeMs: 2_000,
    method: 'POST',
    target: '/api/white-label/transfer',
    headers: { 'content-type': 'application/json' },
    body,
    random: [],
  };
}

const two = () => Buffer.from(encodeRecord(1, record('{"a":1}')) + encodeRecord(2, record('{"b":2}')));

describe('reading the file log', () => {
  it('reads back what it wrote', () => {
    const decoded = decodeSegment(two());
    expect(decoded.records.map((r) => [r.seq, r.body])).toEqual([
      [1, '{"a":1}'],
      [2, '{"b":2}'],
    ]);
    expect(decoded.torn).toBeUndefined();
  });

  it('refuses a record whose bytes changed under its checksum, even when it is still valid JSON', () => {
    const text = two().toString('utf8').replace('1000', '1001');
    expect(() => decodeSegment(Buffer.from(text))).toThrow(DamagedLogError);
    expect(() => decodeSegment(Buffer.from(text))).toThrow('record on line 1 fails its checksum');
  });

  it('cuts off a torn last record (a crash mid-append) and says where the next one belongs', () => {
    const bytes = two();
    const firstLine = bytes.indexOf(0x0a) + 1;
    const torn = decodeSegment(bytes.subarray(0, bytes.length - 5));
    expect(torn.records.map((r) => r.seq)).toEqual([1]);
    expect(torn.validBytes).toBe(firstLine);
    expect(torn.torn).toBe('record on line 2 has no line end');
    // A whole last line whose checksum fails is cut off too (the append wrote garbage and crashed).
    const damaged = Buffer.from(bytes.toString('utf8').replace('{\\"b\\":2}', '{\\"b\\":3}'));
    expect(decodeSegment(damaged).torn).toBe('record on line 2 fails its checksum');
  });
});

describe('what the file log refuses as a record', () => {
  /** A line whose checksum is right for `json`: only its content can be wrong. */
  const line = (json: string) => `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
  const good = encodeRecord(1, record('{"a":1}'));
  const valid = JSON.parse(good.slice(9)) as unknown[];

  it.each([
    ['a line without its checksum', 'not a record\n', 'is not `<checksum> <json>`'],
    [
      'a checksum without the space after it',
      `${good.slice(0, 8)}-${good.slice(9)}`,
      'is not `<checksum> <json>`',
    ],
    ['text that is not JSON', line('{"seq":'), 'is not JSON'],
    ['JSON that is not a record array', line('{"seq":1}'), 'is not an operation record'],
    ['a record array of 8 fields', line(JSON.stringify(valid.slice(0, 8))), 'is not an operation record'],
    ['a record numbered 0', line(JSON.stringify([0, ...valid.slice(1)])), 'is not an operation record'],
    ['a record numbered 1.5', line(JSON.stringify([1.5, ...valid.slice(1)])), 'is not an operation record'],
    ['a record numbered "1"', line(JSON.stringify(['1', ...valid.slice(1)])), 'is not an operation record'],
    [
      'a record whose headers are not text',
      line(JSON.stringify([1, ...valid.slice(1, 6), { a: 1 }, ...valid.slice(7)])),
      'is not an operation record',
    ],
  ])('%s, followed by a good one', (_, bad, problem) => {
    expect(() => decodeSegment(Buffer.from(bad + encodeRecord(2, record('{"b":2}'))))).toThrow(
      `record on line 1 ${problem}`,
    );
  });

  it('reads a fault firing (a tenth field) back with its faults', () => {
    const firing = { ...record('{}'), body: null, faults: ['flt_1'] };
    expect(decodeSegment(Buffer.from(encodeRecord(3, firing))).records).toEqual([{ ...firing, seq: 3 }]);
  });
});

describe('what a durable file store records', () => {
  const transfer = (amount: number) => ({ user_id: 123, transfer_type: 'minutes', operation: 'add', amount });
  const auth = { authorization: 'Bearer wl_admin_demo' };

  /** Lines of every log file in `dir`. */
  const logLines = (dir: string): number =>
    readdirSync(dir)
      .filter((name) => name.includes('.log'))
      .reduce(
        (sum, name) => sum + readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean).length,
        0,
      );

  it('syncs each commit to the disk before answering, and records only operations that ran', async () => {
    const dir = folder();
    const durable = await DurableApp.open(
      new FileStore(join(dir, 'state.json')),
      { clock: Clock.controlled('2025-06-01T12:00:00Z') },
      () => undefined,
    );
    try {
      const call = send(durable);
      const before = { lines: logLines(dir), syncs: syncs.count };
      const first = await call('POST', '/api/white-label/transfer', {
        headers: { ...auth, 'idempotency-key': 'k1' },
        json: transfer(5),
      });
      expect(first.status).toBe(200);
      expect(logLines(dir)).toBe(before.lines + 1);
      expect(syncs.count).toBeGreaterThan(before.syncs);
      const replay = await call('POST', '/api/white-label/transfer', {
        headers: { ...auth, 'idempotency-key': 'k1' },
        json: transfer(5),
      });
      expect(replay.headers['idempotent-replayed']).toBe('true');
      const reused = await call('POST', '/api/white-label/transfer', {
        headers: { ...auth, 'idempotency-key': 'k1' },
        json: transfer(6),
      });
      expect(reused.status).toBe(422);
      const invalid = await call('POST', '/api/white-label/transfer', {
        headers: { ...auth, 'idempotency-key': 'k2' },
        json: { user_id: 123 },
      });
      expect(invalid.status).toBe(422);
      expect(logLines(dir)).toBe(before.lines + 1);
    } finally {
      await durable.close();
    }
  });
});
