import type { Middleware } from 'openapi-fetch';
import { ClientOptionsError } from './errors.js';
import { DOCUMENTED_ORIGINS, FAMILIES, FAMILY_KEYS, type Family, type FamilyKey } from './family.js';
import type { FetchLike } from './fetch-with-retry.js';
import { isRecord, record, text } from './json.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';

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
 * Options of {@link createClient}. Every field is optional: without `baseUrl`/`baseUrls` each family
 * calls its documented host.
 */
export interface ClientOptions {
  /** One origin serving every family (the reference server). Excludes `baseUrls`. */
  baseUrl?: string;
  /** Origin per family; a family left out uses its documented host. */
  baseUrls?: Partial<Record<FamilyKey, string>>;
  credentials?: Credentials;
  /** Merged over the defaults (2 retries, 500 ms to 8000 ms); `false` sends every call once. */
  retry?: Partial<RetryPolicy> | false;
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
}

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
}

const httpUrl = (v: unknown): boolean => {
  try {
    const url = new URL(String(v));
    return typeof v === 'string' && /^https?:$/.test(url.protocol) && !url.search && !url.hash;
  } catch {
    return false;
  }
};

/** Checks one option that is present (not `undefined`), given its dotted name; records problems. */
type Check = (value: unknown, name: string) => unknown;

/**
 * Validates `createClient` options once and fills in defaults. Throws one ClientOptionsError
 * listing every problem as `<option>: expected <what>, got <value>`, so a misconfiguration fails
 * at start-up rather than on the first call. Checks run at runtime because JavaScript callers (and
 * typos like `baseURL`) get no help from the types. Credentials are never echoed in a problem.
 */
export function normalizeClientOptions(options: ClientOptions = {}): NormalizedClientOptions {
  const problems: string[] = [];
  // Records a problem unless `ok`, and returns `ok`, so a failed check can skip the checks inside.
  const want = (ok: unknown, name: string, expected: string, got?: unknown): boolean =>
    !!ok ||
    !problems.push(`${name}: expected ${expected}${got === undefined ? '' : `, got ${JSON.stringify(got)}`}`);
  /**
   * An object holding only the keys of `checks` (typos are reported, not ignored), each present one
   * checked in turn. `name` is the object's option name; `options` itself prefixes nothing.
   */
  const section = (name: string, v: unknown, checks: Record<string, Check>, or = ''): boolean => {
    const keys = Object.keys(checks).join(', ');
    if (!want(isRecord(v), name, `${or}an object with ${keys}`, v) || !isRecord(v)) return false;
    for (const k of Object.keys(v)) want(k in checks, name, `only ${keys}`, k);
    for (const [k, check] of Object.entries(checks))
      if (v[k] !== undefined) check(v[k], name === 'options' ? k : `${name}.${k}`);
    return true;
  };
  const int =
    (min: number, max: number): Check =>
    (v, name) =>
      want(
        Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
        name,
        `an integer ${min}..${max}`,
        v,
      );
  const url: Check = (v, name) => want(httpUrl(v), name, 'an http(s) URL such as "http://localhost:4010"', v);
  // `record` reads a non-object as `{}`, whose fields then fail the check.
  const apiKey: Check = (v, name) => want(text(record(v).apiKey), name, '{ apiKey: string }');

  const valid = section('options', options, {
    baseUrl: (v, name) =>
      want(options.baseUrls === undefined, 'baseUrl, baseUrls', 'one or the other, not both') && url(v, name),
    // With both, only `baseUrl` is checked further.
    baseUrls: (v, name) =>
      options.baseUrl === undefined && section(name, v, Object.fromEntries(FAMILY_KEYS.map((k) => [k, url]))),
    credentials: (v, name) =>
      section(name, v, {
        whiteLabel: apiKey,
        reseller: apiKey,
        // Exactly one of a token and an email with a secret.
        creditSend: (v, name) => {
          const c = record(v);
          if (
            want(
              !text(c.token) !== !(text(c.email) && text(c.secret)),
              name,
              '{ token } or { email, secret, ttlSeconds? }',
            ) &&
            c.ttlSeconds !== undefined
          )
            int(5, 86_400)(c.ttlSeconds, `${name}.ttlSeconds`);
        },
        billing: (v, name) => {
          const given = [record(v).apiKey, record(v).sessionToken].filter((k) => k !== undefined);
          want(
            given.length && given.every(text),
            name,
            '{ apiKey?: string, sessionToken?: string } with at least one',
          );
        },
      }),
    retry: (v, name) => {
      if (
        v === false ||
        !section(
          name,
          v,
          { maxRetries: int(0, 10), baseDelayMs: int(0, 60_000), maxDelayMs: int(0, 60_000) },
          'false or ',
        )
      )
        return;
      const { baseDelayMs, maxDelayMs } = { ...DEFAULT_RETRY, ...(v as Partial<RetryPolicy>) };
      want(maxDelayMs >= baseDelayMs, 'retry.maxDelayMs', 'at least retry.baseDelayMs');
    },
    timeoutMs: int(1, 600_000),
    fetch: (v, name) => want(typeof v === 'function', name, 'a function (Request) => Promise<Response>'),
    idempotency: (v, name) =>
      section(name, v, {
        honouredBy: (list, name) =>
          want(
            Array.isArray(list) && list.every((k) => (FAMILY_KEYS as unknown[]).includes(k)),
            name,
            `a list of ${FAMILY_KEYS.join(', ')}`,
            list,
          ),
      }),
    middleware: (v, name) =>
      want(Array.isArray(v) && v.every(isRecord), name, 'a list of openapi-fetch middleware objects'),
  } satisfies Record<keyof ClientOptions, Check>);
  if (!valid || problems.length) throw new ClientOptionsError(problems);
  const { baseUrl, baseUrls, retry } = options;

  const urls = { ...DOCUMENTED_ORIGINS };
  for (const k of FAMILY_KEYS) {
    const given = baseUrl ?? baseUrls?.[k];
    if (given) urls[k] = given.replace(/\/+$/, '');
  }
  return {
    baseUrls: urls,
    credentials: options.credentials ?? {},
    middleware: options.middleware ?? [],
    retry: retry !== false && { ...DEFAULT_RETRY, ...retry },
    timeoutMs: options.timeoutMs ?? 30_000,
    fetch: options.fetch ?? ((request, init) => globalThis.fetch(request, init)),
    idempotencyHonouredBy: new Set(
      (
        options.idempotency?.honouredBy ??
        FAMILY_KEYS.filter((k) => k === 'billing' || new URL(urls[k]).origin !== DOCUMENTED_ORIGINS[k])
      ).map((k) => FAMILIES[k]),
    ),
  };
}
