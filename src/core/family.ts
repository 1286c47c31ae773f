/**
 * The API families, declared once in openapi.yaml (tags with an `x-ledgerline-family` extension) and
 * generated into `generated/families.ts`.
 */
export {
  DOCUMENTED_ORIGINS,
  FAMILIES,
  FAMILY_KEYS,
  FAMILY_KEYS_BY_TAG,
  type Family,
  type FamilyKey,
  PATH_PREFIXES,
} from '../../generated/families.js';
