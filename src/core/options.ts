import type { Middleware } from 'openapi-fetch';
import { type Check, createChecks } from './checks.js';
import { SDK_HEADERS } from './environment.js';
import { ClientOptionsError } from './errors.js';
import { DOCUMENTED_ORIGINS, FAMILIES, FAMILY_KEYS, type Family, type FamilyKey } from './family.js';
import type { FetchLike } from './fetch-with-retry.js';
import { isRecord, record, text } from './json.js';
import {
  createLogSink,
  environmentLogLevel,
  LOG_LEVELS,
  type Logger,
  type LogLevel,
  type LogSink,
} from './log.js';
import { type RetryOption, type RetryPolicy, resolveRetryPolicy, retryPolicyProblem } from './retry.js';

/**
 * Credit-send credentials: a token from `POST /user/login`, or the email and secret to log in with
 * (the client logs in on first use and again before the token expires).
 */
export type CreditSendCredentials =
  | { token: string }
  | { email: string; secret: string; ttlSeconds?: number };

/** One credential per family; a family without one can still be called (and answers 401). */
export interface Credentials {
  whiteLabel?: { apiKey: string };
  reseller?: { apiKey: string };
  /** A JWT from `POST /user/login`, or the login itself (`ttlSeconds` 5..86400). */
  creditSend?: CreditSendCredentials;
  /** An API key (`flowyte_sk_...`), a dashboard session token, or both. */
  billing?: { apiKey?: string; sessionToken?: string };
}

/**
 * One origin serving every family (the reference server): `baseUrls` cannot be given with it.
 * @inline
 */
interface OneOrigin {
  /** One origin serving every family (the reference server). Excludes `baseUrls`. */
  baseUrl?: string;
  /** Not with `baseUrl`. */
  baseUrls?: never;
}

/**
 * An origin per family: `baseUrl` cannot be given with it.
 * @inline
 */
interface OriginPerFamily {
  /** Not with `baseUrls`. */
  baseUrl?: never;
  /** Origin per family; a family left out uses its documented host. */
  baseUrls?: Partial<Record<FamilyKey, string>>;
}

/** The options of every client factory other than the base URL(s). */
export interface CommonClientOptions {
  /**
   * One credential per family. In Node, a family left out reads the environment variable its
   * vendor's documentation names (reseller: `OMNIDIM_API_KEY`), else the SDK's own for an API key
   * (`LEDGERLINE_WHITE_LABEL_API_KEY`, `LEDGERLINE_BILLING_API_KEY`); credit send has none.
   */
  credentials?: Credentials;
  /** Merged over the defaults (2 retries, 500 ms to 8000 ms); `false` sends every call once. */
  retry?: RetryOption;
  /** Per-attempt limit in ms until response headers arrive (default 30000). */
  timeoutMs?: number;
  /**
   * Default: `globalThis.fetch`, looked up per call so interceptors installed later (MSW) apply.
   * Called as `fetch(request, { signal })`: a wrapper must pass the second argument on, as the
   * attempt's timeout lives in its signal.
   */
  fetch?: FetchLike;
  /**
   * Families whose server deduplicates POSTs by Idempotency-Key, which is what makes retrying a POST
   * after a timeout or 5xx safe. Default: every family whose base URL is not its documented host
   * (the reference server honours keys everywhere), plus billing, whose public API documents them.
   */
  idempotency?: { honouredBy?: readonly FamilyKey[] };
  /** openapi-fetch middleware, run once per logical call (retries happen below it). */
  middleware?: readonly Middleware[];
  /**
   * Headers sent with every call (a call's `headers` win). A credential header or Idempotency-Key
   * is refused: give `credentials` or a call's `idempotencyKey` instead. `User-Agent` replaces the
   * SDK's own (`ledgerline/<version>`, sent in Node).
   */
  defaultHeaders?: Record<string, string>;
  /** Where log lines go (default `console`): any object with debug, info, warn and error methods. */
  logger?: Logger;
  /**
   * `off` (the default), `error`, `warn`, `info` or `debug`: see {@link LogLevel}. Without it, in Node,
   * the `LEDGERLINE_LOG` environment variable gives the level.
   */
  logLevel?: LogLevel;
}

/**
 * Options of {@link createClient} and of every family factory (`createResellerClient`, ...). Every
 * field is optional: without `baseUrl`/`baseUrls` each family calls its documented host. Giving
 * both `baseUrl` and `baseUrls` does not compile (and throws at run time for JavaScript callers).
 */
export type ClientOptions = CommonClientOptions & (OneOrigin | OriginPerFamily);

export interface NormalizedClientOptions {
  /** Without trailing slash. */
  baseUrls: Record<FamilyKey, string>;
  credentials: Credentials;
  retry: RetryPolicy | false;
  timeoutMs: number;
  fetch: FetchLike;
  /** Wire tags of the families that honour Idempotency-Key. */
  idempotencyHonouredBy: ReadonlySet<Family>;
  middleware: readonly Middleware[];
  /** The SDK's own headers (User-Agent in Node), then `defaultHeaders`. */
  headers: Readonly<Record<string, string>>;
  log: LogSink;
}

type Checks = ReturnType<typeof createChecks>;

const isLogLevel = (value: unknown): value is LogLevel => (LOG_LEVELS as readonly unknown[]).includes(value);

