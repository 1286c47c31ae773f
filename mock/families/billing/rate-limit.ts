import type { MockResponse } from '../../family-kit/types.js';
import type { Clock } from '../../ledger/clock.js';
import { problem } from './errors.js';
import type { BillingState } from './state.js';

/** Fixed windows of the mock clock: `POST /_mock/clock` advancing 60 s opens a new one. */
const WINDOW_MS = 60_000;

/** One organization's count in the window that started at `startMs`. */
interface Window {
  startMs: number;
  count: number;
}

/**
 * The window counters, per family state: not part of the state (reads are not records, so a
 * durable store could not replay them; docs/decisions.md), and gone with it, so `POST /_mock/reset`,
 * a restore and each sandbox start from zero. Weak: a replaced state takes its counters along.
 */
const COUNTERS = new WeakMap<BillingState, Map<string, Window>>();

/** A request admitted (with the headers every answer carries) or refused with its 429. */
export type Admission =
  | { readonly ok: true; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly response: MockResponse };

/**
 * Counts one request of `organizationId` against its seeded `requestsPerMinute` (docs.flowyte.com
 * "rate-limited per organization"; the figures are ledgerline's, the pages give none). Over the
 * limit the answer is 429 `rate_limited` with `Retry-After` (whole seconds, rounded up) and the
 * request is not counted; the caller runs nothing.
 */
export function admit(state: BillingState, organizationId: string, limit: number, clock: Clock): Admission {
  const nowMs = clock.now();
  const startMs = Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
  let windows = COUNTERS.get(state);
  if (windows === undefined) {
    windows = new Map();
    COUNTERS.set(state, windows);
  }
  let window = windows.get(organizationId);
  // A clock set backwards (POST /_mock/clock) starts a window too: the counter follows the clock.
  if (window === undefined || window.startMs !== startMs) {
    window = { startMs, count: 0 };
    windows.set(organizationId, window);
  }
  // At least 1: the window ends strictly after now.
  const resetSeconds = Math.ceil((startMs + WINDOW_MS - nowMs) / 1000);
  const over = window.count >= limit;
  if (!over) window.count += 1;
  const headers = {
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': String(limit - window.count),
    'ratelimit-reset': String(resetSeconds),
  };
  if (!over) return { ok: true, headers };
  const refused = problem(
    429,
    'rate-limited',
    'Too Many Requests',
    `This organization is limited to ${limit} requests per minute; retry after ${resetSeconds} seconds.`,
  );
  return {
    ok: false,
    response: {
      ...refused,
      headers: { ...refused.headers, ...headers, 'retry-after': String(resetSeconds) },
    },
  };
}
