import { text } from '../json.js';
import { amount, type ErrorBodyReader, type FieldErrors, fieldsOf, parseFieldList } from './fields.js';

/**
 * Reseller: `{error: <code>, error_description}`, extras `available_balance` and `fields`. A short
 * pool of concurrency slots (`insufficient_concurrency`, `reseller_available`) is a short balance of
 * the `slots` asset.
 */
export const readResellerError: ErrorBodyReader = (_status, body) => {
  const familyCode = text(body.error);
  const said = text(body.error_description);
  let fields: FieldErrors = {};
  if (familyCode?.startsWith('invalid_')) fields = { ...parseFieldList(said), ...fieldsOf(body.fields) };
  if (familyCode === 'invalid_cost_per_min') fields.cost_per_min ??= [said ?? 'is below your rate'];
  return {
    familyCode,
    text: said,
    fields,
    asset:
      familyCode === 'insufficient_balance'
        ? 'usd'
        : familyCode === 'insufficient_concurrency'
          ? 'slots'
          : undefined,
    available: amount(body.available_balance ?? body.reseller_available),
  };
};
