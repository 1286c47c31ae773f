import { SeedError } from '../../family-kit/family.js';
import { seedId } from '../../family-kit/id-table.js';
import type { AccountIdentifier } from '../../ledger/accounts.js';
import type { Ledger } from '../../ledger/ledger.js';
import { AmountError, parseAmount } from '../../ledger/money.js';
import { parseRate, RATE_SCALE, rateText, USD_SCALE } from './pricing.js';
import {
  type ChildRecord,
  type ChildUser,
  DEFAULT_CHILD_CALL_LIMIT,
  DEFAULT_RESELLER_CALL_LIMIT,
  emptyState,
  FAMILY,
  MAX_CALL_LIMIT,
  OPENING_ACCOUNT,
  organizationAccountId,
  PLATFORM_ACCOUNT,
  type ResellerRecord,
  type ResellerState,
  SLOTS,
  USD,
} from './state.js';

type Raw = Record<string, unknown>;

// The seed was checked against openapi.yaml's `Seed` schema by loadSeed; these readers still name the
// field when a caller hands `seed()` something else, and check what a schema cannot.
const isObject = (value: unknown): value is Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function object(value: unknown, path: string): Raw {
  if (!isObject(value)) throw new SeedError(path, 'must be an object');
  return value;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new SeedError(path, 'must be an array');
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string' || value === '') throw new SeedError(path, 'must be a non-empty string');
  return value;
}

function id(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new SeedError(path, 'must be an integer >= 1');
  return value;
}

function money(value: unknown, path: string, scale: number, positive: boolean): bigint {
  if (typeof value !== 'number') throw new SeedError(path, 'must be a number');
  let units: bigint;
  try {
    units = scale === RATE_SCALE ? parseRate(value, path) : parseAmount(value, scale, { field: path });
  } catch (error) {
    if (error instanceof AmountError) throw new SeedError(path, error.message.replace(`${path} `, ''));
    throw error;
  }
  if (positive ? units <= 0n : units < 0n)
    throw new SeedError(path, positive ? 'must be > 0' : 'must be >= 0');
  return units;
}

function optionalText(value: unknown, path: string, fallback: string): string {
  return value === undefined ? fallback : text(value, path);
}

/** A concurrent call limit (whole slots, 0..MAX_CALL_LIMIT), or `fallback` when absent. */
function slots(value: unknown, path: string, fallback: number): bigint {
  if (value === undefined) return BigInt(fallback);
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > MAX_CALL_LIMIT)
    throw new SeedError(path, `must be an integer 0..${MAX_CALL_LIMIT}`);
  return BigInt(value);
}

/** An IANA time zone name the runtime knows (credit-log dates are rendered in it). */
function timeZone(value: unknown, path: string): string {
  const zone = optionalText(value, path, 'UTC');
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new SeedError(path, `must be an IANA time zone such as "Asia/Kolkata" (got "${zone}")`);
  }
  return zone;
}

interface Opening {
  readonly accountId: string;
  readonly parent?: string;
  readonly identifiers: AccountIdentifier[];
  readonly units: bigint;
  /** Concurrency slots: the reseller's free pool, or the child's limit. */
  readonly slots: bigint;
}

/**
 * Opens one account per organization (resellers and children, keyed by the family-unique
 * organization id; resellers also by API key) and posts seed balances from `reseller:opening`.
 * A family left out of the seed has no accounts. Everything is checked before the first account
 * opens, so a SeedError leaves the ledger untouched.
 */
