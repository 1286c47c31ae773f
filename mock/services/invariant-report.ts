import type { components } from '../../generated/openapi.js';
import { FAMILIES } from '../ledger/assets.js';
import { checkInvariants } from '../ledger/invariants.js';
import { internalsOf, type Ledger } from '../ledger/ledger.js';
import { formatAmount } from '../ledger/money.js';

/** What `GET /_mock/invariants` answers (openapi.yaml `MockInvariants`). */
export type InvariantReport = components['schemas']['MockInvariants'];
type Check = InvariantReport['checks'][number];

/** At most this many offenders are named in one check's detail; the count says how many there are. */
const NAMED = 5;

/**
 * The journal entries one idempotent request committed: the request pipeline notes them, so the
 * check can tell one request's several entries (a top-up and its settlement) from a key committed
 * twice.
 */
export interface KeyedCommit {
  /** The key's scope: the family and the credential (never shown: it may hold the credential). */
  readonly scope: string;
  readonly key: string;
  /** Journal ids committed by the request, first and last. */
  readonly firstEntryId: number;
  readonly lastEntryId: number;
  /** Clock time the request ran (epoch ms): which lifetime of the key it belongs to. */
  readonly atMs: number;
}

/** The pipeline's notes of which journal entries each idempotent request committed. */
export class KeyedCommitLog {
  readonly commits: KeyedCommit[] = [];

  /** A log of every keyed request `ledger` runs from now on. */
  static of(ledger: Ledger): KeyedCommitLog {
    const log = new KeyedCommitLog();
    ledger.idempotency.onRun = (scope, key) => log.watch(ledger, scope, key);
    return log;
  }

  /** Call before an idempotent request runs; call the result once it has answered. */
  watch(ledger: Ledger, scope: string, key: string): () => void {
    const before = ledger.journalSize;
    const atMs = ledger.clock.now();
    return () => {
      const after = ledger.journalSize;
      if (after > before)
        this.commits.push({ scope, key, firstEntryId: before + 1, lastEntryId: after, atMs });
    };
  }
}

/**
 * Checks the books and names every rule with its result: per family and asset, conservation (all
 * balances, system accounts included, sum to zero); the balances equal the journal's replay; no
 * user-facing account is negative; every Idempotency-Key was committed by at most one request per
 * credential. O(accounts + postings).
 * @param ledger The ledger to check.
 * @param keyedCommits What the pipeline noted of idempotent requests; journal entries that carry a
 *   key but no note (committed in-process, or before a restart) are grouped by family, operation and
 *   key instead.
 */
export function invariantReport(ledger: Ledger, keyedCommits: readonly KeyedCommit[] = []): InvariantReport {
  const checks: Check[] = [...conservation(ledger), replay(ledger), nonNegative(ledger)];
  checks.push(keysCommittedOnce(ledger, keyedCommits));
  return { ok: checks.every((check) => check.ok), checks };
}

function conservation(ledger: Ledger): Check[] {
  const checks: Check[] = [];
  const accounts = ledger.accounts();
  for (const family of FAMILIES) {
    const members = accounts.filter((account) => account.family === family);
    for (const { asset, scale } of ledger.assets.ofFamily(family)) {
      let sum = 0n;
      for (const account of members) sum += ledger.balance(account.id, asset);
      checks.push({
        name: `conservation ${family}/${asset}`,
        ok: sum === 0n,
        detail:
          sum === 0n
            ? `${members.length} accounts sum to 0`
            : `${members.length} accounts sum to ${formatAmount(sum, scale)}, not 0: value was created or destroyed`,
      });
    }
  }
  return checks;
}

function replay(ledger: Ledger): Check {
  const broken = checkInvariants(ledger).filter((violation) => violation.rule === 'replay');
  return {
    name: 'journal replay',
    ok: broken.length === 0,
    detail:
      broken.length === 0
        ? `${ledger.accounts().length} accounts equal the replay of ${ledger.journalSize} entries`
        : `${broken.length} balances differ from the journal: ${named(broken.map((v) => v.message))}`,
  };
}

