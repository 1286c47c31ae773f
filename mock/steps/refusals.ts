import type { FamilyModule } from '../family-kit/family.js';
import type { MockRequest, MockResponse } from '../family-kit/types.js';
import { AmountError } from '../ledger/money.js';

/**
 * Why the server answers 503 with nothing changed: its durable store cannot save (`unsaved`), a
 * shared store's database cannot be reached (`unreachable`: nothing is answered from this
 * replica's state then), or another replica held the state too long (`busy`).
 */
export type UnavailableReason = 'unsaved' | 'unreachable' | 'busy';

/** What the client is told for each {@link UnavailableReason}: the one text of each. */
export const UNAVAILABLE: Readonly<Record<UnavailableReason, string>> = {
  unsaved:
    'The reference server cannot save its state right now, so it changed nothing; reads still work. Retry later.',
  unreachable:
    'The reference server cannot reach its database right now, so it changed and answered nothing; retry later.',
  busy: 'The reference server waited too long for another replica to finish with this state, so it changed and answered nothing; retry.',
};

/**
 * The one 503 builder: `reason`'s text in the shape of `family` (the path's family), or a plain
 * `{ error }` for a path no family owns.
 */
export function unavailable(family: FamilyModule | undefined, reason: UnavailableReason): MockResponse {
  const detail = UNAVAILABLE[reason];
  return family?.errors.server('unavailable', 503, detail) ?? { status: 503, body: { error: detail } };
}
/** What a state change is told when its sandbox was deleted while it waited (an async credential check). */
export const WORLD_GONE =
  'The sandbox this request was sent to was deleted while the request waited, so it changed nothing. Create a sandbox with POST /_mock/sandboxes.';

/** An operation's answer and whether it is a stored one replayed under its Idempotency-Key. */
export interface Answer {
  readonly response: MockResponse;
  readonly replayed: boolean;
}

const refused = (response: MockResponse): Answer => ({ response, replayed: false });

/** The answer to a state change its gate refused: 404 when its sandbox is gone, else 503. */
export function gateRefusal(family: FamilyModule, refusal: false | 'gone'): MockResponse {
  return refusal === 'gone'
    ? family.errors.transport('not_found', WORLD_GONE)
    : unavailable(family, 'unsaved');
}

/**
 * An exception from an operation: a refused amount (a number with more decimals than its field allows,
 * such as the float artefact `0.30000000000000004`) is the caller's error, in the family's validation
 * shape; anything else is a bug, answered 500 rather than a dropped connection.
 */
export function internalError(family: FamilyModule, request: MockRequest, error: unknown): Answer {
  if (error instanceof AmountError)
    return refused(family.errors.validation({ [error.field]: [amountFragment(error)] }, '', 'body'));
  const message = error instanceof Error ? error.message : String(error);
  console.error(`ledgerline-mock: ${request.method} ${request.path} failed:`, error);
  return refused(
    family.errors.server('internal_error', 500, `Internal error in the reference server: ${message}`),
  );
}

/** An AmountError's message without its leading field name and final period: `has 17 decimals; ...`. */
function amountFragment(error: AmountError): string {
  const text = error.message.startsWith(`${error.field} `)
    ? error.message.slice(error.field.length + 1)
    : error.message;
  return text.replace(/\.$/, '');
}
