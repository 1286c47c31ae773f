/**
 * The hostile-input figures measured against a reference server in a child process (the CLI as
 * shipped, started by the bench), so its memory and CPU are the server's alone: anonymous login keys
 * (`logins`), one connection pipelining without reading (`pipelined`), and long clock moves
 * (`clock`). Each part prints its figures beside the ones of the original report, taken before the
 * fixes (docs/decisions.md, "Durability and hostile input").
 */
import { readFile, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { MB, procStats, sleep, untilIdle } from './support/proc-stats.js';
import { freePort, startProcess, waitForAnswer, withChildren } from './support/processes.js';
import { type Log, median, printTable } from './support/report.js';
import { buildReferenceCli, PROBE, ROOT, writeBenchSeed } from './support/targets.js';

const ADA = { email: 'ada@example.com', secret: 's3cret-ada' };
const WALLET =
  'GET /api/v1/billing/wallet HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer flowyte_sk_test_demo\r\n\r\n';
/** An organization renting 50 numbers on a plan: every month start charges a rental and a renewal. */
const NUMBERS_ORG = {
  id: 'org_numbers',
  credits: 2_000_000,
  planId: 'starter',
  numbers: 50,
  apiKeys: [],
  sessions: ['sess_numbers'],
  settlement: 'immediate',
};

/** One row: the figure's name, what this run measured, what the original report measured. */
export type Figure = readonly [name: string, after: string, original: string];

/** A part's table rows and its JSON line's numbers. */
export interface PartResult {
  readonly figures: readonly Figure[];
  readonly json: Readonly<Record<string, number | string>>;
}

interface Server {
  readonly url: string;
  readonly pid: number;
}

let cli: Promise<string> | undefined;

/** Runs `body` with a fresh reference server (demo seed plus {@link NUMBERS_ORG}) in a child process. */
async function withServer<T>(body: (server: Server) => Promise<T>): Promise<T> {
  cli ??= buildReferenceCli();
  const file = await cli;
  const seed = await writeBenchSeed();
  try {
    const parsed = JSON.parse(await readFile(seed.file, 'utf8')) as {
      billing: { organizations: unknown[] };
    };
    parsed.billing.organizations.push(NUMBERS_ORG);
    const seedFile = join(seed.file, '..', 'hostile-seed.json');
    await writeFile(seedFile, JSON.stringify(parsed));
    return await withChildren(async (started) => {
      const port = await freePort();
      const args = [file, '--port', String(port), '--log', 'silent', '--seed', seedFile];
      const child = started(startProcess('reference server', process.execPath, args, ROOT));
      const url = `http://127.0.0.1:${port}`;
      await waitForAnswer(child, `${url}${PROBE.path}`, { headers: PROBE.headers });
      const pid = child.process.pid;
      if (pid === undefined) throw new Error('the server has no pid');
      return body({ url, pid });
    });
  } finally {
    await seed.remove();
  }
}

async function post(
  url: string,
  path: string,
  json: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; ms: number; body: string }> {
  const start = performance.now();
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(json),
  });
  const body = await response.text();
  return { status: response.status, ms: performance.now() - start, body };
}

