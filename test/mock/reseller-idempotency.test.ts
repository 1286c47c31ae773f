import { describe, expect, it } from 'vitest';
import {
  ADD_USER,
  books,
  CALCULATE,
  ORGANIZATIONS,
  OTHER_KEY,
  post,
  REVERT,
  resellerApp,
  TRANSFER,
} from './reseller-support.js';
import { call } from './support.js';

const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };

describe('reseller idempotency', () => {
  it('replays a transfer with the same key and posts nothing', async () => {
    const app = resellerApp();
    const headers = { 'idempotency-key': 'order-1' };
    const first = await post(app, TRANSFER, transfer, 'rs_demo', headers);
    const after = books(app);
    const replay = await post(app, TRANSFER, transfer, 'rs_demo', headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    expect(books(app)).toEqual(after);
  });

  it('replays refusals too, even once the balance would allow the request', async () => {
    const app = resellerApp();
    const headers = { 'idempotency-key': 'big-revert' };
    const refused = await post(app, REVERT, { from_organization_id: 4002, minutes: 60 }, 'rs_demo', headers);
    expect(refused.status).toBe(400);
    await post(app, TRANSFER, transfer);
    const replay = await post(app, REVERT, { from_organization_id: 4002, minutes: 60 }, 'rs_demo', headers);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual(refused.body);
    expect(replay.headers['idempotent-replayed']).toBe('true');
  });

  it('answers 422 when a key is reused with another body, moving nothing', async () => {
    const app = resellerApp();
    const headers = { 'idempotency-key': 'order-2' };
    await post(app, TRANSFER, transfer, 'rs_demo', headers);
    const before = books(app);
    const res = await post(app, TRANSFER, { ...transfer, minutes: 21 }, 'rs_demo', headers);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: 'idempotency_key_reused',
      error_description:
        'This Idempotency-Key was already used with a different request; send a new key for a new request.',
    });
    expect(books(app)).toEqual(before);
  });

  it('scopes keys to the reseller organization', async () => {
    const app = resellerApp();
    const headers = { 'idempotency-key': 'shared' };
    await post(app, CALCULATE, { minutes: 1 }, 'rs_demo', headers);
    const other = await post(
      app,
      TRANSFER,
      { to_organization_id: 5002, minutes: 1, cost_per_min: 0.3 },
      OTHER_KEY,
      headers,
    );
    expect(other.status).toBe(200);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
  });

  it('does not create a second organization on a replayed users/add', async () => {
    const app = resellerApp();
    const body = {
      name: 'Carol',
      email: 'carol@x.example',
      phone: '1',
      password: 'password1',
      welcome_minutes_to_credit: 5,
    };
    const headers = { 'idempotency-key': 'signup-carol' };
    const first = await post(app, ADD_USER, body, 'rs_demo', headers);
    const after = books(app);
    const replay = await post(app, ADD_USER, body, 'rs_demo', headers);
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(first.body);
    expect(books(app)).toEqual(after);
    const list = await call(app, 'GET', ORGANIZATIONS, { bearer: 'rs_demo' });
    expect(list.body.total_organizations).toBe(3);
  });
});
