import { describe, expect, it } from 'vitest';
import { BUILTIN_ASSETS } from '../../mock/families/index.js';
import { Ledger } from '../../mock/ledger/index.js';
import { refusal } from './support.js';

function whiteLabel(): Ledger {
  const ledger = new Ledger({ assets: BUILTIN_ASSETS });
  ledger.openAccount({
    id: 'wl:admin:1',
    family: 'white-label',
    kind: 'admin',
    identifiers: [{ kind: 'apiKey', value: 'wl_admin_demo' }],
  });
  ledger.openAccount({
    id: 'wl:user:123',
    family: 'white-label',
    kind: 'user',
    parent: 'wl:admin:1',
    identifiers: [
      { kind: 'userId', value: 123 },
      { kind: 'email', value: 'User@Example.com', scope: 'wl:admin:1' },
    ],
  });
  return ledger;
}

describe('accounts', () => {
  it('opens with zero balances in every asset of the family', () => {
    const ledger = whiteLabel();
    expect(ledger.balances('wl:user:123')).toEqual({ minutes: 0n, credits: 0n });
    expect(ledger.account('wl:user:123')).toMatchObject({
      family: 'white-label',
      kind: 'user',
      parent: 'wl:admin:1',
    });
  });

  it('finds accounts by family identifiers; numbers match their strings, emails ignore case', () => {
    const ledger = whiteLabel();
    expect(ledger.findAccount('white-label', 'apiKey', 'wl_admin_demo')?.id).toBe('wl:admin:1');
    expect(ledger.findAccount('white-label', 'userId', 123)?.id).toBe('wl:user:123');
    expect(ledger.findAccount('white-label', 'userId', '123')?.id).toBe('wl:user:123');
    expect(ledger.findAccount('white-label', 'email', 'user@example.COM', 'wl:admin:1')?.id).toBe(
      'wl:user:123',
    );
  });

  it('keeps identifiers apart by family and scope', () => {
    const ledger = whiteLabel();
    expect(ledger.findAccount('reseller', 'userId', 123)).toBeUndefined();
    expect(ledger.findAccount('white-label', 'email', 'user@example.com')).toBeUndefined();
    expect(ledger.findAccount('white-label', 'email', 'user@example.com', 'wl:admin:2')).toBeUndefined();
  });

  it('adds identifiers later (a newly issued key)', () => {
    const ledger = whiteLabel();
    ledger.addIdentifiers('wl:admin:1', [{ kind: 'apiKey', value: 'wl_admin_second' }]);
    expect(ledger.findAccount('white-label', 'apiKey', 'wl_admin_second')?.id).toBe('wl:admin:1');
    expect(ledger.account('wl:admin:1')?.identifiers).toHaveLength(2);
  });

  it('refuses duplicate ids, duplicate identifiers and unknown parents', () => {
    const ledger = whiteLabel();
    const attempts: [() => unknown, string][] = [
      [
        () => ledger.openAccount({ id: 'wl:admin:1', family: 'white-label', kind: 'admin' }),
        'account_exists',
      ],
      [
        () =>
          ledger.openAccount({
            id: 'wl:user:124',
            family: 'white-label',
            kind: 'user',
            identifiers: [{ kind: 'userId', value: '123' }],
          }),
        'duplicate_identifier',
      ],
      [
        () => ledger.addIdentifiers('wl:user:123', [{ kind: 'apiKey', value: 'wl_admin_demo' }]),
        'duplicate_identifier',
      ],
      [
        () => ledger.openAccount({ id: 'x', family: 'white-label', kind: 'user', parent: 'nope' }),
        'unknown_account',
      ],
      [() => ledger.balance('nope', 'minutes'), 'unknown_account'],
      [() => ledger.balance('wl:user:123', 'usd'), 'unknown_asset'],
    ];
    for (const [attempt, code] of attempts) expect(refusal(attempt).code).toBe(code);
    // A refused account leaves no trace: its id and identifiers stay free.
    expect(ledger.account('wl:user:124')).toBeUndefined();
    expect(ledger.accounts()).toHaveLength(2);
  });

  // The refusals' messages and accountId are what a family's error body is built from.
  it('names what is at fault in its refusals', () => {
    const ledger = whiteLabel();
    const exists = refusal(() =>
      ledger.openAccount({ id: 'wl:admin:1', family: 'white-label', kind: 'admin' }),
    );
    expect(exists.message).toBe('account wl:admin:1 already exists');
    const orphan = refusal(() =>
      ledger.openAccount({ id: 'wl:user:9', family: 'white-label', kind: 'user', parent: 'wl:admin:2' }),
    );
    expect(orphan).toMatchObject({
      message: 'parent account wl:admin:2 does not exist',
      accountId: 'wl:admin:2',
    });
    const unknown = refusal(() => ledger.addIdentifiers('wl:user:9', []));
    expect(unknown).toMatchObject({ message: 'account wl:user:9 does not exist', accountId: 'wl:user:9' });
    const taken = refusal(() => ledger.addIdentifiers('wl:admin:1', [{ kind: 'userId', value: '123' }]));
    expect(taken.message).toBe('identifier userId 123 is already in use');
  });

  it('folds the case of emails only: API keys differ by case, and so do two addresses that fold alike', () => {
    const ledger = whiteLabel();
    expect(ledger.findAccount('white-label', 'apiKey', 'WL_ADMIN_DEMO')).toBeUndefined();
    ledger.addIdentifiers('wl:user:123', [{ kind: 'apiKey', value: 'WL_ADMIN_DEMO' }]);
    expect(ledger.findAccount('white-label', 'apiKey', 'WL_ADMIN_DEMO')?.id).toBe('wl:user:123');
    // "straße" and "strasse" are two mailboxes (both upper-case to STRASSE).
    ledger.addIdentifiers('wl:admin:1', [{ kind: 'email', value: 'straße@example.com' }]);
    ledger.addIdentifiers('wl:user:123', [{ kind: 'email', value: 'strasse@example.com' }]);
    expect(ledger.findAccount('white-label', 'email', 'STRAßE@example.com')?.id).toBe('wl:admin:1');
  });

  it('removes identifiers (a revoked key): the account keeps its others, the removed one is free again', () => {
    const ledger = whiteLabel();
    ledger.addIdentifiers('wl:admin:1', [{ kind: 'apiKey', value: 'wl_admin_second' }]);
    const account = ledger.removeIdentifiers('wl:admin:1', [{ kind: 'apiKey', value: 'wl_admin_demo' }]);
    expect(account.identifiers).toEqual([{ kind: 'apiKey', value: 'wl_admin_second' }]);
    expect(ledger.account('wl:admin:1')).toBe(account);
    expect(ledger.findAccount('white-label', 'apiKey', 'wl_admin_demo')).toBeUndefined();
    expect(ledger.findAccount('white-label', 'apiKey', 'wl_admin_second')?.id).toBe('wl:admin:1');
    ledger.addIdentifiers('wl:user:123', [{ kind: 'apiKey', value: 'wl_admin_demo' }]);
    expect(ledger.findAccount('white-label', 'apiKey', 'wl_admin_demo')?.id).toBe('wl:user:123');
  });

  it("ignores identifiers the account does not have, even another account's", () => {
    const ledger = whiteLabel();
    const account = ledger.removeIdentifiers('wl:admin:1', [{ kind: 'userId', value: 123 }]);
    expect(account.identifiers).toEqual([{ kind: 'apiKey', value: 'wl_admin_demo' }]);
    expect(ledger.findAccount('white-label', 'userId', 123)?.id).toBe('wl:user:123');
  });

  it('hands out immutable account views', () => {
    const account = whiteLabel().account('wl:user:123');
    expect(Object.isFrozen(account)).toBe(true);
    expect(Object.isFrozen(account?.identifiers)).toBe(true);
  });
});
