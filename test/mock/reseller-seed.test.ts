import { describe, expect, it } from 'vitest';
import { BUILTIN_ASSETS } from '../../mock/families/index.js';
import { reseller } from '../../mock/families/reseller/index.js';
import { SeedError } from '../../mock/family-kit/family.js';
import { Clock } from '../../mock/ledger/clock.js';
import { Ledger } from '../../mock/ledger/ledger.js';

const child = { organizationId: 4002, name: 'Acme', balance: 10, costPerMin: 0.2 };
const base = {
  apiKey: 'rs_a',
  organizationId: 4001,
  name: 'A',
  balance: 61.813,
  resellerRate: 0.1,
  children: [child],
};

function seedError(seed: unknown): SeedError {
  const ledger = new Ledger({ clock: Clock.controlled('2025-06-01T00:00:00Z'), assets: BUILTIN_ASSETS });
  try {
    reseller.seed(ledger, seed);
  } catch (error) {
    if (error instanceof SeedError) {
      expect(ledger.accounts()).toEqual([]);
      return error;
    }
    throw error;
  }
  throw new Error('the seed was accepted');
}

describe('reseller seed', () => {
  it('opens the accounts with the seed balances, posted from reseller:opening', () => {
    const ledger = new Ledger({ assets: BUILTIN_ASSETS });
    const state = reseller.seed(ledger, { resellers: [base] });
    expect(ledger.balance('reseller:organization:4001', 'usd')).toBe(61_813_000n);
    expect(ledger.balance('reseller:organization:4002', 'usd')).toBe(10_000_000n);
    expect(ledger.balance('reseller:opening', 'usd')).toBe(-71_813_000n);
    expect(ledger.account('reseller:organization:4002')?.parent).toBe('reseller:organization:4001');
    expect(state.nextOrganizationId).toBe(4003);
    // The state is plain JSON: snapshots store it as it is.
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });

  it('opens no account for a family left out of the seed', () => {
    const ledger = new Ledger({ assets: BUILTIN_ASSETS });
    reseller.seed(ledger, undefined);
    expect(ledger.accounts()).toEqual([]);
  });

  it('numbers seed users without an id after every given id', () => {
    const users = [
      { name: 'A', email: 'a@x.example' },
      { id: 9500, name: 'B', email: 'b@x.example' },
    ];
    const state = reseller.seed(new Ledger({ assets: BUILTIN_ASSETS }), {
      resellers: [{ ...base, children: [{ ...child, users }] }],
    });
    expect(state.children[4002]?.users.map((u) => u.id)).toEqual([9501, 9500]);
    expect(state.nextUserId).toBe(9502);
  });

  it.each([
    [
      'a child price below the reseller rate',
      { ...base, children: [child, { ...child, organizationId: 4003, costPerMin: 0.05 }] },
      'reseller.resellers[0].children[1].costPerMin',
    ],
    ['a balance with 7 decimals', { ...base, balance: 1.0000001 }, 'reseller.resellers[0].balance'],
    [
      'a child balance with 7 decimals',
      { ...base, children: [{ ...child, balance: 0.1234567 }] },
      'reseller.resellers[0].children[0].balance',
    ],
    ['a rate with 5 decimals', { ...base, resellerRate: 0.12345 }, 'reseller.resellers[0].resellerRate'],
    [
      'a price with 5 decimals',
      { ...base, children: [{ ...child, costPerMin: 0.12345 }] },
      'reseller.resellers[0].children[0].costPerMin',
    ],
    [
      'a child id used twice',
      { ...base, children: [child, { ...child, name: 'Again' }] },
      'reseller.resellers[0].children[1].organizationId',
    ],
  ])('refuses %s, naming the field', (_, account, path) => {
    expect(seedError({ resellers: [account] }).path).toBe(path);
  });

  it('refuses organization ids and API keys shared across resellers', () => {
    const second = { ...base, apiKey: 'rs_b', organizationId: 5001, children: [{ ...child }] };
    expect(seedError({ resellers: [base, second] }).path).toBe(
      'reseller.resellers[1].children[0].organizationId',
    );
    const sameKey = { ...base, organizationId: 5001, children: [] };
    expect(seedError({ resellers: [base, sameKey] }).path).toBe('reseller.resellers[1].apiKey');
    const sameId = { ...base, apiKey: 'rs_b', organizationId: 4002, children: [] };
    expect(seedError({ resellers: [base, sameId] }).path).toBe('reseller.resellers[1].organizationId');
  });

  it('refuses an email used twice among one reseller’s users', () => {
    const users = [{ name: 'A', email: 'a@x.example' }];
    const children = [
      { ...child, users },
      { ...child, organizationId: 4003, users: [{ name: 'B', email: 'A@x.example' }] },
    ];
    expect(seedError({ resellers: [{ ...base, children }] }).path).toBe(
      'reseller.resellers[0].children[1].users[0].email',
    );
  });
});
