import { text } from '../json.js';
import { amount, type ErrorBodyReader, fieldsOf } from './fields.js';

/** Wallet and usage: RFC 9457 `{type: urn:ledgerline:problem:<slug>, title, detail, errors?}`. */
export const readBillingError: ErrorBodyReader = (status, body) => {
  const familyCode = text(body.type)?.replace(/^.*[:/]/, '');
  return {
    familyCode,
    text: text(body.detail) ?? text(body.title),
    fields: fieldsOf(body.errors),
    asset: familyCode === 'insufficient-funds' || status === 402 ? 'usd' : undefined,
    available: amount(body.availableUsd) ?? amount(body.balanceUsd),
  };
};
