import { idTable } from '../../family-kit/id-table.js';
import type { Ledger } from '../../ledger/ledger.js';

/** A user of a child organization, as `GET /reseller/organizations` lists it. */
export interface ChildUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  /** With country code; null when none was given (the list answers `false`, as the page shows). */
  readonly phone: string | null;
  /** `YYYY-MM-DD`, or null. */
  readonly expiryDate: string | null;
  /** Last login as the page renders it (`2026-04-23T11:00:06.685330`), or null: no login endpoint here. */
  readonly loginDate: string | null;
}

/** Who performs a reseller's operations (`performed_by` of the credit logs). */
export interface ResellerAdmin {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
}

/** One transfer, revert or concurrency change of a reseller: its journal entry and commit time. */
export type LogRef = readonly [journalId: number, timeMs: number];

/**
 * A reseller organization (the holder of an API key). Its USD balance and its shared pool of
 * concurrency slots (unallocated `slots`) live in the ledger.
 */
export interface ResellerRecord {
  readonly organizationId: number;
  readonly accountId: string;
  readonly name: string;
  /** Wholesale USD per minute as decimal text (at most 4 decimals). */
  readonly resellerRate: string;
  readonly admin: ResellerAdmin;
  /** IANA time zone: credit-log dates are rendered with its UTC offset. */
  readonly timezone: string;
  /** Direct children, in creation order. */
  readonly childIds: number[];
  /**
   * The reseller's transfers, reverts and concurrency changes in commit order: the logs endpoint pages over this index
   * instead of walking the journal, so a page costs O(page) without date filters.
   */
  readonly logs: LogRef[];
}

/**
 * A direct child organization of one reseller. Its USD balance and its concurrent call limit
 * (`slots` allocated from the reseller's pool) live in the ledger.
 */
export interface ChildRecord {
  readonly organizationId: number;
  readonly accountId: string;
  readonly resellerId: number;
  readonly name: string;
  /** USD per minute the child is charged, as decimal text; a transfer sets it to the price sold at. */
  costPerMin: string;
  /** ISO 4217 code of the child's users (`user_currency`). */
  readonly currency: string;
  readonly timezone: string;
  readonly createdDate: string;
  readonly users: ChildUser[];
}

/** The family's own data (plain JSON: snapshots store it as it is). */
export interface ResellerState {
  /** By organization id (decimal text keys). */
  readonly resellers: Record<string, ResellerRecord>;
  readonly children: Record<string, ChildRecord>;
  nextOrganizationId: number;
  nextUserId: number;
}

/** Who is calling: a reseller organization. */
export interface ResellerPrincipal {
  readonly organizationId: number;
}

export const FAMILY = 'reseller';
export const USD = 'usd';
/** Concurrency slots: the reseller's pool and each child's concurrent call limit (whole slots). */
export const SLOTS = 'slots';
export const OPENING_ACCOUNT = 'reseller:opening';
export const PLATFORM_ACCOUNT = 'reseller:platform';
/** Seed defaults: a reseller's pool of unallocated slots, and a seeded child's limit. */
export const DEFAULT_RESELLER_CALL_LIMIT = 10;
export const DEFAULT_CHILD_CALL_LIMIT = 5;
/** Highest concurrent call limit a request may set (decided: a bound on every input). */
export const MAX_CALL_LIMIT = 1_000_000;

export const organizationAccountId = (organizationId: number): string =>
  `reseller:organization:${organizationId}`;

export function emptyState(): ResellerState {
  return { resellers: idTable(), children: idTable(), nextOrganizationId: 1, nextUserId: 1 };
}

/** The reseller record of an organization id (own properties only: keys come from requests). */
export function resellerOf(state: ResellerState, organizationId: number): ResellerRecord {
  const record = Object.hasOwn(state.resellers, organizationId) ? state.resellers[organizationId] : undefined;
  if (record === undefined) throw new Error(`reseller organization ${organizationId} is not in the state`);
  return record;
}

/** A child organization the state lists (a reseller's `childIds`); throws when it is missing. */
export function childOf(state: ResellerState, organizationId: number): ChildRecord {
  const child = Object.hasOwn(state.children, organizationId) ? state.children[organizationId] : undefined;
  if (child === undefined) throw new Error(`child organization ${organizationId} is not in the state`);
  return child;
}

/**
 * The child `organizationId` if it is a direct child of `reseller`, else undefined. Unknown ids, other
 * resellers' children and resellers themselves all come back undefined: callers answer them alike.
 */
export function directChild(
  state: ResellerState,
  reseller: ResellerRecord,
  organizationId: number,
): ChildRecord | undefined {
  const child = Object.hasOwn(state.children, organizationId) ? state.children[organizationId] : undefined;
  return child !== undefined && child.resellerId === reseller.organizationId ? child : undefined;
}

/** USD balance of an organization account, in micro-dollars. */
export function balanceOf(ledger: Ledger, accountId: string): bigint {
  return ledger.balance(accountId, USD);
}

/** Concurrency slots of an organization account: a reseller's free pool, a child's limit. */
export function slotsOf(ledger: Ledger, accountId: string): number {
  return Number(ledger.balance(accountId, SLOTS));
}
