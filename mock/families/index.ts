import type { AssetDefinition } from '../ledger/assets.js';
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

/**
 * The built-in families' assets (docs/decisions.md, "The project contract", the ledger), each declared in its family's folder: what a
 * standalone `new Ledger({ assets: BUILTIN_ASSETS })` needs to hold the families' accounts.
 */
export const BUILTIN_ASSETS: readonly AssetDefinition[] = BUILTIN_FAMILIES.flatMap((family) => family.assets);

export { billing, control, creditSend, reseller, whiteLabel };
