import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import type { LedgerError } from '../../ledger/errors.js';
import type { Posting } from '../../ledger/journal.js';
import {
  AmountError,
  divCeil,
  divFloor,
  formatAmount,
  formatAmountText,
  parseAmount,
} from '../../ledger/money.js';
import {
  CONVERSION_ACCOUNT,
  CREDITS_PER_MINUTE,
  errorResponse,
  FAMILY,
  laravelError,
  SCALE,
  userAccountId,
  type WhiteLabelPrincipal,
  type WhiteLabelState,
} from './state.js';
import { findTargetUser, userBalances } from './users.js';

type TransferType = 'minutes' | 'credits';
type Direction = 'add' | 'remove';

/**
 * `POST /api/white-label/transfer`: minutes move 1:1; credits move exactly `amount` on the user side
 * while the admin pays `amount / 9` minutes rounded up on an `add`, and is refunded the user's cost
 * basis pro rata (rounded down) on a `remove`, the conversion account taking the other legs, all in
 * one balanced entry.
 */
export function transferBalance(
  context: SpecContext<WhiteLabelState, WhiteLabelPrincipal, 'transferWhiteLabelBalance'>,
  platform: number,
): MockResponse {
  const { ledger, state, body } = context;
  const found = findTargetUser(ledger, state, platform, body);
  if (!found.ok) return found.response;
  const { user } = found;
  let amount: bigint;
  try {
    amount = parseAmount(body.amount, SCALE);
  } catch (error) {
    if (error instanceof AmountError) return laravelError(['amount'], error.message);
    throw error;
  }
  if (amount <= 0n) return laravelError(['amount'], 'The amount field must be greater than 0.');

  const { transfer_type: type, operation: direction } = body;
  const adminId = state.platforms[platform]?.adminAccountId ?? '';
  const userId = userAccountId(user.platform, user.id);
  const cost = type === 'credits' ? creditsCost(ledger.balance(userId, 'credits'), user.creditsCost) : 0n;
  const adminMinutes =
    type === 'minutes'
      ? amount
      : direction === 'add'
        ? convertedMinutes(amount, 'add')
        : refundedMinutes(amount, ledger.balance(userId, 'credits'), cost);
  const postings = transferPostings(type, direction, adminId, userId, amount, adminMinutes);
  const result = ledger.tryCommit({
    family: FAMILY,
    operation: context.operationId,
    idempotencyKey: context.idempotencyKey,
    metadata: {
      userId: user.id,
      transferType: type,
      operation: direction,
      amount: formatAmountText(amount, SCALE),
      adminMinutes: formatAmountText(adminMinutes, SCALE),
    },
    postings,
  });
  if (!result.ok) return insufficient(result.error, adminId);
  // The cost basis moves with the minutes, in ninths: what was paid in, what was refunded out.
  if (type === 'credits') user.creditsCost = String(cost + (direction === 'add' ? 9n : -9n) * adminMinutes);
  // Fields listed rather than spread: an object spread on every answer is measurable (bench: server).
  const balances = userBalances(ledger, user);
  return {
    status: 200,
    body: {
      message: 'Transfer completed successfully.',
      transfer: { type, operation: direction, amount: formatAmount(amount, SCALE) },
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        minutes_balance: balances.minutes_balance,
        credits_balance: balances.credits_balance,
      },
      your_balance: { minutes: formatAmount(ledger.balance(adminId, 'minutes'), SCALE) },
    },
  };
}

/**
 * Credits at 9 a minute, rounded in the platform's favour: up when the admin pays (`add`), down for
 * credits no transfer paid for (`remove`, see creditsCost). With refunds at the cost basis, no
 * sequence of transfers mints minutes. 500 credits cost 55.56 (seed page).
 */
export function convertedMinutes(credits: bigint, direction: Direction): bigint {
  return direction === 'add' ? divCeil(credits, CREDITS_PER_MINUTE) : divFloor(credits, CREDITS_PER_MINUTE);
}

/**
 * The user's cost basis in ninths of a hundredth of a minute (one credit unit each, so credits no
 * transfer paid for, a seed's or those of a state written before costs were kept, are worth exactly
 * `held / 9` minutes).
 */
export function creditsCost(held: bigint, recorded: string | undefined): bigint {
  return recorded === undefined ? held : BigInt(recorded);
}

/**
 * The refund of a credits removal, in hundredths of a minute: the cost basis pro rata, rounded down,
 * so a removal never returns more than was paid for what it removes, and removing every credit held
 * returns the whole cost (500 credits bought for 55.56 come back as 55.56, not 55.55).
 */
export function refundedMinutes(removed: bigint, held: bigint, cost: bigint): bigint {
  if (held <= 0n) return 0n;
  const share = removed >= held ? cost : (cost * removed) / held;
  return divFloor(share, CREDITS_PER_MINUTE);
}

function transferPostings(
  type: TransferType,
  direction: Direction,
  adminId: string,
  userId: string,
  amount: bigint,
  adminMinutes: bigint,
): Posting[] {
  if (type === 'minutes') {
    return direction === 'add'
      ? [{ debit: adminId, credit: userId, asset: 'minutes', amount }]
      : [{ debit: userId, credit: adminId, asset: 'minutes', amount }];
  }
  const postings: Posting[] =
    direction === 'add'
      ? [
          { debit: adminId, credit: CONVERSION_ACCOUNT, asset: 'minutes', amount: adminMinutes },
          { debit: CONVERSION_ACCOUNT, credit: userId, asset: 'credits', amount },
        ]
      : [
          { debit: userId, credit: CONVERSION_ACCOUNT, asset: 'credits', amount },
          { debit: CONVERSION_ACCOUNT, credit: adminId, asset: 'minutes', amount: adminMinutes },
        ];
  // A removal of up to 0.08 credits refunds 0.00 minutes; the ledger takes no zero postings.
  return postings.filter((posting) => posting.amount > 0n);
}

/** The ledger names the account that fell short: the admin, or the user on a removal. */
function insufficient(error: LedgerError, adminId: string): MockResponse {
  if (error.code !== 'insufficient_funds') throw error;
  const available = formatAmount(error.available ?? 0n, error.scale ?? SCALE);
  if (error.accountId === adminId) {
    return errorResponse(400, 'Insufficient minutes balance.', { available_balance: available });
  }
  return error.asset === 'credits'
    ? errorResponse(400, 'User has insufficient credits balance.', { user_credits_balance: available })
    : errorResponse(400, 'User has insufficient minutes balance.', { user_minutes_balance: available });
}
