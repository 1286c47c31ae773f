import { describe, expect, it } from 'vitest';
import { demoSeed, loadSeed, SeedIssues } from '../../mock/seed.js';
import { closestKey, editDistance } from '../../mock/seed-keys.js';
import { books, call, demoApp } from './support.js';

function issuesOf(seed: unknown): SeedIssues {
  try {
    loadSeed(seed);
  } catch (error) {
    if (error instanceof SeedIssues) return error;
    throw error;
  }
  throw new Error('the seed was accepted');
}

const reseller = (child: Record<string, unknown>) => ({
  reseller: {
    resellers: [
      { apiKey: 'rs', organizationId: 1, name: 'R', balance: 1, resellerRate: 0.1, children: [child] },
    ],
  },
});

describe('unknown seed keys', () => {
  it('a misspelt family is an error naming the key and the family meant', () => {
    const error = issuesOf({ whitelabel: demoSeed.whiteLabel });
    expect(error.issues).toEqual([
      { path: 'whitelabel', message: 'is not a seed field; did you mean "whiteLabel"?' },
    ]);
    expect(error.message).toBe('Invalid seed: whitelabel is not a seed field; did you mean "whiteLabel"?');
  });

  it('an unknown field in a child names its path and the field meant, before what it left missing', () => {
    const error = issuesOf(reseller({ organizationId: 2, name: 'C', balance: 0, costPerMinute: 0.2 }));
    expect(error.issues).toEqual([
      {
        path: 'reseller.resellers.0.children.0.costPerMinute',
        message: 'is not a seed field; did you mean "costPerMin"?',
      },
      { path: 'reseller.resellers.0.children.0.costPerMin', message: 'is required' },
    ]);
  });

  it('a key like none of the known ones lists them', () => {
    const error = issuesOf({ billing: { organizations: [], comment: 'QA data' } });
    expect(error.issues).toEqual([
      { path: 'billing.comment', message: 'is not a seed field; the fields here are "organizations"' },
    ]);
  });

  it('POST /_mock/reset refuses them with 400 and keeps the books', async () => {
    const app = demoApp();
    const before = books(app);
    const refused = await call(app, 'POST', '/_mock/reset', {
      json: { seed: { Reseller: demoSeed.reseller } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      { path: 'seed.Reseller', message: 'is not a seed field; did you mean "reseller"?' },
    ]);
    expect(books(app)).toEqual(before);
  });

  it('reports at most 20 of them', () => {
    const seed = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`extra${i}`, i]));
    expect(issuesOf(seed).issues).toHaveLength(20);
  });
});

describe('seed messages', () => {
  it('never repeat the path in the message', () => {
    const error = issuesOf({
      reseller: {
        resellers: [
          { apiKey: 'rs', organizationId: 1, name: 'R', balance: 'lots', resellerRate: 0.1, children: [] },
        ],
      },
    });
    expect(error.issues).toEqual([{ path: 'reseller.resellers.0.balance', message: 'must be a number' }]);
    expect(error.message).toBe('Invalid seed: reseller.resellers.0.balance must be a number.');
  });

  it('a seed that is not an object is described as a seed, not as a request body', () => {
    for (const [seed, got] of [
      [[demoSeed], 'an array'],
      ['demo', 'a string'],
      [42, 'a number'],
    ] as const) {
      const error = issuesOf(seed);
      expect(error.message).toBe(
        `Invalid seed: a seed is a JSON object with any of "whiteLabel", "reseller", "creditSend", "billing"; this one is ${got}.`,
      );
      expect(error.message).not.toContain('body');
    }
  });
});

describe('closest key', () => {
  it('measures edits case-insensitively and suggests only near keys', () => {
    expect(editDistance('whitelabel', 'whiteLabel')).toBe(0);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestKey('costPerMinute', ['organizationId', 'name', 'balance', 'costPerMin'])).toBe(
      'costPerMin',
    );
    expect(closestKey('credit', ['credits', 'creditSend'])).toBe('credits');
    expect(closestKey('comment', ['organizations'])).toBeUndefined();
  });
});
