import type { components } from '../../../generated/openapi.js';
import type { MockResponse } from '../../family-kit/types.js';
import { DAY_MS } from '../../ledger/clock.js';
import { isLedgerError } from '../../ledger/errors.js';
import type { Ledger } from '../../ledger/ledger.js';
import { divHalfUp, formatAmountText, parseAmount } from '../../ledger/money.js';
import { type At, atNow, debitWallet } from './books.js';
import { insertByTime, positionOf } from './pages.js';
import { insufficientFunds, planOf, usageItemView, usdOfCreditUnits, walletBalance } from './responses.js';
import {
  type BillingState,
  CHANNEL_RANK,
  type Organization,
  type UsageChannel,
  type UsageItemRecord,
  type UsageType,
} from './state.js';

/** What a usage costs: credits (hundredths) and the included minutes (hundredths) it uses up. */
export interface Price {
  readonly creditUnits: bigint;
  readonly includedUsedUnits: bigint;
}

/**
 * docs/decisions.md: voice uses the plan's included minutes first, then its overage rate (the
 * pay-as-you-go rate without a plan); toll-free adds its surcharge on every minute; the charge is
 * `quantity x rate`, all parts summed exactly and rounded half up once to 2 decimals of a credit.
 */
export function priceUsage(
  org: Organization,
  channel: UsageChannel,
  quantityUnits: bigint,
  tollFree: boolean,
): Price {
  const { rates } = org;
  let rateProduct = 0n; // quantity (x100) times rate (x100): 4 decimals
  let includedUsedUnits = 0n;
  if (channel === 'voice') {
    const plan = planOf(org);
    if (plan !== null) {
      const left = BigInt(org.includedMinuteUnits);
      includedUsedUnits = quantityUnits < left ? quantityUnits : left;
    }
    const overageRate = plan ? parseAmount(plan.overageRate, 2) : BigInt(rates.voicePerMinuteCreditUnits);
    rateProduct = (quantityUnits - includedUsedUnits) * overageRate;
    if (tollFree) rateProduct += quantityUnits * BigInt(rates.tollFreePerMinuteCreditUnits);
  } else {
    const rate = {
      chat: rates.chatPerMessageCreditUnits,
      transfer_minute: rates.transferPerMinuteCreditUnits,
      number: rates.numberPerMonthCreditUnits,
    }[channel];
    rateProduct = quantityUnits * BigInt(rate);
  }
  return { creditUnits: divHalfUp(rateProduct, 100n), includedUsedUnits };
}

const UNITS: Readonly<Record<UsageChannel, readonly [string, string, string]>> = {
  voice: ['Voice', 'minute', 'minutes'],
  chat: ['Chat', 'message', 'messages'],
  transfer_minute: ['Transferred call', 'minute', 'minutes'],
  number: ['Phone number rental', 'number', 'numbers'],
};

function describe(channel: UsageChannel, quantityUnits: bigint, tollFree: boolean): string {
  const [what, one, many] = UNITS[channel];
  const quantity = formatAmountText(quantityUnits, 2);
  return `${tollFree ? 'Toll-free inbound voice' : what}, ${quantity} ${quantity === '1' ? one : many}`;
}

function adminError(path: string, message: string): MockResponse {
  return { status: 400, body: { error: `Invalid request: ${message}.`, issues: [{ path, message }] } };
}

/**
 * `POST /_mock/billing/usage` (body already checked against MockUsageRequest): charges the wallet
 * and answers the usage item (201), or 402 with nothing recorded and no allowance used.
 */
export function recordUsage(
  ledger: Ledger,
  state: BillingState,
  body: components['schemas']['MockUsageRequest'],
): MockResponse {
  const { organizationId, channel } = body;
  const org = Object.hasOwn(state.organizations, organizationId)
    ? state.organizations[organizationId]
    : undefined;
  if (org === undefined)
    return adminError('organizationId', `organizationId ${organizationId} is not a billing organization`);
  const tollFree = body.tollFree === true;
  if (tollFree && channel !== 'voice')
    return adminError('tollFree', 'tollFree applies to the voice channel only');
  const quantityUnits = parseAmount(body.quantity, 2, { field: 'quantity' });
  // Read the clock before pricing: a month boundary crossed now renews the allowance first.
  const at = atNow(ledger, null);
  const price = priceUsage(org, channel, quantityUnits, tollFree);
  const description = body.description ?? describe(channel, quantityUnits, tollFree);
  const agentId = body.agentId ?? null;
  const type: UsageType = channel === 'number' ? 'rental' : 'usage';
  const available = walletBalance(ledger, org);
  try {
    debitWallet(
      ledger,
      state,
      org,
      price.creditUnits,
      'mockRecordUsage',
      usageMetadata(state, channel, quantityUnits),
      at,
    );
  } catch (error) {
    if (!isLedgerError(error, 'insufficient_funds')) throw error;
    const credits = formatAmountText(price.creditUnits, 2);
    return insufficientFunds(
      `The wallet balance of ${usdOfCreditUnits(available)} USD cannot cover ${credits} credits of usage.`,
    );
  }
  org.includedMinuteUnits -= Number(price.includedUsedUnits);
  const item = addUsageItem(state, org, at, {
    type,
    channel,
    quantityUnits,
    creditUnits: price.creditUnits,
    description,
    agentId,
  });
  return { status: 201, body: usageItemView(item) };
}

function usageMetadata(state: BillingState, channel: UsageChannel, quantityUnits: bigint) {
  return {
    usageItemId: `ui_${state.counters.usageItem + 1}`,
    channel,
    quantity: formatAmountText(quantityUnits, 2),
  };
}

/** Everything about a usage item but its id and time. */
export interface NewUsageItem {
  readonly type: UsageType;
  readonly channel: UsageChannel;
  readonly quantityUnits: bigint;
  readonly creditUnits: bigint;
  readonly description: string;
  readonly agentId: string | null;
}

/** Appends a usage item (in time order) and adds it to its day's rolled-up record. */
export function addUsageItem(
  state: BillingState,
  org: Organization,
  at: At,
  input: NewUsageItem,
): UsageItemRecord {
  state.counters.usageItem += 1;
  const item: UsageItemRecord = {
    n: state.counters.usageItem,
    timeMs: at.timeMs,
    type: input.type,
    channel: input.channel,
    quantityUnits: Number(input.quantityUnits),
    creditUnits: Number(input.creditUnits),
    description: input.description,
    agentId: input.agentId,
  };
  insertByTime(org.usageItems, item);
  const dayMs = Math.floor(at.timeMs / DAY_MS) * DAY_MS;
  const n = 3 - CHANNEL_RANK[item.channel];
  const index = positionOf(org.daily, dayMs, n);
  const record = org.daily[index];
  if (record !== undefined && record.timeMs === dayMs && record.n === n) {
    record.quantityUnits += item.quantityUnits;
    record.creditUnits += item.creditUnits;
    record.itemCount += 1;
  } else {
    org.daily.splice(index, 0, {
      timeMs: dayMs,
      n,
      channel: item.channel,
      quantityUnits: item.quantityUnits,
      creditUnits: item.creditUnits,
      itemCount: 1,
    });
  }
  return item;
}
