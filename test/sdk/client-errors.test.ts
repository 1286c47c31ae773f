import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  IdempotencyError,
  InsufficientBalanceError,
  NotFoundError,
  PermissionDeniedError,
  ValidationError,
} from '../../src/index.js';
import { demoClient, useReferenceServer } from './support.js';

await useReferenceServer();

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('white-label errors', () => {
  it('maps an unknown key to AuthenticationError', async () => {
    const error = await failure(
      demoClient({ credentials: { whiteLabel: { apiKey: 'nope' } } }).whiteLabel.listUsers(),
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, family: 'white-label', operation: 'listWhiteLabelUsers' });
  });

  it('maps the admin shortfall to InsufficientBalanceError with the available minutes', async () => {
    const error = await failure(
      demoClient().whiteLabel.transfer({
        user_id: 123,
        transfer_type: 'minutes',
        operation: 'add',
        amount: 5000,
      }),
    );
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    expect(error).toMatchObject({ status: 400, available: 950.5 });
    expect((error as Error).message).toContain('Insufficient minutes balance: 950.5 available');
  });

  it('maps the Laravel 422 to ValidationError with field errors', async () => {
    const error = await failure(
      demoClient().whiteLabel.transfer({ transfer_type: 'minutes', operation: 'add', amount: 1 }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({
      user_id: ['Either user_id or email is required.'],
      email: ['Either user_id or email is required.'],
    });
  });

  it("maps another platform's user to PermissionDeniedError and an unknown one to NotFoundError", async () => {
    const client = demoClient({ credentials: { whiteLabel: { apiKey: 'wl_admin_credits_demo' } } });
    const other = await failure(
      client.whiteLabel.transfer({ user_id: 125, transfer_type: 'minutes', operation: 'add', amount: 1 }),
    );
    expect(other).toBeInstanceOf(PermissionDeniedError);
    const unknown = await failure(
      client.whiteLabel.transfer({ user_id: 99999, transfer_type: 'minutes', operation: 'add', amount: 1 }),
    );
    expect(unknown).toBeInstanceOf(NotFoundError);
  });
});

describe('reseller errors', () => {
  it('maps insufficient_balance with the available amount', async () => {
    const error = await failure(
      demoClient().reseller.transfer({ to_organization_id: 4002, minutes: 100000, cost_per_min: 0.2 }),
    );
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    // The demo reseller holds 61.613 (the logs page's balance before the transfer).
    expect(error).toMatchObject({ code: 'insufficient_balance', available: 61.613 });
  });

  it('maps invalid_request to ValidationError naming the fields', async () => {
    const error = await failure(
      demoClient().reseller.transfer({ to_organization_id: 4002, minutes: 0, cost_per_min: 0.2 }),
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(['minutes']);
  });

  it("maps another reseller's child to PermissionDeniedError", async () => {
    const error = await failure(
      demoClient().reseller.transfer({ to_organization_id: 5002, minutes: 1, cost_per_min: 0.2 }),
    );
    expect(error).toBeInstanceOf(PermissionDeniedError);
  });
});

describe('credit-send errors', () => {
  it('maps the 501 shortfall to InsufficientBalanceError and never to a server error', async () => {
    const error = await failure(demoClient().creditSend.send({ user: 11, credits: 500 }));
    expect(error).toBeInstanceOf(InsufficientBalanceError);
    // `code` is normalised across families; the family's own code stays in the raw body.
    expect(error).toMatchObject({
      status: 501,
      code: 'insufficient_balance',
      body: { error: { code: '5_topi_invalidi' } },
    });
  });

  it('maps an unknown recipient (501) to NotFoundError', async () => {
    const error = await failure(demoClient().creditSend.send({ user: 20, credits: 1 }));
    expect(error).toBeInstanceOf(NotFoundError);
  });

  it('maps a wrong secret to AuthenticationError', async () => {
    const client = demoClient({ credentials: { creditSend: { email: 'ada@example.com', secret: 'wrong' } } });
    expect(await failure(client.creditSend.send({ user: 11, credits: 1 }))).toBeInstanceOf(
      AuthenticationError,
    );
  });
});

describe('billing errors', () => {
  it('maps a key without the session to PermissionDeniedError', async () => {
    const client = demoClient({ credentials: { billing: { apiKey: 'flowyte_sk_test_demo' } } });
    expect(await failure(client.billing.topUp({ amountUsd: 10 }))).toBeInstanceOf(PermissionDeniedError);
  });

  it('maps a problem with errors[] to ValidationError with field errors', async () => {
    const error = await failure(demoClient().billing.topUp({ amountUsd: 1 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(Object.keys((error as ValidationError).fieldErrors)).toEqual(['amountUsd']);
  });
});

describe('idempotency errors', () => {
  it('maps the reuse of a key with another body to IdempotencyError in every family', async () => {
    const client = demoClient();
    const key = { idempotencyKey: 'same-key' };
    await client.reseller.transfer({ to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 }, key);
    const error = await failure(
      client.reseller.transfer({ to_organization_id: 4002, minutes: 2, cost_per_min: 0.2 }, key),
    );
    expect(error).toBeInstanceOf(IdempotencyError);
    await client.whiteLabel.transfer(
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      key,
    );
    const wl = await failure(
      client.whiteLabel.transfer(
        { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 2 },
        key,
      ),
    );
    expect(wl).toBeInstanceOf(IdempotencyError);
    await client.billing.credit({ amountUsd: 1, reason: 'a' }, key);
    expect(await failure(client.billing.credit({ amountUsd: 2, reason: 'a' }, key))).toBeInstanceOf(
      IdempotencyError,
    );
    await client.creditSend.send({ user: 11, credits: 1 }, key);
    expect(await failure(client.creditSend.send({ user: 11, credits: 2 }, key))).toBeInstanceOf(
      IdempotencyError,
    );
  });
});
