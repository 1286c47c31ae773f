import type { components } from '../../generated/openapi.js';

/** What the pipeline hands over for one answered (or dropped) request; cheap to build on the hot path. */
export interface RequestRecordInput {
  /** The answer's `x-request-id`; the journal numbers the record `req_<n>` itself when absent. */
  readonly requestId?: string;
  readonly timeMs: number;
  readonly method: string;
  readonly path: string;
  /** Where `path` is below: the origin when the adapter knew it, then a sandbox's base path (`''` or absent: none). */
  readonly base?: string;
  /** The query string without `?` (`''` or absent: none). */
  readonly query?: string;
  readonly operationId: string | null;
  readonly family: RequestFamily | null;
  /** The raw credential header; the journal keeps it masked only. */
  readonly credential: string | undefined;
  /** Every request header as received, flattened (`name, value, name, value`); credentials are masked when kept. */
  readonly headers?: readonly string[];
  readonly idempotencyKey: string | undefined;
  readonly requestText: string | null;
  /** The status answered, or committed and then dropped; `null` when nothing was answered. */
  readonly status: number | null;
  readonly responseBody: unknown;
  /** The answer's headers as the server set them. */
  readonly responseHeaders?: Readonly<Record<string, string>>;
  /** False when the connection was dropped, before or after the commit; default: `status !== null`. */
  readonly delivered?: boolean;
  readonly durationMs: number;
  readonly replayed: boolean;
  readonly fault: { readonly id: string; readonly kind: FaultKindName } | null;
}

type FaultKindName = components['schemas']['MockFaultKind'];
/** A family as the request journal names it. */
export type RequestFamily = components['schemas']['MockFamily'];
/** One recorded request, as `GET /_mock/requests` answers it (openapi.yaml `MockRequestRecord`). */
export type RequestRecord = components['schemas']['MockRequestRecord'];

/**
 * What the request journal keeps of one request: credentials masked, the answer's body as its JSON
 * text, and what all of it counts against the journal's memory bound.
 */
export interface Stored {
  readonly requestId: string;
  readonly timeMs: number;
  readonly method: string;
  readonly path: string;
  /** The origin (when the adapter knew it) and base path (a sandbox's) the request was sent to: `path` is below it. */
  readonly base: string;
  /** Without `?`; `''` when there was none. */
  readonly query: string;
  readonly operationId: string | null;
  readonly family: RequestRecordInput['family'];
  /** Masked. */
  readonly credential: string | null;
  /** `name:value` lines, names lower-cased, credentials masked: one string costs less than a pair each. */
  readonly headers: string;
  readonly idempotencyKey: string | null;
  readonly requestText: string | null;
  readonly status: number | null;
  /** `name:value` lines as the server set them. */
  readonly responseHeaders: string;
  /** The answer's body as JSON text; `null` when there was none. */
  readonly responseText: string | null;
  readonly delivered: boolean;
  readonly durationMs: number;
  readonly replayed: boolean;
  readonly fault: RequestRecordInput['fault'];
  /** What this record counts against the journal's bound ({@link storedSize}). */
  readonly bytes: number;
}

/** Headers whose values are secrets: kept masked ({@link maskCredential}), never whole. */
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'token',
  'cookie',
  'x-api-key',
  'x-mock-admin-token',
]);

/**
 * What a record costs beyond its strings: the record object and its fields, the fault, the two header
 * arrays, in V8 on 64 bits, rounded up (test/bench/journal-memory.ts measures the whole).
 */
export const RECORD_BYTES = 480;
/** What a string costs beyond its characters (its header), and its slot in an array. */
export const STRING_BYTES = 24;

/** A request's id as the `x-request-id` header and the journal show it: `req_000011`. */
export function formatRequestId(n: number): string {
  return `req_${String(n).padStart(6, '0')}`;
}

/** The record the journal keeps for `input`, as sequence number `seq`. */
export function toStored(input: RequestRecordInput, seq: number): Stored {
  const responseText = input.responseBody === undefined ? null : JSON.stringify(input.responseBody);
  const stored = {
    requestId: input.requestId ?? formatRequestId(seq),
    timeMs: input.timeMs,
    method: input.method,
    path: input.path,
    base: input.base ?? '',
    query: input.query ?? '',
    operationId: input.operationId,
    family: input.family,
    credential: maskCredential(input.credential),
    headers: headerLines(input.headers ?? []),
    idempotencyKey: input.idempotencyKey ?? null,
    requestText: input.requestText,
    status: input.status,
    responseHeaders: responseLines(input.responseHeaders),
    responseText: responseText ?? null,
    delivered: input.delivered ?? input.status !== null,
    durationMs: input.durationMs,
    replayed: input.replayed,
    fault: input.fault,
    bytes: 0,
  };
  stored.bytes = storedSize(stored);
  return stored;
}

