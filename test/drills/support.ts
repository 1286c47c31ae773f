import { createMockServer, type MockServer } from '../../mock/index.js';

/** mulberry32: a small seeded PRNG, so a drill's faults fire the same way on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const ADMIN_KEY = 'wl_admin_drill';

/** A white-label platform with a deep admin balance and `users` users (ids 1..users), all at zero. */
export function drillSeed(users: number, adminMinutes = 10_000_000) {
  return {
    whiteLabel: {
      platforms: [
        {
          adminKey: ADMIN_KEY,
          minutes: adminMinutes,
          users: Array.from({ length: users }, (_, i) => ({
            id: i + 1,
            email: `user${i + 1}@drill.example`,
            name: `User ${i + 1}`,
            minutes: 0,
            credits: 0,
          })),
        },
      ],
    },
  };
}

/** Every white-label transfer in the journal, through the control API, following the cursor. */
export async function journalTransfers(
  server: MockServer,
): Promise<{ idempotencyKey: string | null; operationId: string }[]> {
  const entries: { idempotencyKey: string | null; operationId: string }[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({
      family: 'whiteLabel',
      limit: '1000',
      ...(cursor ? { cursor } : {}),
    });
    const page = (await (await fetch(`${server.url}/_mock/journal?${query}`)).json()) as {
      entries: { idempotencyKey: string | null; operationId: string }[];
      nextCursor: string | null;
    };
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor);
  return entries.filter((entry) => entry.operationId === 'transferWhiteLabelBalance');
}

export { createMockServer };