function nonNegative(ledger: Ledger): Check {
  const users = ledger.accounts().filter((account) => account.kind !== 'system');
  const negative: string[] = [];
  for (const account of users) {
    for (const [asset, units] of Object.entries(ledger.balances(account.id))) {
      if (units < 0n)
        negative.push(`${account.id} ${asset} ${formatAmount(units, ledger.scaleOf(account.family, asset))}`);
    }
  }
  return {
    name: 'no negative user balance',
    ok: negative.length === 0,
    detail:
      negative.length === 0
        ? `${users.length} user-facing accounts checked`
        : `${negative.length} negative: ${named(negative)}`,
  };
}

/**
 * Splits a key's commits (in time order) into its lifetimes: a key lives for the store's `ttlMs`
 * from the commit that opened it, and a reuse after that is a new key (docs/decisions.md, "Invariant
 * status"). Returns the lifetimes holding more than one commit.
 */
function overfullLifetimes<T extends { readonly atMs: number }>(commits: readonly T[], ttlMs: number): T[][] {
  const sorted = [...commits].sort((a, b) => a.atMs - b.atMs);
  const lifetimes: T[][] = [];
  let current: T[] = [];
  for (const commit of sorted) {
    const opened = current[0];
    if (opened !== undefined && commit.atMs - opened.atMs >= ttlMs) {
      lifetimes.push(current);
      current = [];
    }
    current.push(commit);
  }
  lifetimes.push(current);
  return lifetimes.filter((lifetime) => lifetime.length > 1);
}

function keysCommittedOnce(ledger: Ledger, keyedCommits: readonly KeyedCommit[]): Check {
  const { ttlMs } = ledger.idempotency;
  // Requests that committed, per scope and key; then the keyed entries no request accounts for.
  const requests = new Map<string, KeyedCommit[]>();
  const covered = new Set<number>();
  for (const commit of keyedCommits) {
    const group = `${commit.scope}\u0000${commit.key}`;
    requests.set(group, [...(requests.get(group) ?? []), commit]);
    for (let id = commit.firstEntryId; id <= commit.lastEntryId; id += 1) covered.add(id);
  }
  const offenders: string[] = [];
  for (const lifetime of [...requests.values()].flatMap((commits) => overfullLifetimes(commits, ttlMs))) {
    const first = lifetime[0];
    if (first === undefined) continue;
    const family = first.scope.split(':')[0];
    const entries = lifetime.map((c) =>
      c.firstEntryId === c.lastEntryId ? c.firstEntryId : `${c.firstEntryId}-${c.lastEntryId}`,
    );
    offenders.push(
      `key "${first.key}" of one ${family} credential committed ${lifetime.length} times (entries ${entries.join(', ')})`,
    );
  }
  const loose = new Map<string, { id: number; atMs: number }[]>();
  const { journal } = internalsOf(ledger);
  for (const [index, key] of journal.keys) {
    if (covered.has(index + 1)) continue;
    const entry = ledger.entry(index + 1);
    if (entry === undefined) continue;
    const group = `${entry.family}\u0000${entry.operation}\u0000${key}`;
    loose.set(group, [...(loose.get(group) ?? []), { id: entry.id, atMs: entry.timeMs }]);
  }
  for (const [group, entries] of loose) {
    const [family, operation, key] = group.split('\u0000');
    for (const lifetime of overfullLifetimes(entries, ttlMs)) {
      const ids = lifetime.map((entry) => entry.id);
      offenders.push(
        `key "${key}" committed ${family} ${operation} ${ids.length} times (entries ${ids.join(', ')})`,
      );
    }
  }
  const keys = new Set([...requests.keys()]).size + loose.size;
  return {
    name: 'idempotency keys committed once',
    ok: offenders.length === 0,
    detail:
      offenders.length === 0
        ? `${keys} ${keys === 1 ? 'key' : 'keys'} checked`
        : `${offenders.length} keys committed more than once: ${named(offenders)}`,
  };
}

function named(items: readonly string[]): string {
  const shown = items.slice(0, NAMED).join('; ');
  return items.length > NAMED ? `${shown}; and ${items.length - NAMED} more` : shown;
}
