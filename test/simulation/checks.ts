import type { RunState } from './simulation.js';
import type { Target } from './targets.js';

/** One account of `GET /_mock/state`. */
interface StateAccount {
  readonly id: string;
  readonly balances: Readonly<Record<string, number>>;
}

/** A journal entry of `GET /_mock/journal`. */
interface JournalEntry {
  readonly id: string;
  readonly postings: readonly { debit: string; credit: string; asset: string; amount: number }[];
  readonly idempotencyKey: string | null;
  readonly operationId?: string;
  readonly operation?: string;
}

/** Checks after every step, in every world (main and sandboxes). Problems go to `state.violations`. */
export async function checkStep(state: RunState): Promise<void> {
  for (const target of state.targets) {
    await replicasAgree(state, target);
    await invariants(state, target);
    await sdkView(state, target);
    await commitsPerKey(state, target);
    await requestJournal(state, target);
    await replaySample(state, target);
  }
}

/** Each answer of the step is in the request journal (`GET /_mock/requests`) under its id, with the status the client got. */
async function requestJournal(state: RunState, target: Target): Promise<void> {
  const answers = target.answers.splice(0);
  // Family requests only (a sandbox's path starts with its prefix, which is under /_mock/ too).
  const family = answers.filter(
    (a) => !a.path.split(' ')[1]?.slice(target.prefix.length).startsWith('/_mock/'),
  );
  // Each process keeps its own request journal: with replicas, the request is in the one that answered it.
  const records = new Map<string, (number | null)[]>();
  for (const page of await onEachReplica(state, `${target.prefix}/_mock/requests?limit=100`)) {
    const listed = (page.body as { requests?: { id: string; status: number | null }[] }).requests ?? [];
    const ids = new Set(listed.map((r) => r.id));
    // One record per request: a request answered again (a failed write's 503) amends its own record.
    if (ids.size !== listed.length)
      state.violations.push(
        `${target.name}: the request journal holds ${listed.length - ids.size} request id(s) twice`,
      );
    for (const record of listed) records.set(record.id, [...(records.get(record.id) ?? []), record.status]);
  }
  for (const answer of family.slice(-50)) {
    const statuses = records.get(answer.requestId) ?? [];
    const status = statuses.includes(answer.status) ? answer.status : statuses.join(' or ') || undefined;
    if (status !== answer.status)
      state.violations.push(
        `${target.name}: ${answer.path} answered ${answer.status} as ${answer.requestId}; the request journal says ${status}`,
      );
  }
}

/** `GET path` on every process of the server (one, or each PostgreSQL replica), in order. */
async function onEachReplica(state: RunState, path: string): Promise<{ status: number; body: unknown }[]> {
  const [route = path, search = ''] = path.split('?');
  const outcomes = await state.server.answerEach({
    method: 'GET',
    path: route,
    query: new URLSearchParams(search),
    header: () => undefined,
    bodyText: null,
  });
  return outcomes.map((outcome) =>
    outcome.kind === 'drop'
      ? { status: 0, body: undefined }
      : { status: outcome.response.status, body: outcome.response.body },
  );
}

/** Replicas of one store answer the same books (each catches up before it reads): `GET /_mock/state`. */
async function replicasAgree(state: RunState, target: Target): Promise<void> {
  if (state.server.replicas < 2) return;
  const [first, ...others] = (await onEachReplica(state, `${target.prefix}/_mock/state`)).map((a) =>
    JSON.stringify(a),
  );
  others.forEach((other, i) => {
    if (other !== first)
      state.violations.push(`${target.name}: replica ${i + 2} ${stateDifference(first, other)}`);
  });
}

