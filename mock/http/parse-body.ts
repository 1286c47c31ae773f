import { inspectJsonText } from './json-guard.js';

/** Request bodies over this size are refused with 413 before parsing (DESIGN.md: 64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

export type ParsedBody =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly kind: 'malformed_json' | 'unsupported_media_type' | 'payload_too_large';
      readonly detail: string;
    }
  /** A number the JSON text holds more exactly than a double: a validation error on `field`. */
  | {
      readonly ok: false;
      readonly kind: 'imprecise_number';
      readonly field: string;
      readonly fragment: string;
    };

/**
 * Parses a JSON request body. An empty body parses as `{}` so that validation can name each missing
 * field, which says more than "body required".
 */
export function parseJsonBody(
  bodyText: string | null,
  contentType: string | undefined,
  tooLarge = false,
): ParsedBody {
  if (tooLarge || (bodyText !== null && utf8Length(bodyText) > MAX_BODY_BYTES)) {
    return {
      ok: false,
      kind: 'payload_too_large',
      detail: `The request body exceeds ${MAX_BODY_BYTES} bytes; send a smaller one.`,
    };
  }
  if (bodyText === null || bodyText.trim() === '') return { ok: true, value: {} };
  // The exact common value skips the split and case folding, which give it back unchanged.
  const mediaType =
    contentType === 'application/json' ? contentType : contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json' && !mediaType?.endsWith('+json')) {
    return {
      ok: false,
      kind: 'unsupported_media_type',
      detail: `Send the body as JSON with Content-Type: application/json (got ${mediaType ? `"${mediaType}"` : 'no content type'}).`,
    };
  }
  const problem = inspectJsonText(bodyText);
  if (problem?.kind === 'too_deep') return { ok: false, kind: 'malformed_json', detail: problem.detail };
  if (problem !== undefined) return { ok: false, ...problem };
  try {
    return { ok: true, value: JSON.parse(bodyText) };
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'unreadable JSON';
    return { ok: false, kind: 'malformed_json', detail: `The request body is not valid JSON: ${reason}.` };
  }
}

// A UTF-16 code unit takes at most 3 UTF-8 bytes: short bodies skip the encoding on the hot path.
function utf8Length(text: string): number {
  return text.length * 3 <= MAX_BODY_BYTES ? text.length : new TextEncoder().encode(text).length;
}
