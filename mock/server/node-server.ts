import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { MockApp, type MockAppOptions } from '../app.js';
import type { MockRequest, Outcome } from '../family-kit/types.js';
import { RequestContext } from '../steps/request-context.js';
import { DurableApp } from '../store/durable.js';
import { FileStore } from '../store/file-store.js';
import type { OperationStore } from '../store/types.js';
import { INSPECTOR_HTML } from '../ui/page.js';
import { readBody } from './read-body.js';
import { arrive, backlogOf, endTurn, sending, takeTurn } from './socket-turns.js';
import { WriteQueue } from './write-queue.js';

/** Options of {@link createMockServer}. */
export interface MockServerOptions extends Omit<MockAppOptions, 'onChange' | 'snapshot'> {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  readonly port?: number;
  /** Default 127.0.0.1 (loopback only: the reference server has test credentials). */
  readonly host?: string;
  /**
   * Keep the state durable in this file (a snapshot) and `<file>.log` (every answered change since):
   * an answer to a change leaves only once its log record is on disk. The folder must exist.
   */
  readonly stateFile?: string;
  /**
   * Keep the state in this store instead (not with `stateFile`): a `PostgresStore` lets several
   * server processes serve one ledger (docs/reference-server.md, "Running replicas"). The server
   * opens it, and closes it on `close()`.
   */
  readonly store?: OperationStore;
  /** How long `close()` lets in-flight requests finish before it closes their connections (default 10 s). */
  readonly shutdownTimeoutMs?: number;
  /**
   * Answer CORS preflights and add CORS headers to every answer, so a front end on another origin can
   * call the server (default `true`, as Prism does; the CLI's `--no-cors` turns it off).
   */
  readonly cors?: boolean;
  /** Where store warnings and failures are reported (default: standard error). */
  readonly onStoreLog?: (line: string) => void;
  /** Called once per answered request (the CLI logs it). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

/** One answered (or dropped) request, handed to {@link MockServerOptions.onRequest}. */
export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number | 'dropped';
  readonly durationMs: number;
  readonly replayed: boolean;
  /** The answer's `x-request-id` (absent when dropped). */
  readonly requestId?: string;
  /** The answer's body as sent (absent when dropped or empty): the CLI's `--log debug` shows errors. */
  readonly responseText?: string;
}

/** A running reference server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  readonly app: MockApp;
  readonly server: Server;
  /**
   * What the open connections hold: requests read and not answered, and bytes of answers not yet
   * handed to the operating system (each connection is bounded: docs/reference-server.md, "Limits of the server").
   */
  backlog(): { readonly connections: number; readonly requests: number; readonly bytes: number };
  /**
   * Stops accepting connections, lets in-flight requests finish (at most `shutdownTimeoutMs`, then
   * their connections are closed), then writes a last snapshot of the state file.
   */
  close(): Promise<void>;
}

// A plain path (no query, dot segment, escape or leading `//`) is already what `new URL` makes of it.
const PLAIN_PATH = /^\/(?!\/)[\w\-/]*$/;

/** Path and query of a request target; skips the URL parser on the plain paths of most requests. */
function parseTarget(target: string): { path: string; query: URLSearchParams } {
  if (PLAIN_PATH.test(target)) return { path: target, query: new URLSearchParams() };
  try {
    const url = new URL(target, 'http://localhost');
    return { path: url.pathname, query: url.searchParams };
  } catch {
    // An unparsable target (`http://[bad/`) names no route: the app answers it as an unknown path.
    return { path: target, query: new URLSearchParams() };
  }
}

function toMockRequest(
  request: IncomingMessage,
  path: string,
  query: URLSearchParams,
  text: string | null,
  tooLarge: boolean,
): MockRequest {
  return {
    method: request.method ?? 'GET',
    path,
    query,
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    rawHeaders: request.rawHeaders,
    bodyText: text,
    bodyTooLarge: tooLarge,
  };
}

/**
 * Serves the reference server over plain `node:http`: no web framework, no `Request`/`Response`
 * objects on the hot path (docs/decisions.md, "The project contract"). The `ledgerline-mock` CLI is a thin wrapper.
 *
 * @param options `port` (default 4010, 0 for a free one), `host` (default 127.0.0.1), `seed`,
 *   `stateFile` or `store`, `adminToken`, `latencyMs`, `clock`, `onRequest`.
 * @returns Once listening: the base `url`, the in-process `app`, the node `server` and `close()`.
 * @throws SeedIssues when `seed` is invalid; the listen error (`EADDRINUSE`) when the port is taken.
 * @example
 * ```ts
 * const server = await createMockServer({ port: 0 });
 * const client = createClient({ baseUrl: server.url, credentials: { reseller: { apiKey: 'rs_demo' } } });
 * await server.close();
 * ```
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const storeLog = options.onStoreLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  if (options.store !== undefined && options.stateFile !== undefined)
    throw new Error('Pass either stateFile or store, not both: the state lives in one place.');
  const store = options.store ?? (options.stateFile ? new FileStore(options.stateFile) : undefined);
  const durable = store ? await DurableApp.open(store, options, storeLog) : undefined;
  const live = durable?.app ?? new MockApp(options);
  const answer = durable
    ? (context: RequestContext) => durable.answer(context)
    : (context: RequestContext) => live.handle(context);
  const writes = new WriteQueue();

  const server = createServer((request, response) => {
    serve(answer, writes, request, response, options.onRequest, options.cors ?? true);
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Keep-alive sockets would hold close() open; they are ended as soon as their request is answered.
  server.keepAliveTimeout = 5_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 4010, options.host ?? '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await durable?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    app: live,
    server,
    backlog: () => {
      let requests = 0;
      let bytes = 0;
      for (const socket of sockets) {
        const held = backlogOf(socket);
        requests += held.requests;
        bytes += held.bytes;
      }
      return { connections: sockets.size, requests, bytes };
    },
    // Idempotent: a second close() waits for the first instead of writing the state again.
    close: () => {
      closing ??= (async () => {
        const graceMs = options.shutdownTimeoutMs ?? 10_000;
        await new Promise<void>((resolve) => {
          // Slow clients get the grace period, then their connections are closed; the state is saved either way.
          const timer = setTimeout(() => server.closeAllConnections(), graceMs);
          timer.unref();
          server.close(() => {
            clearTimeout(timer);
            resolve();
          });
          server.closeIdleConnections();
        });
        await durable?.close();
      })();
      return closing;
    },
  };
}

/**
 * Answers one request. Synchronous from the body's end to the queued write when the app answers at
 * once (most requests): no promise or microtask between them (bench: server).
 */
