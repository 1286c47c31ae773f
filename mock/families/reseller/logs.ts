import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import { DAY_MS } from '../../ledger/clock.js';
import type { Ledger } from '../../ledger/ledger.js';
import { parseAmount } from '../../ledger/money.js';
import { utcStamp, zonedIso } from './dates.js';
import { resellerValidationError } from './errors.js';
import { isMovementFacts, type MovementType } from './movements.js';
import { USD_SCALE, usd } from './pricing.js';
import {
  type LogRef,
  type ResellerPrincipal,
  type ResellerRecord,
  type ResellerState,
  resellerOf,
} from './state.js';

type Context = SpecContext<ResellerState, ResellerPrincipal, 'listCreditLogs'>;

/**
 * The reseller's transfers, reverts and concurrency changes, newest (last committed) first, by page number. Pages come
 * from the reseller's log index (journal ids and times): without a date filter a page costs
 * O(page size); with one, a scan of the reseller's own log times (never the whole journal). Only
 * the entries on the page are read from the journal.
 */
export function listCreditLogs(context: Context): MockResponse {
  const { ledger, state, query } = context;
  const reseller = resellerOf(state, context.principal.organizationId);
  const page = query.page ?? 1;
  const pageSize = query.page_size ?? 20;
  const fromMs = dayStartMs(query.date_from);
  const toMs = dayStartMs(query.date_to);
  const endMs = toMs === undefined ? undefined : toMs + DAY_MS;
  if (fromMs !== undefined && endMs !== undefined && endMs <= fromMs)
    return resellerValidationError({ date_to: ['must not be before date_from'] });

  const refs = inWindow(reseller, fromMs, endMs);
  const total = refs.length;
  // refs are in commit order: page 1 is the tail, read backwards.
  const end = total - (page - 1) * pageSize;
  const start = Math.max(0, end - pageSize);
  const logs: unknown[] = [];
  for (let i = end - 1; i >= start; i -= 1) {
    const ref = refs[i];
    if (ref !== undefined) logs.push(render(ledger, state, reseller, ref[0]));
  }
  return {
    status: 200,
    body: {
      success: true,
      data: {
        logs,
        total_records: total,
        page,
        page_size: pageSize,
        total_pages: Math.ceil(total / pageSize),
      },
    },
  };
}

function dayStartMs(value: string | undefined): number | undefined {
  return value === undefined ? undefined : Date.parse(`${value}T00:00:00Z`);
}

function inWindow(
  reseller: ResellerRecord,
  fromMs: number | undefined,
  endMs: number | undefined,
): readonly LogRef[] {
  if (fromMs === undefined && endMs === undefined) return reseller.logs;
  return reseller.logs.filter(
    ([, timeMs]) => (fromMs === undefined || timeMs >= fromMs) && (endMs === undefined || timeMs < endMs),
  );
}

const REFERENCE_PREFIX: Record<MovementType, string> = {
  credit_transfer: 'CT',
  credit_revert: 'CR',
  concurrency_change: 'CH',
};

function render(
  ledger: Ledger,
  state: ResellerState,
  reseller: ResellerRecord,
  journalId: number,
): Record<string, unknown> {
  const entry = ledger.entry(journalId);
  // The log index only holds entries this family's movements committed (movements.ts).
  if (entry === undefined || !isMovementFacts(entry.metadata))
    throw new Error(`reseller log entry ${journalId} is not a movement in the journal`);
  const facts = entry.metadata;
  const amount = (text: string): number => usd(parseAmount(text, USD_SCALE));
  const organization = (organizationId: number) => ({
    id: organizationId,
    name:
      organizationId === reseller.organizationId
        ? reseller.name
        : (state.children[organizationId]?.name ?? String(organizationId)),
  });
  const childId = facts.type === 'credit_revert' ? facts.fromOrganization : facts.toOrganization;
  return {
    id: entry.id,
    transfer_reference: `${REFERENCE_PREFIX[facts.type]}-${utcStamp(entry.timeMs)}-${reseller.organizationId}-${childId}`,
    reseller_organization: organization(facts.resellerOrganization),
    from_organization: organization(facts.fromOrganization),
    to_organization: organization(facts.toOrganization),
    credit_amount: amount(facts.creditAmount),
    cost_amount: amount(facts.costAmount),
    from_balance_before: amount(facts.fromBalanceBefore),
    from_balance_after: amount(facts.fromBalanceAfter),
    to_balance_before: amount(facts.toBalanceBefore),
    to_balance_after: amount(facts.toBalanceAfter),
    transfer_date: zonedIso(entry.timeMs, reseller.timezone),
    performed_by: reseller.admin,
    status: 'success',
    transaction_type: facts.type,
    channels_count: facts.newChannels - facts.previousChannels,
    previous_channels: facts.previousChannels,
    new_channels: facts.newChannels,
    notes: facts.notes,
  };
}
