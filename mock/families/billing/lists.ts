import type { OperationId } from '../../../generated/operations.js';
import { DAY_MS } from '../../ledger/clock.js';
import { formatAmount } from '../../ledger/money.js';
import type { SpecContext } from '../../pipeline/family.js';
import type { MockResponse } from '../../pipeline/types.js';
import type { BillingPrincipal } from './auth.js';
import { type CursorKey, decodeCursor, pageOf, positionOf, takeDesc } from './pages.js';
import { fieldError, invoiceView, isoSeconds, ok, usageItemView } from './responses.js';
import { type BillingState, CHANNELS, type DailyRecord, type Organization } from './state.js';
import { organizationOf } from './wallet.js';

type Context<Id extends OperationId> = SpecContext<BillingState, BillingPrincipal, Id>;

interface ListQuery {
  readonly fromMs: number | undefined;
  readonly toMs: number | undefined;
  readonly limit: number;
  readonly after: CursorKey | null;
}

/** The shared query of billing lists (types already checked against openapi.yaml). */
function listQuery(
  context: Context<'listUsage' | 'listUsageItems' | 'listInvoices'>,
  kind: string,
): ListQuery | MockResponse {
  const { from, to, limit, cursor } = context.query;
  const fromMs = from === undefined ? undefined : Date.parse(from);
  const toMs = to === undefined ? undefined : Date.parse(to);
  if (fromMs !== undefined && toMs !== undefined && toMs < fromMs)
    return fieldError('to', 'must not be before from');
  let after: CursorKey | null = null;
  if (cursor !== undefined) {
    after = decodeCursor(kind, cursor);
    if (after === null) return fieldError('cursor', 'must be the nextCursor of a previous page of this list');
  }
  return { fromMs, toMs, limit: limit ?? 20, after };
}

const isResponse = (value: ListQuery | MockResponse): value is MockResponse => 'status' in value;

export function listUsageItems(context: Context<'listUsageItems'>): MockResponse {
  const query = listQuery(context, 'usage-items');
  if (isResponse(query)) return query;
  const { fromMs, toMs, limit, after } = query;
  const fetched = takeDesc(organizationOf(context).usageItems, fromMs, toMs, after, limit + 1);
  const page = pageOf(fetched, limit, 'usage-items');
  return ok({ items: page.records.map(usageItemView), nextCursor: page.nextCursor });
}

export function listInvoices(context: Context<'listInvoices'>): MockResponse {
  const query = listQuery(context, 'invoices');
  if (isResponse(query)) return query;
  const { fromMs, toMs, limit, after } = query;
  const fetched = takeDesc(organizationOf(context).invoices, fromMs, toMs, after, limit + 1);
  const page = pageOf(fetched, limit, 'invoices');
  return ok({ items: page.records.map(invoiceView), nextCursor: page.nextCursor });
}

const floorDay = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * Rolled-up usage per UTC day and channel, newest day first (voice, chat, transfer_minute, number
 * within a day). Whole days inside the window come from the records kept as items are added; a
 * day the window cuts (a `from` or `to` that is not midnight) is summed from its items in the
 * window, so every record counts exactly the items of the window.
 */
export function listUsage(context: Context<'listUsage'>): MockResponse {
  const query = listQuery(context, 'usage');
  if (isResponse(query)) return query;
  const { limit, after } = query;
  const org = organizationOf(context);
  const from = query.fromMs ?? Number.NEGATIVE_INFINITY;
  const to = query.toMs ?? Number.POSITIVE_INFINITY;
  const fetched: DailyRecord[] = [];
  const take = (records: readonly DailyRecord[], lo?: number, hi?: number) => {
    const want = limit + 1 - fetched.length;
    if (want > 0) fetched.push(...takeDesc(records, lo, hi, after, want));
  };
  if (from < to) {
    const fullStart = Number.isFinite(from) ? Math.ceil(from / DAY_MS) * DAY_MS : undefined;
    const fullEnd = Number.isFinite(to) ? floorDay(to) : undefined;
    const topCut = fullEnd !== undefined && to > fullEnd;
    if (topCut) take(partialDay(org, Math.max(from, fullEnd), to));
    if ((fullStart ?? Number.NEGATIVE_INFINITY) < (fullEnd ?? Number.POSITIVE_INFINITY))
      take(org.daily, fullStart, fullEnd);
    if (fullStart !== undefined && from < fullStart && !(topCut && floorDay(from) === fullEnd))
      take(partialDay(org, from, Math.min(fullStart, to)));
  }
  const page = pageOf(fetched, limit, 'usage');
  return ok({
    items: page.records.map((record) => ({
      date: isoSeconds(record.timeMs).slice(0, 10),
      channel: record.channel,
      quantity: formatAmount(BigInt(record.quantityUnits), 2),
      credits: formatAmount(BigInt(record.creditUnits), 2),
      itemCount: record.itemCount,
    })),
    nextCursor: page.nextCursor,
  });
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
