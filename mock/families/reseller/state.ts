import type { Ledger } from '../../ledger/ledger.js';

/** A user of a child organization, as `GET /reseller/organizations` lists it. */
export interface ChildUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
}

/** One transfer or revert of a reseller: its journal entry and when it was committed. */
export type LogRef = readonly [journalId: number, timeMs: number];

/** A reseller organization (the holder of an API key). Its USD balance lives in the ledger. */
export interface ResellerRecord {
  readonly organizationId: number;
  readonly accountId: string;
  readonly name: string;
  /** Wholesale USD per minute as decimal text (at most 4 decimals). */
  readonly resellerRate: string;
  readonly concurrentCallLimit: number;
  /** Direct children, in creation order. */
  readonly childIds: number[];
  /**
   * The reseller's transfers and reverts in commit order: the logs endpoint pages over this index
   * instead of walking the journal, so a page costs O(page) without date filters.
   */
  readonly logs: LogRef[];
}

/** A direct child organization of one reseller. Its USD balance lives in the ledger. */
export interface ChildRecord {
  readonly organizationId: number;
  readonly accountId: string;
  readonly resellerId: number;
  readonly name: string;
  /** USD per minute the child is charged, as decimal text; a transfer sets it to the price sold at. */
  costPerMin: string;
  readonly concurrentCallLimit: number;
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
export const OPENING_ACCOUNT = 'reseller:opening';
export const PLATFORM_ACCOUNT = 'reseller:platform';
export const DEFAULT_RESELLER_CALL_LIMIT = 10;
export const DEFAULT_CHILD_CALL_LIMIT = 5;

export const organizationAccountId = (organizationId: number): string =>
  `reseller:organization:${organizationId}`;

export function emptyState(): ResellerState {
  return { resellers: {}, children: {}, nextOrganizationId: 1, nextUserId: 1 };
}

/** The reseller record of an organization id (own properties only: keys come from requests). */
export function resellerOf(state: ResellerState, organizationId: number): ResellerRecord {
  const record = Object.hasOwn(state.resellers, organizationId) ? state.resellers[organizationId] : undefined;
  if (record === undefined) throw new Error(`reseller organization ${organizationId} is not in the state`);
  return record;
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
