import { fstat, read } from 'node:fs';
import { promisify } from 'node:util';
import { crc32 } from 'node:zlib';
import { readRecordBody } from './store-schema.js';
import type { NewOperationRecord, OperationRecord } from './types.js';

const statFd = promisify(fstat);
const readAt = promisify(read);

/**
 * The file store's record format: one line per record, `<crc32 hex> <json>\n`, where the JSON is
 * `[seq, world, receivedAtMs, timeMs, method, target, headers, body, random]` (and `faults` last,
 * for a fault firing only, so older logs read the same) and the checksum covers its UTF-8 bytes. JSON escapes every newline inside strings, so a line is a record.
 */
export function encodeRecord(seq: number, record: NewOperationRecord): string {
  const json = JSON.stringify([
    seq,
    record.world,
    record.receivedAtMs,
    record.timeMs,
    record.method,
    record.target,
    record.headers,
    record.body,
    record.random,
    ...(record.faults === undefined ? [] : [record.faults]),
  ]);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
}

/** What one log file holds. */
export interface SegmentContents {
  readonly records: OperationRecord[];
  /** Bytes of whole, valid records from the start: where the next record belongs. */
  readonly validBytes: number;
  /** A damaged or unfinished last record, cut off (`undefined` when the file ends cleanly). */
  readonly torn: string | undefined;
}

/** A damaged record that is not the last one: the file cannot be trusted past it. */
export class DamagedLogError extends Error {
  override readonly name = 'DamagedLogError';
}

/**
 * Parses a log file's bytes. The last line may be torn (a crash mid-append): it is reported, not
 * returned. Any other bad line throws {@link DamagedLogError} naming its line.
 */
export function decodeSegment(bytes: Buffer): SegmentContents {
  const records: OperationRecord[] = [];
  let offset = 0;
  let line = 0;
  while (offset < bytes.length) {
    line += 1;
    const end = bytes.indexOf(0x0a, offset);
    const last = end === -1 || end === bytes.length - 1;
    const problem = end === -1 ? 'has no line end' : checkLine(bytes.subarray(offset, end), records);
    if (problem !== undefined) {
      if (last) return { records, validBytes: offset, torn: `record on line ${line} ${problem}` };
      throw new DamagedLogError(`record on line ${line} ${problem}`);
    }
    offset = end + 1;
  }
  return { records, validBytes: offset, torn: undefined };
}

/** Checks one line and appends its record; returns what is wrong with it, if anything. */
function checkLine(line: Buffer, records: OperationRecord[]): string | undefined {
  if (line.length < 10 || line[8] !== 0x20) return 'is not `<checksum> <json>`';
  const json = line.subarray(9);
  if (line.subarray(0, 8).toString('latin1') !== crc32(json).toString(16).padStart(8, '0'))
    return 'fails its checksum';
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    return 'is not JSON';
  }
  const record = toRecord(value);
  if (record === undefined) return 'is not an operation record';
  records.push(record);
  return undefined;
}

/** A log line's array (`[seq, world, receivedAtMs, timeMs, method, target, headers, body, random, faults?]`). */
function toRecord(value: unknown): OperationRecord | undefined {
  if (!Array.isArray(value) || (value.length !== 9 && value.length !== 10)) return undefined;
  const [seq, world, receivedAtMs, timeMs, method, target, headers, body, random, faults] = value;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  const record = readRecordBody({
    world,
    receivedAtMs,
    timeMs,
    method,
    target,
    headers,
    body,
    random,
    faults,
  });
  return record === undefined ? undefined : { ...record, seq };
}

/** The first `length` bytes (all when absent) of an open file, read at explicit positions. */
export async function readFd(fd: number, length?: number): Promise<Buffer> {
  const size = Math.min(length ?? Number.POSITIVE_INFINITY, (await statFd(fd)).size);
  const buffer = Buffer.allocUnsafe(size);
  let done = 0;
  while (done < size) {
    const { bytesRead } = await readAt(fd, buffer, done, size - done, done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buffer.subarray(0, done);
}
