import type { MockRequest } from '../../mock/family-kit/types.js';
import { createClient, type LedgerlineClient } from '../../src/index.js';
import type { inProcessFetch } from './in-process-fetch.js';

/** The origin the simulation's clients use; the in-process fetch never leaves the process. */
export const ORIGIN = 'http://simulation.test';

/** A world the run drives: the main one, or a sandbox under its own base URL. */
export interface Target {
  readonly name: string;
  /** `''` for the main world, `/_mock/sandboxes/{id}` for a sandbox. */
  readonly prefix: string;
  /** Platform 1 (white-label admin of users 123..125), reseller 5678, billing org_demo. */
  readonly first: LedgerlineClient;
  /** Platform 2 (credits platform, user 123), billing org_manual. */
  readonly second: LedgerlineClient;
  /** A client of the credit-send family logged in with `token`. */
  readonly sender: (token: string) => LedgerlineClient;
  /** Idempotency-Key -> the first 2xx answered with it (canonical body) and the mock time it was answered. */
  readonly answered: Map<string, Answered>;
  /** Journal entry ids seen, and the step each keyed commit was made in. */
  readonly seenEntries: Set<string>;
  readonly keyCommits: Map<string, { step: number; entries: number; atMs: number }>;
  /** Answers of this step with their request ids, checked against the request journal. */
  readonly answers: { requestId: string; status: number; path: string }[];
  /** White-label user account -> credits held and their cost basis (ninths of a hundredth of a minute). */
  readonly creditCosts: Map<string, { held: bigint; cost: bigint }>;
  /** The mock clock of this world, as its last clock answer said (ms). */
  nowMs: number;
}

/** The first 2xx answer to a key. */
export interface Answered {
  readonly request: MockRequest;
  readonly status: number;
  readonly body: string;
  readonly atMs: number;
  /** How long it replays (mock time). */
  readonly ttlMs: number;
}

type Fetch = ReturnType<typeof inProcessFetch>;

/** Retries at once (delays 0): the run waits on nothing but the server. */
const RETRY = { maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0 };

export function makeTarget(name: string, prefix: string, fetch: Fetch, nowMs: number): Target {
  const baseUrl = `${ORIGIN}${prefix}`;
  const common = { baseUrl, fetch, retry: RETRY, logLevel: 'off' as const };
  return {
    name,
    prefix,
    first: createClient({
      ...common,
      credentials: {
        whiteLabel: { apiKey: 'wl_admin_demo' },
        reseller: { apiKey: 'rs_demo' },
        billing: { apiKey: 'flowyte_sk_test_demo', sessionToken: 'flowyte_session_demo' },
      },
    }),
    second: createClient({
      ...common,
      credentials: {
        whiteLabel: { apiKey: 'wl_admin_credits_demo' },
        billing: { apiKey: 'flowyte_sk_test_manual', sessionToken: 'flowyte_session_manual' },
      },
    }),
    sender: (token) => createClient({ ...common, credentials: { creditSend: { token } } }),
    answered: new Map(),
    seenEntries: new Set(),
    keyCommits: new Map(),
    creditCosts: new Map(),
    answers: [],
    nowMs,
  };
}
