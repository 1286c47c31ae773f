import type { MockRequest } from '../family-kit/types.js';
import { inspectJsonText } from './json-guard.js';

/** Request bodies over this size are refused with 413 before parsing (docs/decisions.md, "All families": 64 KiB). */
export const MAX_BODY_BYTES = 64 * 1024;

export type ParsedBody =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly kind: 'malformed_json' | 'unsupported_media_type';
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
export function parseJsonBody(bodyText: string | null, contentType: string | undefined): ParsedBody {
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

/** What a body over the limit is told, whichever adapter read it. */
export const TOO_LARGE_DETAIL = `The request body exceeds ${MAX_BODY_BYTES} bytes; send a smaller one.`;

/**
 * Whether a request's body is over the 64 KiB limit: `node:http` stops reading and says so; MSW hands
 * over the whole text, which is measured here, so the cap is the same under both adapters.
 */
export function bodyTooLarge(request: MockRequest): boolean {
  if (request.bodyTooLarge === true) return true;
  const text = request.bodyText;
  // A UTF-16 code unit takes at most 3 UTF-8 bytes: short bodies skip the encoding on the hot path.
  return (
    text !== null &&
    text.length * 3 > MAX_BODY_BYTES &&
    new TextEncoder().encode(text).length > MAX_BODY_BYTES
  );
}
