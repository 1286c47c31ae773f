import { describe, expect, it } from 'vitest';
import { BUILTIN_ASSETS } from '../../mock/families/index.js';
import { isLedgerError, Ledger } from '../../mock/ledger/index.js';

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
    for (const [attempt, code] of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (error) {
        caught = error;
      }
      expect(isLedgerError(caught, code as 'account_exists')).toBe(true);
    }
    // A refused account leaves no trace: its id and identifiers stay free.
    expect(ledger.account('wl:user:124')).toBeUndefined();
    expect(ledger.accounts()).toHaveLength(2);
  });

  it('hands out immutable account views', () => {
    const account = whiteLabel().account('wl:user:123');
    expect(Object.isFrozen(account)).toBe(true);
    expect(Object.isFrozen(account?.identifiers)).toBe(true);
  });
});