/**
 * What `stored` counts, in bytes: {@link RECORD_BYTES}, then every string it holds at a byte per
 * character plus {@link STRING_BYTES}. Strings shared by every record (the operation id, the family,
 * header names the adapter interns) are counted anyway: the figure is an upper bound.
 */
export function storedSize(stored: Omit<Stored, 'bytes'>): number {
  let bytes = RECORD_BYTES;
  const add = (text: string | null) => {
    if (text !== null) bytes += text.length + STRING_BYTES;
  };
  add(stored.requestId);
  add(stored.method);
  add(stored.path);
  add(stored.base);
  add(stored.query);
  add(stored.operationId);
  add(stored.credential);
  add(stored.idempotencyKey);
  add(stored.requestText);
  add(stored.responseText);
  add(stored.headers);
  add(stored.responseHeaders);
  if (stored.fault !== null) add(stored.fault.id);
  return bytes;
}

/**
 * Raw `name, value` pairs as `name:value` lines (HTTP allows no line break in either). `join` makes
 * one flat string: it holds no reference to the request's own header strings.
 */
function headerLines(raw: readonly string[]): string {
  const lines: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    lines.push(`${name}:${SECRET_HEADERS.has(name) ? (maskCredential(value) ?? '') : value}`);
  }
  return lines.join('\n');
}

function responseLines(headers: Readonly<Record<string, string>> | undefined): string {
  const lines: string[] = [];
  if (headers !== undefined) for (const name in headers) lines.push(`${name}:${headers[name]}`);
  return lines.join('\n');
}

/** `name:value` lines as `[name, value]` pairs, in order. */
export function headerPairs(lines: string): [string, string][] {
  if (lines === '') return [];
  return lines.split('\n').map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1)];
  });
}

/** `name:value` lines as an object; a repeated name's values joined with `, `, as HTTP folds them. */
export function headerObject(lines: string): Record<string, string> {
  const object: Record<string, string> = {};
  for (const [name, value] of headerPairs(lines))
    object[name] = Object.hasOwn(object, name) ? `${object[name]}, ${value}` : value;
  return object;
}

/** The record as `GET /_mock/requests` lists it: bodies parsed, headers as objects. */
export function view(stored: Stored): RequestRecord {
  return {
    id: stored.requestId,
    time: new Date(stored.timeMs).toISOString(),
    method: stored.method,
    path: stored.path,
    query: stored.query,
    operationId: stored.operationId,
    family: stored.family,
    credential: stored.credential,
    idempotencyKey: stored.idempotencyKey,
    requestHeaders: headerObject(stored.headers),
    requestBody: parseText(stored.requestText),
    status: stored.status,
    responseHeaders: headerObject(stored.responseHeaders),
    responseBody: stored.responseText === null ? null : JSON.parse(stored.responseText),
    delivered: stored.delivered,
    durationMs: Math.round(stored.durationMs * 1000) / 1000,
    replayed: stored.replayed,
    fault: stored.fault,
  };
}

function parseText(text: string | null): unknown {
  if (text === null || text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * Enough of a credential to tell two callers apart in a log, not enough to reuse it: the scheme, then
 * the first 4 characters (2 of a short one) and `***`. The result is a new short string: it holds
 * no reference to the (possibly large) original.
 */
export function maskCredential(value: string | undefined): string | null {
  if (value === undefined || value === '') return null;
  const space = value.indexOf(' ');
  const scheme = space > 0 && space < 16 ? value.slice(0, space + 1) : '';
  const secret = value.slice(scheme.length);
  const shown = secret.length > 12 ? 4 : Math.min(2, Math.floor(secret.length / 3));
  return `${detached(scheme)}${secret.slice(0, shown)}***`;
}

/**
 * `text` as a string of its own: V8 makes a slice of 13 characters or more a view into the string it
 * was cut from, which would keep a whole 14 KB header alive behind a short scheme.
 */
function detached(text: string): string {
  return text.length < 13 ? text : Array.from(text).join('');
}
