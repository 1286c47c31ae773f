// What the CLI prints on start: where it listens, the seed's credentials and a curl per family, read
// from the seed it loaded (the demo seed or --seed's file), so the commands work as printed.

type Raw = Record<string, unknown>;

const record = (value: unknown): Raw =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Raw) : {};
const list = (value: unknown): Raw[] => (Array.isArray(value) ? value.map(record) : []);
const more = (count: number, noun: string): string =>
  count > 0 ? `; ${count} more ${noun}${count > 1 ? 's' : ''} in the seed` : '';
const json = (value: unknown): string => `-H 'Content-Type: application/json' -d '${JSON.stringify(value)}'`;

/** One family's banner part: credential lines and the curl lines that use them. */
interface Part {
  readonly credentials: string[];
  readonly curls: string[];
}

function whiteLabel(url: string, seed: Raw): Part | undefined {
  const platforms = list(seed.platforms);
  const platform = platforms[0];
  if (!platform) return undefined;
  const user = list(platform.users)[0];
  const userKeys = Array.isArray(seed.userKeys) ? seed.userKeys : [];
  const userKey = userKeys.length > 0 ? `, user key ${String(userKeys[0])}` : '';
  const who = user ? ` (user ${String(user.id)}, ${String(user.email)})` : '';
  const bearer = `-H 'Authorization: Bearer ${String(platform.adminKey)}'`;
  return {
    credentials: [
      `white-label  admin key ${String(platform.adminKey)}${who}${userKey}${more(platforms.length - 1, 'platform')}`,
    ],
    curls: [
      user
        ? `curl -X POST ${url}/api/white-label/transfer ${bearer} ${json({ user_id: user.id, transfer_type: 'minutes', operation: 'add', amount: 100 })}`
        : `curl ${url}/api/user/me ${bearer}`,
    ],
  };
}

function reseller(url: string, seed: Raw): Part | undefined {
  const resellers = list(seed.resellers);
  const first = resellers[0];
  if (!first) return undefined;
  const children = list(first.children);
  const child = children[0];
  const childText = children.map((c) => String(c.organizationId)).join(', ');
  const bearer = `-H 'Authorization: Bearer ${String(first.apiKey)}'`;
  return {
    credentials: [
      `reseller     api key ${String(first.apiKey)} (organization ${String(first.organizationId)}${children.length > 0 ? `, children ${childText}` : ''})${more(resellers.length - 1, 'reseller')}`,
    ],
    curls: [
      child
        ? `curl -X POST ${url}/api/v1/reseller/credits/transfer ${bearer} ${json({ to_organization_id: child.organizationId, minutes: 20, cost_per_min: child.costPerMin })}`
        : `curl ${url}/api/v1/reseller/organizations ${bearer}`,
    ],
  };
}

function creditSend(url: string, seed: Raw): Part | undefined {
  const organizations = list(seed.organizations);
  const users = list(organizations[0]?.users);
  const [sender, recipient] = users;
  if (!sender) return undefined;
  const shown = users
    .slice(0, 2)
    .map((u) => `${String(u.email)} / ${String(u.secret)} (user ${String(u.id)})`);
  const others = organizations.slice(1).reduce((sum, o) => sum + list(o.users).length, 0);
  const login = { email: sender.email, secret: sender.secret, ttl: '3600' };
  return {
    credentials: [`credit-send  ${shown.join(', ')}${more(users.length + others - shown.length, 'user')}`],
    curls: [
      `TOKEN=$(curl -s -X POST ${url}/user/login ${json(login)} | sed -E 's/.*"token":"([^"]+)".*/\\1/')`,
      recipient
        ? `curl -X POST ${url}/credits/send -H "token: $TOKEN" ${json({ user: recipient.id, credits: 2 })}`
        : `curl ${url}/user/me -H "token: $TOKEN"`,
    ],
  };
}

function billing(url: string, seed: Raw): Part | undefined {
  const organizations = list(seed.organizations);
  const first = organizations[0];
  if (!first) return undefined;
  const key = list(first.apiKeys)[0]?.key;
  const session = Array.isArray(first.sessions) ? first.sessions[0] : undefined;
  const credential = key ?? session;
  const parts = [
    ...(key === undefined ? [] : [`api key ${String(key)}`]),
    ...(session === undefined ? [] : [`dashboard session ${String(session)}`]),
  ];
  return {
    credentials: [
      `billing      ${parts.join(', ') || 'no credentials'} (${String(first.id)})${more(organizations.length - 1, 'organization')}`,
    ],
    curls:
      credential === undefined
        ? []
        : [`curl ${url}/api/v1/billing/wallet -H 'Authorization: Bearer ${String(credential)}'`],
  };
}

/**
 * The start-up banner.
 * @param url The base URL the server listens on.
 * @param seed The seed it loaded (already checked).
 * @param source Where the seed came from, e.g. `mock/seeds/demo.json` or the `--seed` file.
 * @param adminToken The `--admin-token` (or a `$VARIABLE` holding it), added to the `/_mock` curls.
 */
export function startupBanner(
  url: string,
  seed: Readonly<Record<string, unknown>>,
  source: string,
  adminToken: string | undefined,
): string {
  // Double quotes, so a shell expands a `$VARIABLE` given in place of the token.
  const admin = adminToken ? ` -H "x-mock-admin-token: ${adminToken}"` : '';
  const parts = [
    whiteLabel(url, record(seed.whiteLabel)),
    reseller(url, record(seed.reseller)),
    creditSend(url, record(seed.creditSend)),
    billing(url, record(seed.billing)),
  ].filter((part): part is Part => part !== undefined);
  const lines = [`ledgerline reference server listening on ${url}`, ''];
  if (parts.length === 0)
    lines.push(`The seed (${source}) has no accounts: load one with POST /_mock/reset.`, '');
  else {
    lines.push(`Credentials (${source}):`, ...parts.flatMap((p) => p.credentials.map((c) => `  ${c}`)), '');
    lines.push('Try:', ...parts.flatMap((p) => p.curls.map((c) => `  ${c}`)), '');
  }
  lines.push(`Inspect: curl ${url}/_mock/state${admin}    Journal: curl ${url}/_mock/journal${admin}`, '');
  lines.push(`Inspector page: ${url}/_mock/ui (balances, journal, requests, faults, clock, sandboxes)`, '');
  return `${lines.join('\n')}\n`;
}
