import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { billing } from '../../mock/families/billing/index.js';
import { SEED_ID_MAX } from '../../mock/family-kit/id-table.js';
import { Clock } from '../../mock/ledger/clock.js';
import { DurableApp } from '../../mock/store/durable.js';
import { FileStore } from '../../mock/store/file-store.js';
import { PostgresStore } from '../../mock/store/postgres-store.js';
import { books, call, demoApp } from '../mock/support.js';
import { freshSchema } from './postgres-support.js';
import { send, tempFolders } from './sandbox-support.js';

// Identifiers from a seed become keys of the families' tables: the names objects reserve must be
// refused (a `__proto__` organization was answered, then lost by a restart), and lookups by what a
// client sends must never reach Object.prototype.

const folder = tempFolders('ll-reserved-ids-');
const schemas: ReturnType<typeof freshSchema>[] = [];
afterAll(async () => {
  for (const schema of schemas) await schema.drop();
});

function organization(id: string, session = 'sess_ok', apiKey = 'key_ok') {
  return {
    id,
    credits: 10,
    planId: null,
    apiKeys: [{ key: apiKey, scopes: ['billing:read'] }],
    sessions: [session],
    settlement: 'immediate',
  };
}
const billingSeed = (org: ReturnType<typeof organization>) => ({ billing: { organizations: [org] } });

const bad: readonly [string, string, string][] = [
  ['__proto__', 'billing.organizations[0].id', '"__proto__" is reserved; choose another identifier'],
  ['constructor', 'billing.organizations[0].id', '"constructor" is reserved; choose another identifier'],
  ['prototype', 'billing.organizations[0].id', '"prototype" is reserved; choose another identifier'],
  ['org\u0000x', 'billing.organizations[0].id', 'must not contain control characters'],
  ['org\nx', 'billing.organizations[0].id', 'must not contain control characters'],
  [
    'o'.repeat(SEED_ID_MAX + 1),
    'billing.organizations[0].id',
    `is ${SEED_ID_MAX + 1} characters long; at most ${SEED_ID_MAX} are allowed`,
  ],
];

describe('reserved and malformed identifiers in a seed', () => {
  it.each(bad)(
    'POST /_mock/reset refuses organization id %j with 400 naming the path',
    async (id, path, message) => {
      const app = demoApp();
      const before = books(app);
      const refused = await call(app, 'POST', '/_mock/reset', {
        json: { seed: billingSeed(organization(id)) },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.issues).toEqual([{ path: `seed.${path}`, message }]);
      expect(books(app)).toEqual(before);
    },
  );

  it('refuses them as API keys, sessions, plan ids, white-label keys, reseller keys and credit-send codes', async () => {
    const app = demoApp();
    const cases: [unknown, string][] = [
      [billingSeed(organization('org_a', '__proto__')), 'billing.organizations[0].sessions[0]'],
      [billingSeed(organization('org_a', 'sess', 'constructor')), 'billing.organizations[0].apiKeys[0].key'],
      [
        billingSeed({
          ...organization('org_a'),
          plans: [{ id: '__proto__', name: 'P', monthlyPriceUsd: 1, includedMinutes: 1, overageRate: 1 }],
        } as ReturnType<typeof organization>),
        'billing.organizations[0].plans[0].id',
      ],
      [
        { whiteLabel: { platforms: [{ adminKey: '__proto__', minutes: 1, users: [] }] } },
        'whiteLabel.platforms[0].adminKey',
      ],
      [
        {
          reseller: {
            resellers: [
              {
                apiKey: 'prototype',
                organizationId: 1,
                name: 'R',
                balance: 1,
                resellerRate: 0.1,
                children: [],
              },
            ],
          },
        },
        'reseller.resellers[0].apiKey',
      ],
      [
        {
          creditSend: {
            organizations: [
              { id: 1, users: [{ id: 1, email: 'a@b.co', secret: 's', credits: 1, code: 'constructor' }] },
            ],
          },
        },
        'creditSend.organizations[0].users[0].code',
      ],
    ];
    for (const [seed, path] of cases) {
      const refused = await call(app, 'POST', '/_mock/reset', { json: { seed } });
      expect(refused.status, path).toBe(400);
      expect(refused.body.issues?.[0]?.path, JSON.stringify(refused.body)).toBe(`seed.${path}`);
    }
  });

  it('a credential or code that names an Object.prototype member is unknown: refused, never 500', async () => {
    const app = demoApp();
    for (const token of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      const wallet = await call(app, 'GET', '/api/v1/billing/wallet', { bearer: token });
      expect(wallet.status).toBe(401);
      // Credit send refuses every login in its business status, 501 (an unknown code or email alike).
      const login = await call(app, 'POST', '/user/login', { json: { email: token, secret: 'x' } });
      expect(login.status).toBe(501);
    }
  });
});

/** The report's steps on a durable store: reset with `__proto__`, read the wallet, restart, read again. */
async function acrossRestart(open: () => Promise<DurableApp>): Promise<void> {
  const first = await open();
  const auth = { authorization: 'Bearer sess_ok' };
  try {
    const refused = await send(first)('POST', '/_mock/reset', {
      json: { seed: billingSeed(organization('__proto__')) },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.issues[0].path).toBe('seed.billing.organizations[0].id');
    const accepted = await send(first)('POST', '/_mock/reset', {
      json: { seed: billingSeed(organization('org_ok')) },
    });
    expect(accepted.status).toBe(200);
    expect((await send(first)('GET', '/api/v1/billing/wallet', { headers: auth })).status).toBe(200);
  } finally {
    await first.close();
  }
  const second = await open();
  try {
    const wallet = await send(second)('GET', '/api/v1/billing/wallet', { headers: auth });
    expect(wallet.status).toBe(200);
    expect(wallet.body.data.balanceUsd).toBe(0.1);
    const stranger = await send(second)('GET', '/api/v1/billing/wallet', {
      headers: { authorization: 'Bearer __proto__' },
    });
    expect(stranger.status).toBe(401);
    // A restored table has no prototype either: a reserved name written into it stays an own key.
    const { organizations, credentials } = second.app.stateOf(billing);
    expect(Object.getPrototypeOf(organizations)).toBe(null);
    expect(Object.getPrototypeOf(credentials)).toBe(null);
  } finally {
    await second.close();
  }
}

describe('a reserved organization id under a durable store', () => {
  it('is refused, and the state survives a restart of a file store', async () => {
    const file = join(folder(), 'state.json');
    await acrossRestart(() =>
      DurableApp.open(
        new FileStore(file),
        { clock: Clock.controlled('2025-06-01T12:00:00Z') },
        () => undefined,
      ),
    );
  });

  it('is refused on PostgreSQL, and a replica started later answers the same', async () => {
    const schema = freshSchema();
    schemas.push(schema);
    await acrossRestart(() =>
      DurableApp.open(
        new PostgresStore(schema.url),
        { clock: Clock.controlled('2025-06-01T12:00:00Z') },
        () => undefined,
      ),
    );
  });
});