export function seedReseller(ledger: Ledger, seed: unknown): ResellerState {
  const state = emptyState();
  if (seed === undefined || seed === null) return state;
  const root = object(seed, 'reseller');
  const organizationIds = new Set<number>();
  const apiKeys = new Set<string>();
  const userIds = new Set<number>();
  const unnumbered: { users: ChildUser[]; index: number }[] = [];
  const openings: Opening[] = [];
  const claimOrganization = (value: unknown, path: string): number => {
    const organizationId = id(value, path);
    if (organizationIds.has(organizationId))
      throw new SeedError(path, `organization ${organizationId} is listed twice`);
    organizationIds.add(organizationId);
    return organizationId;
  };

  list(root.resellers, 'reseller.resellers').forEach((rawReseller, r) => {
    const path = `reseller.resellers[${r}]`;
    const reseller = object(rawReseller, path);
    const apiKey = seedId(text(reseller.apiKey, `${path}.apiKey`), `${path}.apiKey`);
    if (apiKeys.has(apiKey)) throw new SeedError(`${path}.apiKey`, 'is used by another reseller');
    apiKeys.add(apiKey);
    const organizationId = claimOrganization(reseller.organizationId, `${path}.organizationId`);
    const rateUnits = money(reseller.resellerRate, `${path}.resellerRate`, RATE_SCALE, true);
    const name = text(reseller.name, `${path}.name`);
    const admin = reseller.admin === undefined ? undefined : object(reseller.admin, `${path}.admin`);
    const record: ResellerRecord = {
      organizationId,
      accountId: organizationAccountId(organizationId),
      name,
      resellerRate: rateText(rateUnits),
      // Without a seeded admin the organization itself is named as the performer.
      admin:
        admin === undefined
          ? { id: organizationId, name, email: null }
          : {
              id: id(admin.id, `${path}.admin.id`),
              name: text(admin.name, `${path}.admin.name`),
              email: admin.email === undefined ? null : text(admin.email, `${path}.admin.email`),
            },
      timezone: timeZone(reseller.timezone, `${path}.timezone`),
      childIds: [],
      logs: [],
    };
    openings.push({
      accountId: record.accountId,
      identifiers: [
        { kind: 'organizationId', value: organizationId },
        { kind: 'apiKey', value: apiKey },
      ],
      units: money(reseller.balance, `${path}.balance`, USD_SCALE, false),
      slots: slots(reseller.concurrentCallLimit, `${path}.concurrentCallLimit`, DEFAULT_RESELLER_CALL_LIMIT),
    });
    state.resellers[organizationId] = record;
    // Emails are unique per reseller: a family-wide check would let one reseller probe another's users.
    const emails = new Set<string>();

    list(reseller.children, `${path}.children`).forEach((rawChild, c) => {
      const childPath = `${path}.children[${c}]`;
      const child = object(rawChild, childPath);
      const childId = claimOrganization(child.organizationId, `${childPath}.organizationId`);
      const priceUnits = money(child.costPerMin, `${childPath}.costPerMin`, RATE_SCALE, true);
      if (priceUnits < rateUnits)
        throw new SeedError(
          `${childPath}.costPerMin`,
          `must be at least the reseller rate ${record.resellerRate}`,
        );
      const users: ChildUser[] = [];
      list(child.users ?? [], `${childPath}.users`).forEach((rawUser, u) => {
        const userPath = `${childPath}.users[${u}]`;
        const user = object(rawUser, userPath);
        const email = text(user.email, `${userPath}.email`);
        if (emails.has(email.toLowerCase()))
          throw new SeedError(`${userPath}.email`, 'is used by another user of this reseller');
        emails.add(email.toLowerCase());
        let userId = 0;
        if (user.id !== undefined) {
          userId = id(user.id, `${userPath}.id`);
          if (userIds.has(userId)) throw new SeedError(`${userPath}.id`, `user ${userId} is listed twice`);
          userIds.add(userId);
        } else unnumbered.push({ users, index: u });
        users.push({
          id: userId,
          name: text(user.name, `${userPath}.name`),
          email,
          phone: user.phone === undefined ? null : text(user.phone, `${userPath}.phone`),
          expiryDate: user.expiryDate === undefined ? null : text(user.expiryDate, `${userPath}.expiryDate`),
          loginDate: user.loginDate === undefined ? null : text(user.loginDate, `${userPath}.loginDate`),
        });
      });
      const childRecord: ChildRecord = {
        organizationId: childId,
        accountId: organizationAccountId(childId),
        resellerId: organizationId,
        name: text(child.name, `${childPath}.name`),
        costPerMin: rateText(priceUnits),
        currency: optionalText(child.currency, `${childPath}.currency`, 'USD'),
        timezone: optionalText(child.timezone, `${childPath}.timezone`, 'UTC'),
        createdDate: optionalText(child.createdDate, `${childPath}.createdDate`, createdNow(ledger)),
        users,
      };
      openings.push({
        accountId: childRecord.accountId,
        parent: record.accountId,
        identifiers: [{ kind: 'organizationId', value: childId }],
        units: money(child.balance, `${childPath}.balance`, USD_SCALE, false),
        slots: slots(child.concurrentCallLimit, `${childPath}.concurrentCallLimit`, DEFAULT_CHILD_CALL_LIMIT),
      });
      state.children[childId] = childRecord;
      record.childIds.push(childId);
    });
  });

  // Ids the seed left out come after every id it gave, so none is ever reused.
  state.nextUserId = maxOf(userIds, 9000) + 1;
  for (const { users, index } of unnumbered) {
    const user = users[index];
    if (user) users[index] = { ...user, id: state.nextUserId++ };
  }
  state.nextOrganizationId = maxOf(organizationIds, 0) + 1;

  ledger.openAccount({ id: OPENING_ACCOUNT, family: FAMILY, kind: 'system' });
  ledger.openAccount({ id: PLATFORM_ACCOUNT, family: FAMILY, kind: 'system' });
  for (const { accountId, parent, identifiers } of openings) {
    ledger.openAccount({
      id: accountId,
      family: FAMILY,
      kind: 'organization',
      identifiers,
      ...(parent === undefined ? {} : { parent }),
    });
  }
  // Slots are posted from the opening account like money: the seed's pool and limits are where the
  // conservation of slots starts.
  const postings = openings.flatMap(({ accountId, units, slots: slotUnits }) => [
    ...(units > 0n ? [{ debit: OPENING_ACCOUNT, credit: accountId, asset: USD, amount: units }] : []),
    ...(slotUnits > 0n
      ? [{ debit: OPENING_ACCOUNT, credit: accountId, asset: SLOTS, amount: slotUnits }]
      : []),
  ]);
  if (postings.length > 0) ledger.commit({ family: FAMILY, operation: 'opening', postings });
  return state;
}

/**
 * `created_date` as the organizations page renders it: UTC with microseconds and no zone designator
 * (`2025-10-09T10:20:58.220633`).
 */
export function createdNow(ledger: Ledger): string {
  return `${ledger.clock.isoNow().slice(0, 23)}000`;
}

// A loop, not Math.max(...ids): spreading a large seed's ids would overflow the call stack.
function maxOf(values: Iterable<number>, floor: number): number {
  let max = floor;
  for (const value of values) if (value > max) max = value;
  return max;
}