const mb = (bytes: number): string => `${Math.round(bytes / MB)} MB`;
const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : Math.round(value)} ms`;

/** `count` refused logins (invented emails, fresh keys), one at a time: their times and statuses. */
async function refusedLogins(
  url: string,
  count: number,
  tag: string,
): Promise<{ ms: number[]; statuses: string }> {
  const times: number[] = [];
  const statuses = new Map<number, number>();
  for (let i = 0; i < count; i += 1) {
    const headers = { 'idempotency-key': `${tag}-${i}` };
    const answer = await post(
      url,
      '/user/login',
      { email: `nobody-${tag}-${i}@example.com`, secret: 'x' },
      headers,
    );
    times.push(answer.ms);
    statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  }
  return { ms: times, statuses: [...statuses].map(([status, n]) => `${n}x ${status}`).join(', ') };
}

/** A keyed write of each family with a fresh key, as a tenant with a credential sends it. */
async function tenantWrites(url: string): Promise<string> {
  const login = await post(url, '/user/login', { ...ADA, ttl: '3600' });
  const token = (JSON.parse(login.body) as { data: { token: string } }).data.token;
  const key = (family: string) => ({ 'idempotency-key': `tenant-${family}` });
  const answers = [
    await post(
      url,
      '/api/white-label/transfer',
      { user_id: 123, transfer_type: 'minutes', operation: 'add', amount: 1 },
      { authorization: 'Bearer wl_admin_demo', ...key('wl') },
    ),
    await post(
      url,
      '/api/v1/reseller/credits/transfer',
      { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 },
      { authorization: 'Bearer rs_demo', ...key('rs') },
    ),
    await post(url, '/credits/send', { user: 11, credits: 1 }, { token, ...key('cs') }),
    await post(
      url,
      '/api/v1/billing/wallet/credit',
      { amountUsd: 1, reason: 'n' },
      { authorization: 'Bearer flowyte_sk_test_demo', ...key('bl') },
    ),
  ];
  return answers.map((answer) => answer.status).join(' ');
}

const SAMPLES = 200;
const ANONYMOUS_POOL = 10_000;

/** (a) Refused logins with an empty and a full anonymous key pool; tenants' keyed writes after. */
export async function loginsPart(log: Log): Promise<PartResult> {
  return withServer(async ({ url, pid }) => {
    await refusedLogins(url, 50, 'warm');
    const empty = await refusedLogins(url, SAMPLES, 'empty');
    // Fill the pool with successful keyed logins (only answers below 400 keep a key), 16 at a time.
    let next = 0;
    let kept = 0;
    const fill = async () => {
      while (next < ANONYMOUS_POOL) {
        const i = next++;
        const answer = await post(
          url,
          '/user/login',
          { ...ADA, ttl: '60' },
          { 'idempotency-key': `fill-${i}` },
        );
        if (answer.status === 200) kept += 1;
      }
    };
    await Promise.all(Array.from({ length: 16 }, fill));
    const over = await post(url, '/user/login', { ...ADA, ttl: '60' }, { 'idempotency-key': 'one-more' });
    const full = await refusedLogins(url, SAMPLES, 'full');
    const tenants = await tenantWrites(url);
    const { rssBytes } = procStats(pid);
    log(`  pool filled with ${kept.toLocaleString('en')} keyed logins; the next new key: ${over.status}`);
    const figures: Figure[] = [
      [
        'refused login, empty pool: median (max)',
        `${ms(median(empty.ms))} (${ms(Math.max(...empty.ms))}); ${empty.statuses}`,
        'not reported',
      ],
      [
        'refused login, full pool (10,000): median (max)',
        `${ms(median(full.ms))} (${ms(Math.max(...full.ms))}); ${full.statuses}`,
        '50-130 ms each (1,000,000 keys, the server-wide cap)',
      ],
      ["tenants' keyed writes after (wl rs cs billing)", tenants, '429 for every family'],
      ['server RSS with the pool full', mb(rssBytes), '~1 GB'],
    ];
    const json = {
      refusedEmptyMedianMs: median(empty.ms),
      refusedFullMedianMs: median(full.ms),
      refusedFullMaxMs: Math.max(...full.ms),
      tenantStatuses: tenants,
      rssMb: rssBytes / MB,
    };
    return { figures, json };
  });
}

const PIPELINED = 400_000;

/** (b) One connection pipelining {@link PIPELINED} wallet reads and never reading an answer. */
export async function pipelinedPart(log: Log): Promise<PartResult> {
  return withServer(async ({ url, pid }) => {
    const before = procStats(pid);
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    socket.pause();
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const sentAt = performance.now();
    socket.write(WALLET.repeat(PIPELINED));
    // The server is stuck on the client once it stops using the CPU (it stopped reading).
    const stuck = await untilIdle(pid, { windowMs: 500, timeoutMs: 60_000 });
    const held = procStats(pid);
    log(
      `  server idle ${Math.round(performance.now() - sentAt)} ms after the send (went idle: ${stuck.idle})`,
    );
    socket.destroy();
    const closedCpu = procStats(pid).cpuSeconds;
    const afterClose = await untilIdle(pid, { timeoutMs: 90_000 });
    await sleep(500);
    const after = procStats(pid);
    const figures: Figure[] = [
      [
        'server RSS before -> while held (peak)',
        `${mb(before.rssBytes)} -> ${mb(held.rssBytes)} (peak ${mb(held.peakRssBytes)})`,
        '71 MB -> 1,015 MB',
      ],
      [
        'busy after the client closed',
        `${ms(afterClose.ms)}${afterClose.idle ? '' : ' (still busy)'}, ${(after.cpuSeconds - closedCpu).toFixed(2)} s CPU`,
        '73 s at 100% CPU',
      ],
      ['server RSS after the close', mb(after.rssBytes), 'not reported'],
    ];
    const json = {
      rssBeforeMb: before.rssBytes / MB,
      peakRssMb: held.peakRssBytes / MB,
      busyAfterCloseMs: afterClose.ms,
      cpuAfterCloseSeconds: after.cpuSeconds - closedCpu,
      rssAfterCloseMb: after.rssBytes / MB,
    };
    return { figures, json };
  });
}

/** Newest journal entry's id (ids count entries from 1), to count what a move adds. */
async function newestEntryId(url: string): Promise<number> {
  const page = (await (await fetch(`${url}/_mock/journal?limit=1`)).json()) as { entries: { id: number }[] };
  return page.entries[0]?.id ?? 0;
}

/** (c) A jump to 9999 (refused) and the largest move allowed, 120 month starts, with 50 numbers rented. */
export async function clockPart(log: Log): Promise<PartResult> {
  return withServer(async ({ url, pid }) => {
    // Backwards is free: the server starts on real time.
    const start = await post(url, '/_mock/clock', { now: '2025-06-01T12:00:00Z' });
    if (start.status !== 200) throw new Error(`setting the clock failed: ${start.body}`);
    const far = await post(url, '/_mock/clock', { now: '9999-12-31T00:00:00Z' });
    const first = await newestEntryId(url);
    const most = await post(url, '/_mock/clock', { now: '2035-06-01T12:00:00Z' });
    const added = (await newestEntryId(url)) - first;
    const stats = procStats(pid);
    log(`  the 120-month move answered ${most.status}`);
    const figures: Figure[] = [
      ['POST /_mock/clock to 9999-12-31', `${far.status} in ${ms(far.ms)}`, 'answered after 11.4 s'],
      [
        'largest move allowed (120 month starts)',
        `${most.status} in ${ms(most.ms)}, ${added.toLocaleString('en')} journal entries`,
        'no bound: 27.9 s and 370k entries (0000 -> 9999)',
      ],
      ['server RSS after it (peak)', `${mb(stats.rssBytes)} (peak ${mb(stats.peakRssBytes)})`, '1 GB'],
    ];
    const json = {
      farStatus: far.status,
      farMs: far.ms,
      mostMs: most.ms,
      mostJournalEntries: added,
      peakRssMb: stats.peakRssBytes / MB,
    };
    return { figures, json };
  });
}

/** Prints a part's figures as a table, this run beside the original report, then its JSON line. */
export function printPart(log: Log, part: string, { figures, json }: PartResult): void {
  printTable(log, [['figure', 'after (this run)', 'original report'], ...figures]);
  const rounded = Object.entries(json).map(([k, v]) => [
    k,
    typeof v === 'number' ? Math.round(v * 100) / 100 : v,
  ]);
  log(JSON.stringify({ bench: 'hostile', part, ...Object.fromEntries(rounded) }));
}
