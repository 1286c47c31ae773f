import { text } from '../json.js';
import { amount, type ErrorBodyReader, fieldsOf } from './fields.js';

/**
 * Wallet and usage: RFC 9457 `{type, title, status, detail, code, instance, errors?}`. The page says to
 * branch on `code`; a body without one (an older server) falls back to the last segment of `type`.
 */
export const readBillingError: ErrorBodyReader = (status, body) => {
  const familyCode = text(body.code) ?? text(body.type)?.replace(/^.*[:/]/, '');
  return {
    familyCode,
    text: text(body.detail) ?? text(body.title),
    fields: fieldsOf(body.errors),
    asset:
      familyCode === 'insufficient_funds' || familyCode === 'insufficient-funds' || status === 402
        ? 'usd'
        : undefined,
    available: amount(body.availableUsd) ?? amount(body.balanceUsd),
  };
};
