import { environmentValue } from './environment.js';

/**
 * How much the client logs, each level with those after it: `debug` every attempt, `info` every
 * retry, `warn` a call that ends with a 4xx answer, `error` one that ends with a 5xx or 429 (after
 * its retries) or without an answer.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';

/** The levels of `logLevel`, most verbose first; `off` logs nothing. */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'off'];

/** Where the client logs: `console` by default, or any object with these four methods (pino, winston...). */
export interface Logger {
  /** Every attempt: called with a line and its {@link LogDetails}. */
  debug(message: string, ...details: unknown[]): void;
  /** Every retry, with its reason and wait. */
  info(message: string, ...details: unknown[]): void;
  /** A call that ends with a 4xx answer. */
  warn(message: string, ...details: unknown[]): void;
  /** A call that ends with a 5xx or 429 after its retries, or without an answer. */
  error(message: string, ...details: unknown[]): void;
}

/** What one log line says besides its message. Never a header or a body, so never a credential. */
export interface LogDetails {
  family: string;
  method: string;
  /** The URL's path, without its query. */
  path: string;
  /** 1-based. */
  attempt: number;
  status?: number;
  /** The `x-request-id` of the answer, when there was one. */
  requestId?: string;
  durationMs?: number;
  /** Why a retry is sent, or why there was no answer: `status 503`, `timeout`, `connection`. */
  reason?: string;
  waitMs?: number;
}

type Log = (message: string, details: LogDetails) => void;

/**
 * The logger's methods that the level lets through; the others are absent, so with logging off
 * the hot path pays one property check and builds no message.
 * @internal
 */
export interface LogSink {
  readonly debug: Log | undefined;
  readonly info: Log | undefined;
  readonly warn: Log | undefined;
  readonly error: Log | undefined;
}

/** The level of `LEDGERLINE_LOG` in Node, as given (checked by the options), or `undefined`. */
export const environmentLogLevel = (): string | undefined => environmentValue('LEDGERLINE_LOG');

/** The sink of `logger` at `level`; every line starts with `ledgerline: `. */
export function createLogSink(logger: Logger, level: LogLevel): LogSink {
  const at = LOG_LEVELS.indexOf(level);
  const through = (name: Exclude<LogLevel, 'off'>): Log | undefined =>
    LOG_LEVELS.indexOf(name) >= at && level !== 'off'
      ? (message, details) => logger[name](`ledgerline: ${message}`, details)
      : undefined;
  return { debug: through('debug'), info: through('info'), warn: through('warn'), error: through('error') };
}

/** One attempt for the log: who, what, its answer (or why none) and how long since `startedMs`. */
export function attemptDetails(
  family: string,
  request: Request,
  attempt: number,
  startedMs: number,
  response: Response | undefined,
  reason: string,
): LogDetails {
  const details: LogDetails = {
    family,
    method: request.method,
    path: new URL(request.url).pathname,
    attempt: attempt + 1,
    durationMs: Math.round(performance.now() - startedMs),
  };
  const requestId = response?.headers.get('x-request-id');
  if (response) details.status = response.status;
  else details.reason = reason;
  if (requestId) details.requestId = requestId;
  return details;
}

/** `POST /api/v1/x: 503 in 12 ms (request req_000011)`. */
export const summary = (d: LogDetails) =>
  `${d.method} ${d.path}: ${d.status ?? `no answer (${d.reason})`} in ${d.durationMs} ms${d.requestId ? ` (request ${d.requestId})` : ''}`;
