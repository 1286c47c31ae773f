import { FAMILIES, FAMILY_KEYS_BY_TAG, type Family, type FamilyKey } from '../../generated/families.js';

// The control API names a family by its key, the seed's section name (`whiteLabel`), everywhere:
// queries, answers, the state, the ledger journal and the request journal (docs/decisions.md, "One
// vocabulary for the control API"). The ledger keeps the spec's tags (`white-label`) inside; this
// is the one place the two meet.

/** The control API's name of an openapi.yaml family: `white-label` -> `whiteLabel`. */
export function familyKey(tag: Family): FamilyKey {
  return FAMILY_KEYS_BY_TAG[tag];
}

/** The ledger's tag of a family key: `whiteLabel` -> `white-label`. */
export function familyTag(key: FamilyKey): Family {
  return FAMILIES[key];
}

/** A registry member's name in the control API: its seed key, or its tag when it has no seed section. */
export function memberKey(member: { readonly tag: string; readonly seedKey?: string | undefined }): string {
  return member.seedKey ?? member.tag;
}
