import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockApp, type MockAppOptions } from '../app.js';
import type { MockRequest } from '../http/types.js';
import type { LedgerSnapshot } from '../ledger/snapshot.js';
import { readBody } from './read-body.js';
import { StateFile } from './state-file.js';

/** Options of {@link createMockServer}. */
export interface MockServerOptions extends Omit<MockAppOptions, 'onChange' | 'snapshot'> {
  /** Port to listen on; 0 picks a free one. Default 4010. */
  readonly port?: number;
  /** Default 127.0.0.1 (loopback only: the reference server has test credentials). */
  readonly host?: string;
  /** Keep the state in this JSON file: loaded at start when present, written atomically on change. */
  readonly stateFile?: string;
  /** Called once per answered request (the CLI logs it). */
  readonly onRequest?: (entry: RequestLogEntry) => void;
}

export interface RequestLogEntry {
  readonly method: string;
  readonly path: string;
  readonly status: number | 'dropped';
  readonly durationMs: number;
  readonly replayed: boolean;
}

/** A running reference server. */
export interface MockServer {
  /** Base URL, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  readonly app: MockApp;
  readonly server: Server;
  /** Stops accepting connections, lets in-flight requests finish, then writes the state file. */
  close(): Promise<void>;
}

function toMockRequest(
  request: IncomingMessage,
  url: URL,
  text: string | null,
  tooLarge: boolean,
): MockRequest {
  return {
    method: request.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    header: (name) => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    bodyText: text,
    bodyTooLarge: tooLarge,
  };
}

/**
 * Serves the reference server over plain `node:http`: no web framework, no `Request`/`Response`
 * objects on the hot path (DESIGN.md, "Layout").
 */
export async function createMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const stateFile = options.stateFile ? new StateFile(options.stateFile) : undefined;
  const snapshot: LedgerSnapshot | undefined = stateFile ? await stateFile.read() : undefined;
  let app: MockApp | undefined;
  app = new MockApp({
    ...options,
    ...(snapshot ? { snapshot } : {}),
    onChange: () => app && stateFile?.schedule(app),
  });
  const live = app;

  const server = createServer((request, response) => {
    void serve(live, request, response, options.onRequest);
  });
  // Keep-alive sockets would hold close() open; they are ended as soon as their request is answered.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  if (stateFile) stateFile.schedule(live);
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    app: live,
    server,
    // Idempotent: a second close() waits for the first instead of writing the state again.
    close: () => {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await stateFile?.flush(live);
      })();
      return closing;
    },
  };
}

async function serve(
  app: MockApp,
  request: IncomingMessage,
  response: ServerResponse,
  onRequest: MockServerOptions['onRequest'],
) {
  const started = performance.now();
  const url = new URL(request.url ?? '/', 'http://localhost');
  try {
    const { text, tooLarge } = await readBody(request);
    const outcome = await app.handle(toMockRequest(request, url, text, tooLarge));
    if (outcome.kind === 'drop') {
      request.socket.destroy();
      onRequest?.({
        method: request.method ?? 'GET',
        path: url.pathname,
        status: 'dropped',
        durationMs: performance.now() - started,
        replayed: false,
      });
      return;
    }
    const { status, body, headers } = outcome.response;
    const payload = body === undefined ? '' : JSON.stringify(body);
    response.writeHead(status, {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
      'content-length': Buffer.byteLength(payload),
    });
    response.end(payload);
    onRequest?.({
      method: request.method ?? 'GET',
      path: url.pathname,
      status,
      durationMs: performance.now() - started,
      replayed: outcome.replayed,
    });
  } catch (error) {
    // Only a broken socket gets here (app.handle never throws).
    console.error('ledgerline-mock: request failed:', error);
    response.destroy();
  }
}
