import type { Prng } from './prng.js';
import type { Target } from './targets.js';

/** One client call of a step: what it is (for the event log) and how to make it, with its key. */
export interface Call {
  readonly label: string;
  readonly run: (key: string) => Promise<unknown>;
}

/** A raw control request the run sends itself (no SDK method covers it). */
export type Control = (
  method: string,
  path: string,
  json?: unknown,
) => Promise<{ status: number; body: unknown }>;

const cents = (prng: Prng, min: number, max: number) => prng.int(min, max) / 100;

/** The family paths faults are aimed at: each family's keyed POSTs. */
export const FAULT_PATHS = [
  '/api/white-label/transfer',
  '/api/v1/reseller/*',
  '/user/login',
  '/credits/send',
  '/api/v1/billing/*',
] as const;

const CREDIT_SEND_USERS = [
  { id: 10, email: 'ada@example.com', secret: 's3cret-ada' },
  { id: 11, email: 'bob@example.com', secret: 's3cret-bob' },
  { id: 20, email: 'eve@example.org', secret: 's3cret-eve' },
  { id: 374862, email: 'alan@timesafe.io', secret: 's3cret-alan' },
] as const;

/**
 * A random operation of one of the four families, through the SDK (billing usage through the
 * control route, the stand-in for real calls). Amounts are drawn in cents so some are refused
 * (too large, below a rate) and some round.
 */
export function familyCall(target: Target, prng: Prng, control: Control): Call {
  const kind = prng.weighted([
    ['whiteLabel', 4],
    ['resellerTransfer', 2],
    ['resellerRevert', 2],
    ['creditSend', 2],
    ['billingTopUp', 1],
    ['billingCredit', 1],
    ['billingUsage', 2],
  ] as const);
  switch (kind) {
    case 'whiteLabel': {
      const second = prng.chance(0.4);
      const body = {
        user_id: second ? 123 : prng.pick([123, 124, 125]),
        transfer_type: prng.pick(['minutes', 'credits'] as const),
        operation: prng.pick(['add', 'remove'] as const),
        amount: cents(prng, 1, prng.chance(0.2) ? 200_000 : 3_000),
      };
      const client = second ? target.second : target.first;
      return {
        label: `whiteLabel.transfer platform ${second ? 2 : 1} ${JSON.stringify(body)}`,
        run: (key) => client.whiteLabel.transfer(body, { idempotencyKey: key }),
      };
    }
    case 'resellerTransfer': {
      const body = {
        to_organization_id: prng.pick([4001, 4002, 4002, 5002]),
        minutes: prng.int(1, 60),
        cost_per_min: prng.pick([0.05, 0.09, 0.2, 0.25]),
      };
      return {
        label: `reseller.transfer ${JSON.stringify(body)}`,
        run: (key) => target.first.reseller.transfer(body, { idempotencyKey: key }),
      };
    }
    case 'resellerRevert': {
      const body = { from_organization_id: prng.pick([4001, 4002]), minutes: prng.int(1, 40) };
      return {
        label: `reseller.revert ${JSON.stringify(body)}`,
        run: (key) => target.first.reseller.revert(body, { idempotencyKey: key }),
      };
    }
    case 'creditSend': {
      const from = prng.pick(CREDIT_SEND_USERS);
      const to = prng.pick(CREDIT_SEND_USERS).id;
      const credits = prng.int(1, 40);
      return {
        label: `creditSend.login+send ${from.id} -> ${to} ${credits}`,
        run: async (key) => {
          const login = await target.first.creditSend.login(
            { email: from.email, secret: from.secret, ttl: '3600' },
            { idempotencyKey: `${key}-login` },
          );
          return target
            .sender(login.data.token)
            .creditSend.send({ user: to, credits }, { idempotencyKey: key });
        },
      };
    }
    case 'billingTopUp': {
      const second = prng.chance(0.3);
      const body = { amountUsd: prng.int(5, 80) };
      return {
        label: `billing.topUp ${second ? 'org_manual' : 'org_demo'} ${JSON.stringify(body)}`,
        run: (key) => (second ? target.second : target.first).billing.topUp(body, { idempotencyKey: key }),
      };
    }
    case 'billingCredit': {
      const second = prng.chance(0.3);
      const body = { amountUsd: cents(prng, 1, 3_000), reason: 'simulation' };
      return {
        label: `billing.credit ${second ? 'org_manual' : 'org_demo'} ${JSON.stringify(body)}`,
        run: (key) => (second ? target.second : target.first).billing.credit(body, { idempotencyKey: key }),
      };
    }
    case 'billingUsage': {
      const body = {
        organizationId: prng.pick(['org_demo', 'org_manual']),
        channel: prng.pick(['voice', 'chat', 'transfer_minute'] as const),
        quantity: cents(prng, 1, 6_000),
        ...(prng.chance(0.2) ? { tollFree: true } : {}),
      };
      return {
        label: `control billing usage ${JSON.stringify(body)}`,
        run: () => control('POST', `${target.prefix}/_mock/billing/usage`, body),
      };
    }
  }
}

/** A fault for the next family call: status, latency (1 ms of real time, the only wait of a run), or a drop. */
export function faultSpec(prng: Prng): Record<string, unknown> {
  const kind = prng.weighted([
    ['status', 3],
    ['reset', 2],
    ['reset-after-commit', 3],
    ['latency', 1],
  ] as const);
  return {
    method: 'POST',
    path: prng.pick(FAULT_PATHS),
    kind,
    times: prng.int(1, 3),
    ...(kind === 'status' ? { status: prng.pick([500, 502, 503]) } : {}),
    ...(kind === 'latency' ? { delayMs: 1 } : {}),
  };
}

/** Seconds to move the clock: mostly minutes, sometimes hours or days, rarely a month. */
export function clockAdvance(prng: Prng): number {
  const scale = prng.weighted([
    ['minutes', 6],
    ['hours', 3],
    ['days', 1],
    ['month', 0.3],
  ] as const);
  if (scale === 'minutes') return prng.int(1, 3_600);
  if (scale === 'hours') return prng.int(1, 23) * 3_600;
  if (scale === 'days') return prng.int(1, 3) * 86_400;
  return prng.int(20, 40) * 86_400;
}
