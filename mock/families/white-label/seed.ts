import { SeedError } from '../../family-kit/family.js';
import { idTable, seedId } from '../../family-kit/id-table.js';
import type { Posting } from '../../ledger/journal.js';
import type { Ledger } from '../../ledger/ledger.js';
import { AmountError, parseAmount } from '../../ledger/money.js';
import type { SeedSection } from '../../seed-types.js';
import {
  adminAccountId,
  CONVERSION_ACCOUNT,
  DEFAULT_USD_PER_MINUTE,
  FAMILY,
  laravelTimestamp,
  OPENING_ACCOUNT,
  SCALE,
  userAccountId,
  userKey,
  type WhiteLabelState,
} from './state.js';

type SeedWhiteLabel = SeedSection<'whiteLabel'>;

/**
 * Opens the platforms' admin and user accounts and posts their seed balances from the opening
 * account in one entry. The seed already passed openapi.yaml's schema; this checks what it cannot:
 * user ids and emails unique per platform, keys unique, amounts at scale.
 */
export function seedWhiteLabel(ledger: Ledger, input: SeedWhiteLabel | undefined): WhiteLabelState {
  const state: WhiteLabelState = {
    platforms: [],
    users: idTable(),
    nextUserId: 1,
    tokensIssued: 0,
    tokens: idTable(),
    calls: [],
  };
  if (input === undefined) return state;
  checkUnique(input);
  const clock = ledger.clock;
  const createdAt = laravelTimestamp(clock.isoNow());
  ledger.openAccount({ id: OPENING_ACCOUNT, family: FAMILY, kind: 'system' });
  ledger.openAccount({ id: CONVERSION_ACCOUNT, family: FAMILY, kind: 'system' });
  const postings: Posting[] = [];
  const open = (accountId: string, asset: string, value: number, path: string): void => {
    const amount = seedAmount(value, path);
    if (amount > 0n) postings.push({ debit: OPENING_ACCOUNT, credit: accountId, asset, amount });
  };

  input.platforms.forEach((platform, index) => {
    const path = `whiteLabel.platforms[${index}]`;
    const adminId = adminAccountId(index);
    ledger.openAccount({
      id: adminId,
      family: FAMILY,
      kind: 'admin',
      identifiers: [{ kind: 'apiKey', value: platform.adminKey }],
    });
    open(adminId, 'minutes', platform.minutes, `${path}.minutes`);
    const userIds: number[] = [];
    state.platforms.push({
      adminAccountId: adminId,
      adminName: platform.adminName ?? `Platform admin ${index + 1}`,
      adminEmail: platform.adminEmail ?? `admin-${index + 1}@white-label.invalid`,
      userIds,
      usdPerMinute: platform.usdPerMinute ?? DEFAULT_USD_PER_MINUTE,
    });
    platform.users.forEach((user, u) => {
      const userId = userAccountId(index, user.id);
      ledger.openAccount({
        id: userId,
        family: FAMILY,
        kind: 'user',
        parent: adminId,
        identifiers: [
          { kind: 'userId', value: user.id, scope: adminId },
          { kind: 'email', value: user.email, scope: adminId },
        ],
      });
      open(userId, 'minutes', user.minutes, `${path}.users[${u}].minutes`);
      open(userId, 'credits', user.credits, `${path}.users[${u}].credits`);
      userIds.push(user.id);
      state.users[userKey(index, user.id)] = {
        id: user.id,
        name: user.name,
        email: user.email,
        platform: index,
        timezone: 'UTC',
        createdAt,
        password: user.password ?? null,
      };
      state.nextUserId = Math.max(state.nextUserId, user.id + 1);
    });
  });
  seedUserKeys(ledger, state, input.userKeys ?? []);
  if (postings.length > 0) ledger.commit({ family: FAMILY, operation: 'opening', postings });
  return state;
}

/**
 * Seed `userKeys` are tokens of regular users without saying which user: they belong to the first
 * user of the first platform that has users (documented in docs/decisions.md).
 */
function seedUserKeys(ledger: Ledger, state: WhiteLabelState, keys: readonly string[]): void {
  if (keys.length === 0) return;
  const platform = state.platforms.findIndex((candidate) => candidate.userIds.length > 0);
  const owner = state.platforms[platform]?.userIds[0];
  if (owner === undefined) throw new SeedError('whiteLabel.userKeys', 'needs at least one user to belong to');
  ledger.addIdentifiers(
    userAccountId(platform, owner),
    keys.map((value) => ({ kind: 'apiKey' as const, value })),
  );
}

function checkUnique(input: SeedWhiteLabel): void {
  const keys = new Set<string>();
  const claimKey = (key: string, path: string): void => {
    seedId(key, path);
    if (keys.has(key)) throw new SeedError(path, `key ${key} is used twice`);
    keys.add(key);
  };
  input.platforms.forEach((platform, index) => {
    const path = `whiteLabel.platforms[${index}]`;
    claimKey(platform.adminKey, `${path}.adminKey`);
    const emails = new Set<string>();
    const userIds = new Set<number>();
    platform.users.forEach((user, u) => {
      if (userIds.has(user.id))
        throw new SeedError(`${path}.users[${u}].id`, `user id ${user.id} is used twice in the platform`);
      userIds.add(user.id);
      const email = user.email.toLowerCase();
      if (emails.has(email)) {
        throw new SeedError(`${path}.users[${u}].email`, `email ${user.email} is used twice in the platform`);
      }
      emails.add(email);
    });
  });
  for (const [k, key] of (input.userKeys ?? []).entries()) claimKey(key, `whiteLabel.userKeys[${k}]`);
}

function seedAmount(value: number, path: string): bigint {
  try {
    const amount = parseAmount(value, SCALE, { field: path });
    if (amount < 0n) throw new SeedError(path, 'must not be negative');
    return amount;
  } catch (error) {
    if (error instanceof AmountError) throw new SeedError(path, error.message);
    throw error;
  }
}
