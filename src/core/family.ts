/**
 * The four API families. `Family` is the wire tag (`err.family`, OpenAPI tags); `FamilyKey` is the
 * camelCase name used in client options and on the client (`client.whiteLabel`).
 */
export type Family = 'white-label' | 'reseller' | 'credit-send' | 'billing';
/** The camelCase family name of client options and of the client: `client.whiteLabel`, `baseUrls.billing`. */
export type FamilyKey = 'whiteLabel' | 'reseller' | 'creditSend' | 'billing';

/** Family key -> wire tag, in the order the docs list the families. */
export const FAMILIES: Readonly<Record<FamilyKey, Family>> = {
  whiteLabel: 'white-label',
  reseller: 'reseller',
  creditSend: 'credit-send',
  billing: 'billing',
};

/** The family keys, in the order of `FAMILIES`. */
export const KEYS = Object.keys(FAMILIES) as FamilyKey[];

/** Documented public hosts. Spec paths are full native paths, so base URLs are bare origins. */
export const DOCUMENTED_ORIGINS: Readonly<Record<FamilyKey, string>> = {
  whiteLabel: 'https://app.autocalls.ai',
  reseller: 'https://backend.omnidim.io',
  creditSend: 'https://public-api.timesafe.io',
  billing: 'https://builder.flowyte.com',
};