/** Whether a `retry` option (the client's or a call's) is `false` or a well-formed partial policy. */
export const retryShape = (value: unknown, name: string, section: Checks['section'], int: Checks['int']) =>
  value === false ||
  section(
    name,
    value,
    { maxRetries: int(0, 10), baseDelayMs: int(0, 60_000), maxDelayMs: int(0, 60_000) },
    'false or ',
  );

const httpUrl = (value: unknown): boolean => {
  try {
    const url = new URL(String(value));
    return typeof value === 'string' && /^https?:$/.test(url.protocol) && !url.search && !url.hash;
  } catch {
    return false;
  }
};

/**
 * Validates `createClient` options once and fills in defaults. Throws one ClientOptionsError
 * listing every problem as `<option>: expected <what>, got <value>`, so a misconfiguration fails
 * at start-up rather than on the first call. Checks run at runtime because JavaScript callers (and
 * typos like `baseURL`) get no help from the types. Credentials are never echoed in a problem.
 */
export function normalizeClientOptions(options: ClientOptions = {}): NormalizedClientOptions {
  const { problems, want, section, int, headers } = createChecks();
  const url: Check = (value, name) =>
    want(httpUrl(value), name, 'an http(s) URL such as "http://localhost:4010"', value);
  // `record` reads a non-object as `{}`, whose fields then fail the check.
  const apiKey: Check = (value, name) => want(text(record(value).apiKey), name, '{ apiKey: string }');

  const valid = section('options', options, {
    baseUrl: (value, name) =>
      want(options.baseUrls === undefined, 'baseUrl, baseUrls', 'one or the other, not both') &&
      url(value, name),
    // With both, only `baseUrl` is checked further.
    baseUrls: (value, name) =>
      options.baseUrl === undefined &&
      section(name, value, Object.fromEntries(FAMILY_KEYS.map((key) => [key, url]))),
    credentials: (value, name) =>
      section(name, value, {
        whiteLabel: apiKey,
        reseller: apiKey,
        // Exactly one of a token and an email with a secret.
        creditSend: (value, name) => {
          const creditSend = record(value);
          if (
            want(
              !text(creditSend.token) !== !(text(creditSend.email) && text(creditSend.secret)),
              name,
              '{ token } or { email, secret, ttlSeconds? }',
            ) &&
            creditSend.ttlSeconds !== undefined
          )
            int(5, 86_400)(creditSend.ttlSeconds, `${name}.ttlSeconds`);
        },
        billing: (value, name) => {
          const given = [record(value).apiKey, record(value).sessionToken].filter((key) => key !== undefined);
          want(
            given.length && given.every(text),
            name,
            '{ apiKey?: string, sessionToken?: string } with at least one',
          );
        },
      }),
    retry: (value, name) => {
      if (!retryShape(value, name, section, int)) return;
      const problem = retryPolicyProblem(resolveRetryPolicy(value as RetryOption));
      if (problem) problems.push(problem);
    },
    timeoutMs: int(1, 600_000),
    fetch: (value, name) =>
      want(typeof value === 'function', name, 'a function (Request) => Promise<Response>'),
    idempotency: (value, name) =>
      section(name, value, {
        honouredBy: (list, name) =>
          want(
            Array.isArray(list) && list.every((key) => (FAMILY_KEYS as unknown[]).includes(key)),
            name,
            `a list of ${FAMILY_KEYS.join(', ')}`,
            list,
          ),
      }),
    middleware: (value, name) =>
      want(Array.isArray(value) && value.every(isRecord), name, 'a list of openapi-fetch middleware objects'),
    defaultHeaders: headers,
    logger: (value, name) =>
      want(
        isRecord(value) &&
          ['debug', 'info', 'warn', 'error'].every((level) => typeof value[level] === 'function'),
        name,
        'an object with debug, info, warn and error methods (console, pino, ...)',
      ),
    logLevel: (value, name) => want(isLogLevel(value), name, `one of ${LOG_LEVELS.join(', ')}`, value),
  } satisfies Record<keyof ClientOptions, Check>);
  // The environment's level counts only when the options give none; a typo there is refused too.
  const environmentLevel = options.logLevel === undefined ? environmentLogLevel() : undefined;
  if (environmentLevel !== undefined)
    want(
      isLogLevel(environmentLevel),
      'LEDGERLINE_LOG (environment)',
      `one of ${LOG_LEVELS.join(', ')}`,
      environmentLevel,
    );
  if (!valid || problems.length) throw new ClientOptionsError(problems);
  const { baseUrl, baseUrls, retry } = options;
  const logLevel = options.logLevel ?? (environmentLevel as LogLevel | undefined) ?? 'off';

  const urls = { ...DOCUMENTED_ORIGINS };
  for (const key of FAMILY_KEYS) {
    const given = baseUrl ?? baseUrls?.[key];
    if (given) urls[key] = given.replace(/\/+$/, '');
  }
  return {
    baseUrls: urls,
    credentials: options.credentials ?? {},
    middleware: options.middleware ?? [],
    retry: retry !== false && resolveRetryPolicy(retry),
    timeoutMs: options.timeoutMs ?? 30_000,
    fetch: options.fetch ?? ((request, init) => globalThis.fetch(request, init)),
    headers: { ...SDK_HEADERS, ...options.defaultHeaders },
    log: createLogSink(options.logger ?? console, logLevel),
    idempotencyHonouredBy: new Set(
      (
        options.idempotency?.honouredBy ??
        FAMILY_KEYS.filter(
          (key) => key === 'billing' || new URL(urls[key]).origin !== DOCUMENTED_ORIGINS[key],
        )
      ).map((key) => FAMILIES[key]),
    ),
  };
}
