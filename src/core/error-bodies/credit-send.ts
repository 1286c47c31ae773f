import { record, text } from '../json.js';
import { type ErrorBodyReader, type ErrorReading, parseFieldList } from './fields.js';

// The change-password page's missing parameter: `details: ["This parameter is missing: ", "old"]`.
const detailsText = (details: unknown): string | undefined =>
  Array.isArray(details) ? details.filter((part) => typeof part === 'string').join('') : text(details);

// Rewritten into the field-list convention: "Missing argument email." -> "email: is required",
// "This parameter is missing: old" -> "old: is required", "This ttl is not valid." -> "ttl: is not
// valid", "Invalid credits: must be at most 9999." -> "credits: ...".
const argumentFields = (said: string | undefined) =>
  parseFieldList(
    said
      ?.replace(/^Missing argument (\S+?)\.?$/, '$1: is required')
      .replace(/^This parameter is missing:\s*(\S+)$/, '$1: is required')
      .replace(/^This (\S+) is not valid.*/, '$1: is not valid')
      .replace(/^Invalid\s+/, ''),
  );

/**
 * Credit send: `{error: {code, details}}`. HTTP 501 is the family's documented refusal (credits and
 * change-password pages) and never a server fault: too few credits, an unknown recipient, a wrong
 * login (WRONG PASSWORD, WRONG USER) or a missing or invalid argument.
 */
export const readCreditSendError: ErrorBodyReader = (status, body) => {
  const error = record(body.error);
  const reading: ErrorReading = { familyCode: text(error.code), text: detailsText(error.details) };
  const said = reading.text ?? '';
  if (status === 501) {
    if (/enough credits/i.test(said)) return { ...reading, asset: 'credits' };
    // The login page's WRONG PASSWORD and WRONG USER: the credentials are refused.
    if (reading.familyCode === 'Wrong password' || /^This email is not valid/.test(said))
      return { ...reading, refusal: 'unauthenticated' };
    const fields =
      reading.familyCode === '3_asini_tristi' || !/permission/i.test(said) ? argumentFields(said) : {};
    if (Object.keys(fields).length > 0) return { ...reading, fields };
    // Unknown recipient, or one outside the sender's organization: the API cannot tell them apart.
    return { ...reading, refusal: /does not exist|permission/i.test(said) ? 'not_found' : 'refused' };
  }
  if (status === 400) reading.fields = argumentFields(reading.text);
  return reading;
};
