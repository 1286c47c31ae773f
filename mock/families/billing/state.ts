/**
 * The billing family's own data. Plain JSON by contract (FamilyDefinition): amounts are kept as
 * scaled integers in safe JS numbers, named by unit: `...CreditUnits` are hundredths of a credit
 * (the ledger's scale for wallet credits), `...Cents` are US cents (= whole credits).
 * Balances live in the ledger only.
 */

export type UsageChannel = 'voice' | 'chat' | 'transfer_minute' | 'number';
export type UsageType = 'usage' | 'rental';
export type CredentialKind = 'apiKey' | 'session';
export type PaymentStatus = 'pending' | 'succeeded' | 'failed';

/** Rollup order inside one day (voice first), also the sort key of daily records. */
export const CHANNEL_RANK: Readonly<Record<UsageChannel, number>> = {
  voice: 0,
  chat: 1,
  transfer_minute: 2,
  number: 3,
};
export const CHANNELS: readonly UsageChannel[] = ['voice', 'chat', 'transfer_minute', 'number'];

/** Something kept in time order: sorted by (timeMs, n) ascending, `n` unique and increasing. */
export interface Timed {
  readonly timeMs: number;
  readonly n: number;
}

export interface UsageItemRecord extends Timed {
  readonly type: UsageType;
  readonly channel: UsageChannel;
  /** Units of the channel x 100. */
  readonly quantityUnits: number;
  readonly creditUnits: number;
  readonly description: string;
  readonly agentId: string | null;
}

/** One UTC day and channel: `timeMs` is the day start, `n` is `3 - CHANNEL_RANK` (see pages.ts). */
export interface DailyRecord extends Timed {
  readonly channel: UsageChannel;
  quantityUnits: number;
  creditUnits: number;
  itemCount: number;
}

export interface InvoiceRecord extends Timed {
  readonly amountCents: number;
  readonly description: string;
}

/** A plan exactly as the API shows it (BillingPlan). */
export interface Plan {
  readonly id: string;
  readonly name: string;
  readonly monthlyPriceUsd: number;
  readonly includedMinutes: number;
  readonly overageRate: number;
}

export interface Rates {
  readonly voicePerMinuteCreditUnits: number;
  readonly chatPerMessageCreditUnits: number;
  readonly transferPerMinuteCreditUnits: number;
  readonly tollFreePerMinuteCreditUnits: number;
  readonly numberPerMonthCreditUnits: number;
}

export interface AutoReload {
  enabled: boolean;
  thresholdCents: number;
  amountCents: number;
}

export interface Organization {
  readonly id: string;
  readonly walletId: string;
  readonly settlement: 'immediate' | 'manual';
  readonly rates: Rates;
  readonly plans: Plan[];
  planId: string | null;
  /** Included voice minutes left in the period, x 100. */
  includedMinuteUnits: number;
  numbers: number;
  /** `null` until auto-reload is first configured. */
  autoReload: AutoReload | null;
  /** The auto-reload payment still pending, if any: never two at once. */
  pendingAutoReloadId: string | null;
  /**
   * Seed `rateLimit.requestsPerMinute`; absent when the organization is not throttled (the default,
   * and every state file written before rate limits existed). The window counters are not state
   * (rate-limit.ts).
   */
  readonly requestsPerMinute?: number;
  readonly usageItems: UsageItemRecord[];
  readonly daily: DailyRecord[];
  readonly invoices: InvoiceRecord[];
}

export interface Credential {
  readonly organizationId: string;
  readonly kind: CredentialKind;
  readonly scopes: readonly string[];
}

export interface Payment {
  readonly id: string;
  readonly organizationId: string;
  readonly amountCents: number;
  readonly autoReload: boolean;
  status: PaymentStatus;
}

export interface BillingState {
  readonly organizations: Record<string, Organization>;
  /** Bearer token -> who holds it. */
  readonly credentials: Record<string, Credential>;
  readonly payments: Record<string, Payment>;
  /** Counters of `pay_<n>`, `ui_<n>`, `inv_<n>` (ids are unique across organizations). */
  counters: { payment: number; usageItem: number; invoice: number };
}

export const SYSTEM = {
  payments: 'billing:payments',
  revenue: 'billing:revenue',
  opening: 'billing:opening',
} as const;

export const ASSET = 'credits';

export function walletIdOf(organizationId: string): string {
  return `billing:wallet:${organizationId}`;
}

/** Cents (whole credits) to ledger units (hundredths of a credit). */
export function centsToCreditUnits(cents: number): bigint {
  return BigInt(cents) * 100n;
}
