import { SeedError } from '../../family-kit/family.js';
import { idTable, seedId } from '../../family-kit/id-table.js';
import type { Posting } from '../../ledger/journal.js';
import type { Ledger } from '../../ledger/ledger.js';
import type { SeedSection } from '../../seed-types.js';
import { newJwtSecret } from './jwt.js';
import {
  type CreditSendState,
  DEFAULT_FEE_CREDITS,
  FAMILY,
  FEES_ACCOUNT,
  OPENING_ACCOUNT,
  userAccountId,
} from './state.js';

type SeedCreditSend = SeedSection<'creditSend'>;

/**
 * Opens every user's account and posts the seed credits from the opening account in one entry. The
 * schema already checked types and ranges; this checks what it cannot: organization and user ids,
 * emails and codes unique in the family (login names no organization, so emails and codes must be).
 */
export function seedCreditSend(ledger: Ledger, input: SeedCreditSend | undefined): CreditSendState {
  const state: CreditSendState = {
    feeCredits: DEFAULT_FEE_CREDITS,
    jwtSecret: newJwtSecret(),
    users: idTable(),
    userIdsByCode: idTable(),
    oneTimeTokensIssued: 0,
    spentTokenIds: idTable(),
  };
  if (input === undefined) return state;
  checkUnique(input);
  const seeded: CreditSendState = { ...state, feeCredits: input.feeCredits ?? DEFAULT_FEE_CREDITS };
  ledger.openAccount({ id: OPENING_ACCOUNT, family: FAMILY, kind: 'system' });
  ledger.openAccount({ id: FEES_ACCOUNT, family: FAMILY, kind: 'system' });
  const postings: Posting[] = [];
  for (const organization of input.organizations) {
    for (const user of organization.users) {
      const accountId = userAccountId(user.id);
      ledger.openAccount({
        id: accountId,
        family: FAMILY,
        kind: 'user',
        identifiers: [
          { kind: 'userId', value: user.id },
          { kind: 'email', value: user.email },
        ],
      });
      seeded.users[String(user.id)] = {
        id: user.id,
        email: user.email,
        secret: user.secret,
        organizationId: organization.id,
        code: user.code ?? null,
      };
      if (user.code !== undefined) seeded.userIdsByCode[user.code] = user.id;
      if (user.credits > 0) {
        postings.push({
          debit: OPENING_ACCOUNT,
          credit: accountId,
          asset: 'credits',
          amount: BigInt(user.credits),
        });
      }
    }
  }
  if (postings.length > 0) ledger.commit({ family: FAMILY, operation: 'opening', postings });
  return seeded;
}

function checkUnique(input: SeedCreditSend): void {
  const organizations = new Set<number>();
  const users = new Set<number>();
  const emails = new Set<string>();
  const codes = new Set<string>();
  input.organizations.forEach((organization, o) => {
    const path = `creditSend.organizations[${o}]`;
    if (organizations.has(organization.id)) {
      throw new SeedError(`${path}.id`, `organization id ${organization.id} is used twice`);
    }
    organizations.add(organization.id);
    organization.users.forEach((user, u) => {
      if (users.has(user.id))
        throw new SeedError(`${path}.users[${u}].id`, `user id ${user.id} is used twice`);
      users.add(user.id);
      const email = user.email.toLowerCase();
      if (emails.has(email))
        throw new SeedError(`${path}.users[${u}].email`, `email ${user.email} is used twice`);
      emails.add(email);
      if (user.code === undefined) return;
      seedId(user.code, `${path}.users[${u}].code`);
      if (codes.has(user.code))
        throw new SeedError(`${path}.users[${u}].code`, `code ${user.code} is used twice`);
      codes.add(user.code);
    });
  });
}
