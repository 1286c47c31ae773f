import type { SpecContext } from '../../family-kit/family.js';
import type { MockResponse } from '../../family-kit/types.js';
import type { Posting } from '../../ledger/journal.js';
import { formatAmount } from '../../ledger/money.js';
import {
  type CreditSendPrincipal,
  type CreditSendState,
  errorResponse,
  FAMILY,
  FEES_ACCOUNT,
  INVALID,
  INVALID_TOKEN,
  NO_PERMISSION,
  NOT_ENOUGH_CREDITS,
  userAccountId,
} from './state.js';

const CREDITS_SCALE = 0;

/**
 * `POST /credits/send`: the sender pays `credits` to a user of its own organization plus the fee to
 * the fee account, in one entry. Business refusals are HTTP 501, as the public page documents.
 */
export function sendCredits(
  context: SpecContext<CreditSendState, CreditSendPrincipal, 'sendCredits'>,
): MockResponse {
  const { ledger, state, principal, body } = context;
  if (principal.kind !== 'user') return errorResponse(401, INVALID_TOKEN, 'Missing token.');
  // One-time tokens are spent here rather than in authenticate, so that a retry with the same
  // Idempotency-Key still replays the stored answer instead of failing on the spent token.
  const tokenId = principal.oneTimeTokenId;
  if (tokenId !== null) {
    if (Object.hasOwn(state.spentTokenIds, tokenId))
      return errorResponse(401, INVALID_TOKEN, 'Token already used.');
    state.spentTokenIds[tokenId] = ledger.clock.now();
  }
  const recipient = state.users[String(body.user)];
  if (
    recipient === undefined ||
    recipient.organizationId !== principal.organizationId ||
    recipient.id === principal.userId
  ) {
    return errorResponse(501, INVALID, NO_PERMISSION);
  }
  const credits = BigInt(body.credits);
  const fee = BigInt(state.feeCredits);
  const senderId = userAccountId(principal.userId);
  const recipientId = userAccountId(recipient.id);
  const postings: Posting[] = [{ debit: senderId, credit: recipientId, asset: 'credits', amount: credits }];
  if (fee > 0n) postings.push({ debit: senderId, credit: FEES_ACCOUNT, asset: 'credits', amount: fee });
  const result = ledger.tryCommit({
    family: FAMILY,
    operation: context.operationId,
    idempotencyKey: context.idempotencyKey,
    metadata: { from: principal.userId, to: recipient.id, credits: Number(credits), fee: Number(fee) },
    postings,
  });
  if (!result.ok) {
    if (result.error.code !== 'insufficient_funds') throw result.error;
    return errorResponse(501, INVALID, NOT_ENOUGH_CREDITS);
  }
  return {
    status: 200,
    body: {
      status: 'OK',
      data: {
        your_new_balance: formatAmount(ledger.balance(senderId, 'credits'), CREDITS_SCALE),
        user_new_balance: formatAmount(ledger.balance(recipientId, 'credits'), CREDITS_SCALE),
      },
    },
  };
}
