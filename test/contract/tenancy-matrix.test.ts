import { describe, expect, it } from 'vitest';
import type { MockApp } from '../../mock/index.js';
import { books, call, demoApp } from '../mock/support.js';
import {
  BALANCE_FIELDS,
  type Credential,
  callAs,
  issuedCredentials,
  STATIC_CREDENTIALS,
} from './tenancy-support.js';

// Every credential of every family against every other tenant's users, organizations and wallets,
// for every operation that names one: refused (401, 403, 404; credit send's documented 501), never
// another tenant's figures, nothing moved. Issued credentials are included: white-label user
// tokens and credit-send session tokens (expiring and one-time) of every user.

async function setup(): Promise<{ app: MockApp; everyone: Credential[] }> {
  const app = demoApp();
  return { app, everyone: [...STATIC_CREDENTIALS, ...(await issuedCredentials(app))] };
}

function refused(
  answer: { status: number | string; body: unknown },
  what: string,
  allowed = [401, 403, 404],
) {
  expect(allowed, `${what}: ${answer.status} ${JSON.stringify(answer.body)}`).toContain(answer.status);
  expect(JSON.stringify(answer.body ?? null), what).not.toMatch(BALANCE_FIELDS);
}

// White-label: users by id and by email, of the other platform (and unknown ones).
const WL_FOREIGN: Record<string, readonly ({ user_id: number } | { email: string })[]> = {
  // 126 is the user registered in the credits platform by issuedCredentials; ids are per platform, so
  // each platform's own user 123 is not foreign to it.
  wl_admin_demo: [{ user_id: 126 }, { email: 'new@example.com' }, { user_id: 999 }],
  wl_admin_credits_demo: [{ user_id: 124 }, { user_id: 125 }, { email: 'grace@example.com' }],
};
const WL_MOVES = ['minutes', 'credits'].flatMap((transfer_type) =>
  ['add', 'remove'].map((operation) => ({ transfer_type, operation, amount: 1 })),
);

describe('white-label: every credential against every other platform user', () => {
  it('refuses transfers and tokens for another platform, with every admin key', async () => {
    const { app } = await setup();
    const before = books(app);
    for (const [key, targets] of Object.entries(WL_FOREIGN))
      for (const target of targets) {
        for (const move of WL_MOVES)
          refused(
            await call(app, 'POST', '/api/white-label/transfer', {
              bearer: key,
              json: { ...target, ...move },
            }),
            `${key} transfer ${JSON.stringify({ ...target, ...move })}`,
          );
        refused(
          await call(app, 'POST', '/api/white-label/token', { bearer: key, json: target }),
          `${key} token ${JSON.stringify(target)}`,
        );
      }
    expect(books(app)).toEqual(before);
  });

  it('lists only its own users to each admin', async () => {
    const { app } = await setup();
    for (const [key, own] of [
      ['wl_admin_demo', [123, 124, 125]],
      ['wl_admin_credits_demo', [123, 126]],
    ] as const) {
      const list = await call(app, 'GET', '/api/white-label/users', { bearer: key });
      expect(
        list.body.data.map((u: { id: number }) => u.id),
        key,
      ).toEqual(own);
    }
  });

  it('lets a user token reach no admin operation, for any user named, and shows it only its own figures', async () => {
    const { app, everyone } = await setup();
    const before = books(app);
    const users = everyone.filter((c) => c.family === 'white-label' && !c.name.startsWith('wl_admin'));
    for (const user of users) {
      for (const target of [
        { user_id: 123 },
        { user_id: 124 },
        { user_id: 125 },
        { email: 'user@example.com' },
      ]) {
        for (const move of WL_MOVES)
          refused(
            await callAs(app, user, 'POST', '/api/white-label/transfer', { json: { ...target, ...move } }),
            `${user.name} transfer`,
            [403],
          );
        refused(
          await callAs(app, user, 'POST', '/api/white-label/token', { json: target }),
          `${user.name} token`,
          [403],
        );
      }
      refused(await callAs(app, user, 'GET', '/api/white-label/users'), `${user.name} list`, [403]);
      const register = { name: 'X', email: 'x@example.com', password: 'long enough secret' };
      refused(
        await callAs(app, user, 'POST', '/api/white-label/register', { json: register }),
        `${user.name} register`,
        [403],
      );
    }
    expect(books(app)).toEqual(before);
    const expected: Record<string, string> = {
      'wl_user_demo (user 123)': 'John Doe',
      'white-label token of user 123': 'John Doe',
      'white-label token of user 125': 'Grace Hopper',
      'white-label token of credits-platform user 123': 'John Doe',
      'white-label token of a registered user': 'New',
    };
    for (const user of users) {
      const me = await callAs(app, user, 'GET', '/api/user/me');
      expect(me.body.name, user.name).toBe(expected[user.name]);
    }
    // The two platforms' users 123 share name and email: the figures tell them apart.
    await call(app, 'POST', '/api/white-label/transfer', {
      bearer: 'wl_admin_credits_demo',
      json: { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 7 },
    });
    const ofCredits123 = users.find((u) => u.name === 'white-label token of credits-platform user 123');
    const of123 = users.find((u) => u.name === 'white-label token of user 123');
    expect((await callAs(app, ofCredits123 as Credential, 'GET', '/api/user/me')).body.minutes_balance).toBe(
      7,
    );
    expect((await callAs(app, of123 as Credential, 'GET', '/api/user/me')).body.minutes_balance).toBe(50.5);
  });
});

