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
import type { SpecContext } from '../../pipeline/family.js';
import type { MockResponse } from '../../pipeline/types.js';
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
 * while the admin side moves `amount / 9` minutes rounded to 2 decimals in the platform's favour (up
 * when the admin pays, down when the admin is refunded), the conversion account taking the other
 * legs, all in one balanced entry.
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
  const adminMinutes = type === 'minutes' ? amount : convertedMinutes(amount, direction);
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
 * The admin side of a credits transfer. Rounding up what the admin pays and down what it gets back
 * keeps `9 x admin minutes + user credits` from ever rising, so no sequence of transfers mints
 * minutes (half up both ways did: 9 x "add 1" cost 0.99, "remove 9" returned 1.00). Both assets have
 * 2 decimals, so the division is on the scaled integers directly. 500 credits cost 55.56 (seed page).
 */
export function convertedMinutes(credits: bigint, direction: Direction): bigint {
  return direction === 'add' ? divCeil(credits, CREDITS_PER_MINUTE) : divFloor(credits, CREDITS_PER_MINUTE);
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
