import { billing } from './billing/index.js';
import { control } from './control/index.js';
import { creditSend } from './credit-send/index.js';
import { reseller } from './reseller/index.js';
import { whiteLabel } from './white-label/index.js';

/**
 * The built-in registry members, in seeding order: the four families of openapi.yaml and the control
 * API. `MockApp` serves these and any extra families it is given (docs/architecture.md).
 */
export const BUILTIN_FAMILIES = [whiteLabel, reseller, creditSend, billing, control] as const;

export { billing, control, creditSend, reseller, whiteLabel };
