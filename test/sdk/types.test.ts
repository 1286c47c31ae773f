import { describe, expectTypeOf, it } from 'vitest';
import {
  createClient,
  type InsufficientBalanceError,
  type LedgerlineClient,
  type PagePromise,
} from '../../src/index.js';

// These tests are checked by the compiler (`npm run typecheck` covers test/): each `@ts-expect-error`
// fails the build if the line below it ever compiles. The calls sit in functions that never run.
const client: LedgerlineClient = createClient({ baseUrl: 'http://localhost:4010' });

describe('method types come from openapi.yaml', () => {
  it('types request bodies and results', () => {
    expectTypeOf(client.whiteLabel.transfer).parameter(0).toMatchTypeOf<{
      transfer_type: 'minutes' | 'credits';
      operation: 'add' | 'remove';
      amount: number;
    }>();
    expectTypeOf(client.reseller.transfer)
      .returns.resolves.toHaveProperty('new_to_balance')
      .toEqualTypeOf<number>();
    expectTypeOf(client.billing.getWallet)
      .returns.resolves.toHaveProperty('balanceUsd')
      .toEqualTypeOf<number>();
    expectTypeOf(client.creditSend.send).returns.resolves.toHaveProperty('data');
  });

  it('makes page-numbered lists iterable and billing lists arrays', () => {
    expectTypeOf(client.billing.listUsageItems).returns.resolves.toMatchTypeOf<
      { id: string; time: string; credits: number }[]
    >();
    expectTypeOf(client.reseller.listCreditLogs()).toMatchTypeOf<
      PagePromise<{ data: { logs: unknown[] } }, unknown>
    >();
    expectTypeOf(client.reseller.listCreditLogs()).toMatchTypeOf<
      AsyncIterable<{ transaction_type: 'credit_transfer' | 'credit_revert' | 'concurrency_change' }>
    >();
  });

  it('rejects a wrong body or a wrong field name at compile time', () => {
    const never = () => {
      // @ts-expect-error: `transfer_type` must be "minutes" or "credits".
      void client.whiteLabel.transfer({ user_id: 1, transfer_type: 'hours', operation: 'add', amount: 1 });
      // @ts-expect-error: `minutes` must be a number.
      void client.reseller.transfer({ to_organization_id: 4002, minutes: '20', cost_per_min: 0.2 });
      // @ts-expect-error: `cost_per_min` is required.
      void client.reseller.transfer({ to_organization_id: 4002, minutes: 20 });
      // @ts-expect-error: there is no `credit` field on send (it is `credits`).
      void client.creditSend.send({ user: 11, credit: 2 });
      // @ts-expect-error: the wallet has no `balance` field (it is `balanceUsd`).
      void client.billing.getWallet().then((wallet) => wallet.balance);
      // @ts-expect-error: unknown per-call option.
      void client.billing.getWallet({ timeout: 5 });
    };
    expectTypeOf(never).toBeFunction();
  });

  it('exposes the error fields', () => {
    expectTypeOf<InsufficientBalanceError['available']>().toEqualTypeOf<number | undefined>();
  });
});