/** What differs between two answers of `GET /_mock/state`: the clock, or the accounts whose balances differ. */
function stateDifference(first = '', other = ''): string {
  type View = { status: number; body?: { now?: string; accounts?: StateAccount[] } };
  const [a, b] = [JSON.parse(first) as View, JSON.parse(other) as View];
  if (a.status !== b.status)
    return `answers GET /_mock/state ${b.status}, replica 1 ${a.status} ${JSON.stringify(a.body)}`;
  if (a.body?.now !== b.body?.now) return `has the clock at ${b.body?.now}, replica 1 at ${a.body?.now}`;
  const balances = new Map(
    (a.body?.accounts ?? []).map((account) => [account.id, JSON.stringify(account.balances)]),
  );
  const differ = (b.body?.accounts ?? [])
    .filter((account) => balances.get(account.id) !== JSON.stringify(account.balances))
    .map(
      (account) =>
        `${account.id} ${JSON.stringify(account.balances)} (replica 1: ${balances.get(account.id) ?? 'none'})`,
    );
  return `answers other balances: ${differ.join('; ') || 'other accounts'}`;
}

/** Conservation, non-negative user balances, the journal's replay, keys committed once: `GET /_mock/invariants`. */
async function invariants(state: RunState, target: Target): Promise<void> {
  const report = await state.control('GET', `${target.prefix}/_mock/invariants`);
  const body = report.body as { ok?: boolean; checks?: { name: string; ok: boolean; detail: string }[] };
  if (report.status === 200 && body.ok === true) return;
  const failed = (body.checks ?? []).filter((check) => !check.ok).map((c) => `${c.name}: ${c.detail}`);
  state.violations.push(`${target.name}: invariants ${report.status}: ${failed.join('; ')}`);
}

/** Every balance the SDK answers equals the ledger's (`GET /_mock/state`). */
async function sdkView(state: RunState, target: Target): Promise<void> {
  const answer = await state.control('GET', `${target.prefix}/_mock/state`);
  const accounts = new Map(
    ((answer.body as { accounts?: StateAccount[] }).accounts ?? []).map((a) => [a.id, a.balances]),
  );
  const expect = (what: string, sdk: number | undefined, account: string, asset: string, scale = 1) => {
    const ledger = accounts.get(account)?.[asset];
    if (sdk === undefined || ledger === undefined || Math.abs(sdk * scale - ledger) > 1e-9)
      state.violations.push(
        `${target.name}: the SDK sees ${what} = ${sdk}, the ledger ${account} ${asset} = ${ledger}`,
      );
  };
  for (const [platform, client] of [
    [1, target.first],
    [2, target.second],
  ] as const) {
    const me = await client.whiteLabel.me();
    expect(
      `platform ${platform} admin minutes`,
      me.minutes_balance,
      `white-label:admin:${platform}`,
      'minutes',
    );
    for (const user of (await client.whiteLabel.listUsers()).data) {
      const id = `white-label:user:${platform}:${user.id}`;
      expect(`platform ${platform} user ${user.id} minutes`, user.minutes_balance, id, 'minutes');
      expect(`platform ${platform} user ${user.id} credits`, user.credits_balance, id, 'credits');
    }
    const wallet = await client.billing.getWallet();
    const org = platform === 1 ? 'org_demo' : 'org_manual';
    expect(`${org} wallet`, wallet.balanceUsd, `billing:wallet:${org}`, 'credits', 100);
  }
  const organizations = await target.first.reseller.listOrganizations();
  const reseller = organizations.reseller_organization;
  expect('reseller 5678 pool', reseller.concurrent_call_limit, 'reseller:organization:5678', 'slots');
  for (const child of organizations.organizations) {
    expect(`child ${child.id} balance`, child.org_balance, `reseller:organization:${child.id}`, 'usd');
    expect(
      `child ${child.id} limit`,
      child.concurrent_call_limit,
      `reseller:organization:${child.id}`,
      'slots',
    );
  }
}

/**
 * One commit per Idempotency-Key: reads the journal entries added since the last step; a key
 * whose entries came in two steps, or more entries than one request makes, committed twice.
 */
