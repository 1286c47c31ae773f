import { text } from '../json.js';
import { amount, type ErrorBodyReader, fieldsOf } from './fields.js';

/**
 * White-label: `{error}` with balance extras, Laravel 422 `{message, errors}` (a reused key is an
 * error on the field `Idempotency-Key`), 401 `{message}`. Bodies carry no code of their own.
 */
export const readWhiteLabelError: ErrorBodyReader = (_status, body) => {
  const said = text(body.error) ?? text(body.message);
  const fields = fieldsOf(body.errors);
  // "Insufficient minutes balance." (admin) / "User has insufficient credits balance." (user)
  const asset = /insufficient (\w+) balance/i.exec(said ?? '')?.[1]?.toLowerCase();
  return {
    familyCode: fields['Idempotency-Key'] ? 'idempotency_key_reused' : undefined,
    text: said,
    fields,
    asset,
    available: amount(body.available_balance) ?? amount(body[`user_${asset}_balance`]),
  };
};
