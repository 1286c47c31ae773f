import { describe, expect, it } from 'vitest';
import { isLedgerError, LedgerError } from '../../mock/ledger/index.js';

describe('ledger errors', () => {
  it('are named LedgerError and carry their code, message and details', () => {
    const error = new LedgerError('insufficient_funds', 'account a has insufficient minutes', {
      accountId: 'a',
      asset: 'minutes',
      available: 3n,
      required: 5n,
      scale: 0,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('LedgerError');
    expect(String(error)).toBe('LedgerError: account a has insufficient minutes');
    expect(error).toMatchObject({ code: 'insufficient_funds', accountId: 'a', available: 3n, required: 5n });
  });

  it('are told from other errors, and by code when one is asked', () => {
    const error = new LedgerError('unknown_account', 'account a does not exist');
    expect(isLedgerError(error)).toBe(true);
    expect(isLedgerError(error, 'unknown_account')).toBe(true);
    expect(isLedgerError(error, 'account_exists')).toBe(false);
    expect(isLedgerError(new Error('account a does not exist'))).toBe(false);
    expect(isLedgerError(undefined)).toBe(false);
  });
});
