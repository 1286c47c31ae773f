import type { OperationId } from '../../../generated/operations.js';
import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { DAY_MS } from '../../ledger/clock.js';
import { formatAmount } from '../../ledger/money.js';
import type { BillingPrincipal } from './auth.js';
import { positionOf, takeDesc } from './pages.js';
import { fieldError, invoiceView, isoSeconds, ok, usageItemView } from './responses.js';
import { type BillingState, CHANNELS, type DailyRecord, type Organization } from './state.js';
import { organizationOf } from './wallet.js';

type Context<Id extends OperationId> = SpecContext<BillingState, BillingPrincipal, Id>;

/**
 * The longest window a billing list answers. The documented list page shows `data` as a bare
 * array with only `from`/`to`, so no cursor can split a long history: the window bounds the answer
 * instead (docs/decisions.md, "Billing lists: arrays in a bounded window"). 31 days fit any
 * calendar month.
 */
export const MAX_WINDOW_DAYS = 31;
const MAX_WINDOW_MS = MAX_WINDOW_DAYS * DAY_MS;

/** The window `[fromMs, toMs)` of a list; `toMs` undefined: open (only `from` was defaulted). */
interface Window {
  readonly fromMs: number;
  readonly toMs: number | undefined;
}

/** The window of a billing list query (types already checked against openapi.yaml). */
function windowOf(context: Context<'listUsage' | 'listUsageItems' | 'listInvoices'>): Window | MockResponse {
  const { from, to } = context.query;
  const fromMs = from === undefined ? undefined : Date.parse(from);
  const toMs = to === undefined ? undefined : Date.parse(to);
  if (fromMs !== undefined && toMs !== undefined) {
    if (toMs < fromMs) return fieldError('to', 'must not be before from');
    if (toMs - fromMs > MAX_WINDOW_MS)
      return fieldError('to', `must be at most ${MAX_WINDOW_DAYS} days after from`);
    return { fromMs, toMs };
  }
  if (fromMs !== undefined) return { fromMs, toMs: fromMs + MAX_WINDOW_MS };
  if (toMs !== undefined) return { fromMs: toMs - MAX_WINDOW_MS, toMs };
  return { fromMs: context.ledger.clock.now() - MAX_WINDOW_MS, toMs: undefined };
}

const isResponse = (value: Window | MockResponse): value is MockResponse => 'status' in value;

export function listUsageItems(context: Context<'listUsageItems'>): MockResponse {
  const window = windowOf(context);
  if (isResponse(window)) return window;
  return ok(takeDesc(organizationOf(context).usageItems, window.fromMs, window.toMs).map(usageItemView));
}

export function listInvoices(context: Context<'listInvoices'>): MockResponse {
  const window = windowOf(context);
  if (isResponse(window)) return window;
  return ok(takeDesc(organizationOf(context).invoices, window.fromMs, window.toMs).map(invoiceView));
}

const floorDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * Rolled-up usage per UTC day and channel, newest day first (voice, chat, transfer_minute, number
 * within a day). Whole days inside the window come from the records kept as items are added; a
 * day the window cuts (a `from` or `to` that is not midnight) is summed from its items in the
 * window, so every record counts exactly the items of the window.
 */
export function listUsage(context: Context<'listUsage'>): MockResponse {
  const window = windowOf(context);
  if (isResponse(window)) return window;
  const org = organizationOf(context);
  const from = window.fromMs;
  const to = window.toMs ?? Number.POSITIVE_INFINITY;
  const records: DailyRecord[] = [];
  if (from < to) {
    const fullStart = Math.ceil(from / DAY_MS) * DAY_MS;
    const fullEnd = Number.isFinite(to) ? floorDay(to) : undefined;
    const topCut = fullEnd !== undefined && to > fullEnd;
    if (topCut) records.push(...partialDay(org, Math.max(from, fullEnd), to).reverse());
    if (fullStart < (fullEnd ?? Number.POSITIVE_INFINITY))
      records.push(...takeDesc(org.daily, fullStart, fullEnd));
    if (from < fullStart && !(topCut && floorDay(from) === fullEnd))
      records.push(...partialDay(org, from, Math.min(fullStart, to)).reverse());
  }
  return ok(
    records.map((record) => ({
      date: isoSeconds(record.timeMs).slice(0, 10),
      channel: record.channel,
      quantity: formatAmount(BigInt(record.quantityUnits), 2),
      credits: formatAmount(BigInt(record.creditUnits), 2),
      itemCount: record.itemCount,
    })),
  );
}

/** Records of one day summed from its items in [fromMs, toMs), in the daily records' order. */
function partialDay(org: Organization, fromMs: number, toMs: number): DailyRecord[] {
  const dayMs = floorDay(fromMs);
  const items = org.usageItems;
  const byChannel = new Map<string, DailyRecord>();
  const end = positionOf(items, toMs, Number.NEGATIVE_INFINITY);
  for (let i = positionOf(items, fromMs, Number.NEGATIVE_INFINITY); i < end; i += 1) {
    const item = items[i];
    if (item === undefined) break;
    const record = byChannel.get(item.channel);
    if (record) {
      record.quantityUnits += item.quantityUnits;
      record.creditUnits += item.creditUnits;
      record.itemCount += 1;
    } else
      byChannel.set(item.channel, {
        timeMs: dayMs,
        n: 3 - CHANNELS.indexOf(item.channel),
        channel: item.channel,
        quantityUnits: item.quantityUnits,
        creditUnits: item.creditUnits,
        itemCount: 1,
      });
  }
  return [...byChannel.values()].sort((a, b) => a.n - b.n);
}
