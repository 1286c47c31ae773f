import type { components } from '../../generated/openapi.js';
import pkg from '../../package.json' with { type: 'json' };
import type { RequestJournal, RequestQuery } from './request-journal.js';
import { headerPairs, type Stored } from './request-record.js';

/** `GET /_mock/requests/har`'s answer: an HTTP Archive 1.2 document (openapi.yaml `MockHar`). */
export type RequestHar = components['schemas']['MockHar'];
type HarEntry = components['schemas']['MockHarEntry'];
type NameValue = components['schemas']['MockHarNameValue'];
type HarContent = components['schemas']['MockHarContent'];

/** Requests in an archive by default: a whole default page of the largest size. */
export const DEFAULT_HAR_LIMIT = 1000;

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const utf8 = new TextEncoder();

/**
 * The journal's records matching `query` (1000 by default) as a HAR 1.2 document, oldest first:
 * what a browser's DevTools network panel and HAR viewers open. @throws RangeError as `journal.query`
 */
export function requestHar(journal: RequestJournal, query: RequestQuery = {}): RequestHar {
  const entries: HarEntry[] = [];
  const { nextCursor } = journal.scan({ limit: DEFAULT_HAR_LIMIT, ...query }, (stored) => {
    entries.push(harEntry(stored));
  });
  return {
    log: {
      version: '1.2',
      creator: { name: 'ledgerline-mock', version: pkg.version },
      entries: entries.reverse(),
      _ledgerline: { evicted: journal.evicted, nextCursor },
    },
  };
}

function harEntry(stored: Stored): HarEntry {
  const requestHeaders = pairs(stored.headers);
  const time = Math.round(stored.durationMs * 1000) / 1000;
  const answered = answer(stored);
  const dropped =
    stored.fault === null
      ? 'the connection was dropped'
      : `fault ${stored.fault.id} (${stored.fault.kind}) dropped the connection`;
  const response: HarEntry['response'] = stored.delivered
    ? {
        ...answered,
        statusText: REASONS[answered.status] ?? '',
        ...fixed,
        redirectURL: '',
        bodySize: answered.content.size,
      }
    : {
        status: 0,
        statusText: '',
        ...fixed,
        headers: [],
        content: { size: 0, mimeType: 'x-unknown' },
        redirectURL: '',
        bodySize: -1,
        _error:
          stored.status === null
            ? `${dropped} before the operation ran`
            : `${dropped} after the operation committed`,
      };
  return {
    startedDateTime: new Date(stored.timeMs).toISOString(),
    time,
    request: {
      method: stored.method,
      url: `${origin(stored, requestHeaders)}${stored.path}${stored.query === '' ? '' : `?${stored.query}`}`,
      ...fixed,
      headers: requestHeaders,
      queryString: [...new URLSearchParams(stored.query)].map(([name, value]) => ({ name, value })),
      ...(stored.requestText === null
        ? {}
        : {
            postData: {
              mimeType: header(requestHeaders, 'content-type') ?? 'application/octet-stream',
              text: stored.requestText,
            },
          }),
      bodySize: stored.requestText === null ? 0 : utf8.encode(stored.requestText).length,
    },
    response,
    cache: {},
    // The server knows the time from arrival to answer only: all of it is `wait`.
    timings: { blocked: -1, dns: -1, connect: -1, send: 0, wait: time, receive: 0, ssl: -1 },
    _ledgerline: {
      id: stored.requestId,
      operationId: stored.operationId,
      family: stored.family,
      replayed: stored.replayed,
      fault: stored.fault,
      delivered: stored.delivered,
      committed: !stored.delivered && stored.status !== null ? answered : null,
    },
  };
}

/** The parts of a HAR message the journal does not know: HTTP/1.1, no cookies parsed, header sizes unknown. */
const fixed: { httpVersion: string; cookies: unknown[]; headersSize: number } = {
  httpVersion: 'HTTP/1.1',
  cookies: [],
  headersSize: -1,
};

/** The answer as the server sent (or committed) it: its headers with the content type the adapters add. */
function answer(stored: Stored): { status: number; headers: NameValue[]; content: HarContent } {
  const headers = pairs(stored.responseHeaders);
  const text = stored.responseText;
  let mimeType = header(headers, 'content-type');
  if (text !== null && mimeType === undefined) {
    mimeType = 'application/json';
    headers.push({ name: 'content-type', value: mimeType });
  }
  const content: HarContent =
    text === null
      ? { size: 0, mimeType: mimeType ?? 'x-unknown' }
      : { size: utf8.encode(text).length, mimeType: mimeType ?? 'application/json', text };
  return { status: stored.status ?? 0, headers, content };
}

function pairs(lines: string): NameValue[] {
  return headerPairs(lines).map(([name, value]) => ({ name, value }));
}

function header(headers: readonly NameValue[], name: string): string | undefined {
  return headers.find((pair) => pair.name === name)?.value;
}

/** The URL prefix the request was sent to: the adapter's origin, else its Host header's; then a sandbox's base path. */
function origin(stored: Stored, headers: readonly NameValue[]): string {
  if (stored.base.startsWith('http')) return stored.base;
  return `http://${header(headers, 'host') ?? 'localhost:4010'}${stored.base}`;
}