// Reseller: organizations that are not the caller's direct children (its own, the other reseller's, unknown).
const RS_FOREIGN = { rs_demo: [5678, 5001, 5002, 9999], rs_other: [5001, 5678, 4001, 4002, 9999] };

describe('reseller: every key against every organization that is not its child', () => {
  it('refuses transfer, revert, both previews and concurrency, and lists and logs only its own', async () => {
    const { app } = await setup();
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      json: { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
    });
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_other',
      json: { to_organization_id: 5002, minutes: 1, cost_per_min: 0.3 },
    });
    const before = books(app);
    for (const [key, foreign] of Object.entries(RS_FOREIGN)) {
      for (const org of foreign) {
        const attempts = [
          ['transfer', { to_organization_id: org, minutes: 1, cost_per_min: 0.5 }],
          ['revert', { from_organization_id: org, minutes: 1 }],
          ['calculate', { minutes: 1, is_revert: true, child_organization_id: org }],
          ['calculate', { minutes: 1, cost_per_min: 0.5, child_organization_id: org }],
        ] as const;
        for (const [op, json] of attempts)
          refused(
            await call(app, 'POST', `/api/v1/reseller/credits/${op}`, { bearer: key, json }),
            `${key} ${op} ${org}`,
          );
        refused(
          await call(app, 'POST', '/api/v1/reseller/concurrency', {
            bearer: key,
            json: { child_organization_id: org, new_limit: 0 },
          }),
          `${key} concurrency ${org}`,
        );
      }
      const own = key === 'rs_demo' ? [4001, 4002] : [5002];
      const orgs = await call(app, 'GET', '/api/v1/reseller/organizations', { bearer: key });
      expect(orgs.body.organizations.map((o: { id: number }) => o.id).sort()).toEqual(own);
      const logs = await call(app, 'GET', '/api/v1/reseller/credits/logs', { bearer: key });
      const children = logs.body.data.logs.map(
        (l: { to_organization_id?: number; organization_id?: number }) => JSON.stringify(l),
      );
      expect(children.length, `${key} logs`).toBe(1);
      const foreignChildren = key === 'rs_demo' ? ['5002'] : ['4001', '4002'];
      for (const child of foreignChildren) expect(children.join(), `${key} logs`).not.toContain(child);
    }
    expect(books(app)).toEqual(before);
  });
});

describe('credit send: every session token against every user of another organization', () => {
  it('refuses the send with the documented 501 and moves nothing', async () => {
    const { app, everyone } = await setup();
    const orgOf: Record<string, number> = { ada: 1, bob: 1, eve: 2 };
    const users: Record<number, readonly number[]> = { 1: [10, 11], 2: [20] };
    const before = books(app);
    for (const sender of everyone.filter((c) => c.family === 'credit-send' && c.name.includes('3600'))) {
      const org = orgOf[(/of (\w+)@/.exec(sender.name) ?? [])[1] ?? ''] ?? 0;
      const foreign = Object.entries(users).flatMap(([o, ids]) => (Number(o) === org ? [] : ids));
      for (const recipient of [...foreign, 99]) {
        const sent = await callAs(app, sender, 'POST', '/credits/send', {
          json: { user: recipient, credits: 1 },
        });
        refused(sent, `${sender.name} -> ${recipient}`, [501]);
        expect(sent.body.error.details).toBe(
          'This user does not exists or you do not have the permission to use it.',
        );
      }
    }
    expect(books(app)).toEqual(before);
  });
});