async function commitsPerKey(state: RunState, target: Target): Promise<void> {
  const fresh: JournalEntry[] = [];
  let cursor: string | null = null;
  page: do {
    const query = new URLSearchParams({ limit: '200', ...(cursor ? { cursor } : {}) });
    const answer = await state.control('GET', `${target.prefix}/_mock/journal?${query}`);
    const body = answer.body as { entries: JournalEntry[]; nextCursor: string | null };
    for (const entry of body.entries) {
      if (target.seenEntries.has(entry.id)) break page;
      fresh.push(entry);
    }
    cursor = body.nextCursor;
  } while (cursor);
  for (const entry of fresh.reverse()) {
    target.seenEntries.add(entry.id);
    creditRefunds(state, target, entry);
    const key = entry.idempotencyKey;
    if (key === null) continue;
    const before = target.keyCommits.get(key);
    // A key is kept 24 hours of mock time: after that the same key is a new request.
    if (before === undefined || target.nowMs - before.atMs >= 86_400_000) {
      target.keyCommits.set(key, { step: state.step, entries: 1, atMs: target.nowMs });
      continue;
    }
    before.entries += 1;
    const operation = entry.operationId ?? entry.operation;
    if (before.step !== state.step)
      state.violations.push(
        `${target.name}: key ${key} committed at step ${before.step} and again at step ${state.step} (${operation})`,
      );
    else
      state.violations.push(
        `${target.name}: key ${key} committed ${before.entries} journal entries (${operation})`,
      );
  }
}

/** A sample of the keys answered 2xx within the last day, sent again as they were: each must replay its own body and write nothing. */
async function replaySample(state: RunState, target: Target): Promise<void> {
  const live = [...target.answered.values()].filter((a) => target.nowMs - a.atMs < a.ttlMs - 60_000);
  for (let i = 0; i < Math.min(2, live.length); i++) {
    const answered = state.prng.pick(live);
    const before = await state.server.records();
    const exchange = await state.raw(answered.request);
    // A replay changes nothing, so the durable log must not grow (a restart would run it again).
    const wrote = (await state.server.records()) - before;
    if (exchange.replayed && wrote !== 0)
      state.violations.push(
        `${target.name}: replaying key ${answered.request.header('idempotency-key')} wrote ${wrote} record(s) to the durable log`,
      );
    if (!exchange.replayed)
      state.violations.push(
        `${target.name}: ${answered.request.method} ${answered.request.path} key ${answered.request.header('idempotency-key')} sent again was not replayed (${exchange.status})`,
      );
  }
}

const hundredths = (amount: number): bigint => BigInt(Math.round(amount * 100));

/**
 * White-label credits are bought with admin minutes and refunded at their cost, pro rata and
 * rounded down, so no sequence of transfers mints minutes. The run keeps each user's cost basis (in
 * ninths of a hundredth of a minute, as the server does) from the journal's postings and checks
 * every refund against it. Users hold no credits at the start (see simulationSeed).
 */
function creditRefunds(state: RunState, target: Target, entry: JournalEntry): void {
  const credits = entry.postings.find((p) => p.asset === 'credits');
  if (credits === undefined) return;
  const minutes = entry.postings.find((p) => p.asset === 'minutes');
  const add = credits.credit.startsWith('white-label:user:');
  const user = add ? credits.credit : credits.debit;
  if (!user.startsWith('white-label:user:')) return;
  const basis = target.creditCosts.get(user) ?? { held: 0n, cost: 0n };
  const amount = hundredths(credits.amount);
  const moved = minutes === undefined ? 0n : hundredths(minutes.amount);
  if (add) {
    target.creditCosts.set(user, { held: basis.held + amount, cost: basis.cost + 9n * moved });
    return;
  }
  const share = amount >= basis.held ? basis.cost : basis.held > 0n ? (basis.cost * amount) / basis.held : 0n;
  const expected = share / 9n;
  if (moved !== expected)
    state.violations.push(
      `${target.name}: ${user} removed ${credits.amount} credits and the admin was refunded ${Number(moved) / 100} minutes; the cost basis pro rata, rounded down, is ${Number(expected) / 100}`,
    );
  target.creditCosts.set(user, { held: basis.held - amount, cost: basis.cost - 9n * moved });
}
