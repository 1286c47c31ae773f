/**
 * Handler contexts are typed per operationId from generated/openapi.ts (`SpecContext`,
 * mock/family-kit/family.ts). These are compile-time checks: `npx tsc --noEmit -p .` (part of
 * `npm test`) fails when a handler's input stops being its operation's types, or when reading a
 * field the operation's schema lacks stops being an error.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components, operations } from '../../generated/openapi.js';
import type { listUsage } from '../../mock/families/billing/lists.js';
import type { mockSettlePayment } from '../../mock/families/control/handlers.js';
import type { sendCredits } from '../../mock/families/credit-send/send.js';
import type { transferCreditsToChild } from '../../mock/families/reseller/credits.js';
import type { ResellerPrincipal, ResellerState } from '../../mock/families/reseller/state.js';
import type { transferBalance } from '../../mock/families/white-label/transfer.js';
import type { FamilyDefinition, SpecApi, SpecContext } from '../../mock/family-kit/family.js';

type Schemas = components['schemas'];
type InputOf<F extends (...args: never[]) => unknown> = Parameters<F>[0];

describe('handler contexts typed from openapi.yaml', () => {
  it("gives every family's handlers their operation's body, query and path parameters", () => {
    expectTypeOf<InputOf<typeof transferCreditsToChild>['body']>().toEqualTypeOf<
      Schemas['ResellerTransferRequest']
    >();
    expectTypeOf<InputOf<typeof transferBalance>['body']>().toEqualTypeOf<
      Schemas['WhiteLabelTransferRequest']
    >();
    expectTypeOf<InputOf<typeof sendCredits>['body']>().toEqualTypeOf<Schemas['CreditSendRequest']>();
    expectTypeOf<InputOf<typeof listUsage>['query']>().toEqualTypeOf<
      NonNullable<operations['listUsage']['parameters']['query']>
    >();
    expectTypeOf<InputOf<typeof mockSettlePayment>['params']>().toEqualTypeOf<{ paymentId: string }>();
  });

  it('makes reading a field the schema lacks a compile error in the handler', () => {
    type Context = SpecContext<ResellerState, ResellerPrincipal, 'transferCreditsToChild'>;
    const readsUnknownField = (context: Context): unknown =>
      // @ts-expect-error: ResellerTransferRequest has no `amount` (it is `minutes` and `cost_per_min`).
      context.body.amount;
    const readsDeclaredField = (context: Context): number => context.body.minutes;
    expectTypeOf(readsUnknownField).parameter(0).toEqualTypeOf<Context>();
    expectTypeOf(readsDeclaredField).returns.toEqualTypeOf<number>();
  });

  it("types a family's inline handlers from its SpecApi", () => {
    const operations: FamilyDefinition<null, 'admin', SpecApi<'mockSetClock'>>['operations'] = {
      mockSetClock: ({ body }) => {
        // @ts-expect-error: MockClockRequest has `now` and `advanceSeconds`, no `later`.
        const later: unknown = body.later;
        return { status: 200, body: { now: body.now ?? null, later } };
      },
    };
    expectTypeOf(operations.mockSetClock)
      .parameter(0)
      .toHaveProperty('body')
      .toEqualTypeOf<Schemas['MockClockRequest']>();
  });
});