function serve(
  answer: (context: RequestContext) => Outcome | Promise<Outcome>,
  writes: WriteQueue,
  request: IncomingMessage,
  response: ServerResponse,
  onRequest: MockServerOptions['onRequest'],
  cors: boolean,
): void {
  const started = onRequest === undefined ? 0 : performance.now();
  const { path, query } = parseTarget(request.url ?? '/');
  const { socket } = request;
  arrive(socket);
  const finish = (outcome: Outcome) => {
    try {
      send(request, response, path, outcome, started, onRequest, cors);
    } finally {
      endTurn(socket);
    }
  };
  if (isInspectorPath(path) && (request.method === 'GET' || request.method === 'HEAD')) {
    request.resume();
    const withBody = request.method === 'GET';
    takeTurn(socket, () => writes.add(() => servePage(response, socket, withBody)));
    return;
  }
  const failed = (error: unknown) => {
    // Only a broken socket gets here (the app answers every request, errors included).
    console.error('ledgerline-mock: request failed:', error);
    response.destroy();
    endTurn(socket);
  };
  if (request.method === 'OPTIONS') {
    request.resume();
    takeTurn(socket, () => writes.add(() => finish(preflight(request, cors))));
    return;
  }
  readBody(
    request,
    (text, tooLarge) =>
      takeTurn(socket, () => {
        let outcome: Outcome | Promise<Outcome>;
        try {
          // The request enters here: its context goes with it down to the journal and the store.
          outcome = answer(new RequestContext(toMockRequest(request, path, query, text, tooLarge)));
        } catch (error) {
          failed(error);
          return;
        }
        if (outcome instanceof Promise) outcome.then(finish).catch(failed);
        else {
          const ready = outcome;
          writes.add(() => finish(ready));
        }
      }),
    failed,
  );
}

const METHODS = 'GET, HEAD, POST, PUT, DELETE, OPTIONS';
const EXPOSED =
  'x-request-id, idempotent-replayed, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, content-type';

/** `OPTIONS`: the methods, and with CORS the preflight's answer (the headers asked for are allowed). */
function preflight(request: IncomingMessage, cors: boolean): Outcome {
  const headers: Record<string, string> = { allow: METHODS };
  if (cors) {
    headers['access-control-allow-methods'] = METHODS;
    const asked = request.headers['access-control-request-headers'];
    headers['access-control-allow-headers'] =
      typeof asked === 'string' && asked !== ''
        ? asked
        : 'authorization, content-type, idempotency-key, token';
    headers['access-control-max-age'] = '600';
  }
  return { kind: 'respond', response: { status: 204, headers }, replayed: false };
}

/** The inspector page, also under a sandbox's base URL (the page then starts on that sandbox). */
const INSPECTOR_PATH = /^(?:\/_mock\/sandboxes\/[^/]+)?\/_mock\/ui$/;
const isInspectorPath = (path: string): boolean => INSPECTOR_PATH.test(path);
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-length': Buffer.byteLength(INSPECTOR_HTML),
  'cache-control': 'no-store',
  // Inline script and style only, and calls back to this server: no third party can be pulled in.
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'",
};

/**
 * The inspector page: static, served without the admin token (the page asks for it before any call).
 * HEAD gets the GET's headers without the body, as every other path does.
 */
function servePage(response: ServerResponse, socket: Socket, withBody: boolean): void {
  try {
    response.writeHead(200, PAGE_HEADERS);
    response.end(withBody ? INSPECTOR_HTML : undefined);
  } finally {
    endTurn(socket);
  }
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  outcome: Outcome,
  started: number,
  onRequest: MockServerOptions['onRequest'],
  cors: boolean,
): void {
  if (outcome.kind === 'drop') {
    request.socket.destroy();
    onRequest?.({
      method: request.method ?? 'GET',
      path,
      status: 'dropped',
      durationMs: performance.now() - started,
      replayed: false,
    });
    return;
  }
  const { status, body, headers } = outcome.response;
  const payload = body === undefined ? '' : JSON.stringify(body);
  // The family's headers may override the content type (billing errors are problem+json).
  const head: Record<string, string | number> =
    body === undefined ? {} : { 'content-type': 'application/json' };
  if (headers !== undefined) Object.assign(head, headers);
  if (cors) {
    head['access-control-allow-origin'] = '*';
    head['access-control-expose-headers'] = EXPOSED;
  }
  const length = Buffer.byteLength(payload);
  head['content-length'] = length;
  response.writeHead(status, head);
  response.end(payload, sending(request.socket, length));
  onRequest?.({
    method: request.method ?? 'GET',
    path,
    status,
    durationMs: performance.now() - started,
    replayed: outcome.replayed,
    ...(headers?.['x-request-id'] === undefined ? {} : { requestId: headers['x-request-id'] }),
    ...(payload === '' ? {} : { responseText: payload }),
  });
}
