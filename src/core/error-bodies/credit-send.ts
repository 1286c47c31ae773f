import { record, text } from '../json.js';
import { type ErrorBodyReader, type ErrorReading, parseFieldList } from './fields.js';

/** Credit send: `{error: {code, details}}`; HTTP 501 is a business refusal, never a server fault. */
export const readCreditSendError: ErrorBodyReader = (status, body) => {
  const error = record(body.error);
  const reading: ErrorReading = { familyCode: text(error.code), text: text(error.details) };
  const said = reading.text ?? '';
  if (status === 501) {
    if (/enough credits/i.test(said)) return { ...reading, asset: 'credits' };
    // Unknown recipient, or one outside the sender's organization: the API cannot tell them apart.
    return { ...reading, refusal: /does not exist|permission/i.test(said) ? 'not_found' : 'refused' };
  }
  // Rewritten into the field-list convention: "Missing argument email." -> "email: is required",
  // "This ttl is not valid." -> "ttl: is not valid", "Invalid credits: must be at most 9999." -> "credits: ...".
  if (status === 400)
    reading.fields = parseFieldList(
      reading.text
        ?.replace(/^Missing argument (\S+?)\.?$/, '$1: is required')
        .replace(/^This (\S+) is not valid.*/, '$1: is not valid')
        .replace(/^Invalid\s+/, ''),
    );
  return reading;
};
