import type { Family } from './assets.js';
import { LedgerError } from './errors.js';

/** What an account is. Only `system` accounts (conversion, platform, fees, payments) may go negative. */
export type AccountKind = 'system' | 'admin' | 'user' | 'organization' | 'wallet';

/** The family identifiers callers look accounts up by. */
export type IdentifierKind = 'userId' | 'email' | 'organizationId' | 'apiKey';

/**
 * One way to find an account. Unique per (family, kind, scope, value). `scope` narrows where the
 * value must be unique, e.g. white-label emails are unique per platform (`scope: adminAccountId`)
 * while user ids are unique in the family. Emails match case-insensitively; numbers and their
 * decimal strings are the same value (`123` finds `"123"`).
 */
export interface AccountIdentifier {
  readonly kind: IdentifierKind;
  readonly value: string | number;
  readonly scope?: string;
}

/** Input of `Ledger.openAccount`. */
export interface OpenAccountInput {
  /** Ledger-wide unique id, chosen by the caller (e.g. `wl:user:123`). */
  readonly id: string;
  readonly family: Family;
  readonly kind: AccountKind;
  /** Owning account id (a white-label user's platform admin, a reseller's child's reseller). */
  readonly parent?: string;
  readonly identifiers?: readonly AccountIdentifier[];
}

/** A ledger account (balances are read through the ledger). Immutable view. */
export interface Account {
  readonly id: string;
  readonly family: Family;
  readonly kind: AccountKind;
  readonly parent: string | null;
  readonly identifiers: readonly AccountIdentifier[];
}

/** Internal record: the account plus its compact index and first balance slot. */
export interface AccountRecord {
  account: Account;
  readonly index: number;
  readonly slotBase: number;
}

function identifierKey(
  family: Family,
  kind: IdentifierKind,
  value: string | number,
  scope: string | undefined,
): string {
  const text = kind === 'email' ? String(value).toLowerCase() : String(value);
  return `${family}\u0000${kind}\u0000${scope ?? ''}\u0000${text}`;
}

/** Accounts by id, by compact index and by identifier, all O(1). */
export class AccountRegistry {
  readonly #byId = new Map<string, AccountRecord>();
  readonly #byIndex: AccountRecord[] = [];
  readonly #byIdentifier = new Map<string, AccountRecord>();

  /** Validates and registers an account whose balances start at `slotBase`. */
  open(input: OpenAccountInput, slotBase: number): AccountRecord {
    if (this.#byId.has(input.id))
      throw new LedgerError('account_exists', `account ${input.id} already exists`);
    if (input.parent !== undefined && !this.#byId.has(input.parent)) {
      throw new LedgerError('unknown_account', `parent account ${input.parent} does not exist`, {
        accountId: input.parent,
      });
    }
    const identifiers = input.identifiers ?? [];
    const keys = identifiers.map((id) => identifierKey(input.family, id.kind, id.value, id.scope));
    this.#checkFree(keys, identifiers);
    const record: AccountRecord = {
      account: freezeAccount(input.id, input.family, input.kind, input.parent ?? null, identifiers),
      index: this.#byIndex.length,
      slotBase,
    };
    this.#byId.set(input.id, record);
    this.#byIndex.push(record);
    for (const key of keys) this.#byIdentifier.set(key, record);
    return record;
  }

  /** Adds identifiers to an existing account (e.g. a newly issued API key). */
  addIdentifiers(accountId: string, identifiers: readonly AccountIdentifier[]): Account {
    const record = this.require(accountId);
    const { family, kind, parent } = record.account;
    const keys = identifiers.map((id) => identifierKey(family, id.kind, id.value, id.scope));
    this.#checkFree(keys, identifiers);
    for (const key of keys) this.#byIdentifier.set(key, record);
    record.account = freezeAccount(accountId, family, kind, parent, [
      ...record.account.identifiers,
      ...identifiers,
    ]);
    return record.account;
  }

  /** Removes identifiers from an account (e.g. a revoked token); ones it does not have are ignored. */
  removeIdentifiers(accountId: string, identifiers: readonly AccountIdentifier[]): Account {
    const record = this.require(accountId);
    const { family, kind, parent } = record.account;
    const keyOf = (id: AccountIdentifier) => identifierKey(family, id.kind, id.value, id.scope);
    const gone = new Set(identifiers.map(keyOf));
    for (const key of gone) if (this.#byIdentifier.get(key) === record) this.#byIdentifier.delete(key);
    const kept = record.account.identifiers.filter((id) => !gone.has(keyOf(id)));
    record.account = freezeAccount(accountId, family, kind, parent, kept);
    return record.account;
  }

  get(id: string): AccountRecord | undefined {
    return this.#byId.get(id);
  }

  /** @throws LedgerError `unknown_account`. */
  require(id: string): AccountRecord {
    const record = this.#byId.get(id);
    if (record === undefined) {
      throw new LedgerError('unknown_account', `account ${id} does not exist`, { accountId: id });
    }
    return record;
  }

  at(index: number): AccountRecord {
    const record = this.#byIndex[index];
    if (record === undefined) throw new RangeError(`no account at index ${index}`);
    return record;
  }

  find(family: Family, kind: IdentifierKind, value: string | number, scope?: string): Account | undefined {
    return this.#byIdentifier.get(identifierKey(family, kind, value, scope))?.account;
  }

  all(): readonly AccountRecord[] {
    return this.#byIndex;
  }

  #checkFree(keys: readonly string[], identifiers: readonly AccountIdentifier[]): void {
    const seen = new Set<string>();
    keys.forEach((key, i) => {
      if (this.#byIdentifier.has(key) || seen.has(key)) {
        const id = identifiers[i];
        throw new LedgerError(
          'duplicate_identifier',
          `identifier ${id?.kind} ${String(id?.value)} is already in use`,
        );
      }
      seen.add(key);
    });
  }
}

function freezeAccount(
  id: string,
  family: Family,
  kind: AccountKind,
  parent: string | null,
  identifiers: readonly AccountIdentifier[],
): Account {
  const copies = identifiers.map((identifier) => Object.freeze({ ...identifier }));
  return Object.freeze({ id, family, kind, parent, identifiers: Object.freeze(copies) });
}
