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

/**
 * Family of a request path. Native paths never collide, so the path alone decides; the match is
 * unanchored so a base URL with a path prefix (a proxy) still resolves. `undefined`: not a family
 * path (e.g. `/_mock`).
 */
export function familyOfPath(path: string): Family | undefined {
  const m =
    /\/(?:api\/v1\/(reseller|billing)|api\/(white-label|user\/me)|(user\/login|credits\/send))(?:\/|$)/.exec(
      path,
    );
  return (m?.[1] as Family | undefined) ?? (m?.[2] ? 'white-label' : m?.[3] ? 'credit-send' : undefined);
}
