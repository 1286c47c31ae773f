/**
 * Operation sequences for the property tests, and an interpreter that runs each one on the
 * engine and on an independent model (plain bigint maps, decimal strings parsed by
 * `referenceUnits`), asserting after every step that both agree.
 */
import { expect } from 'vitest';
import { BUILTIN_FAMILIES } from '../../mock/families/index.js';
import {
  AmountError,
  checkInvariants,
  FAMILIES,
  isLedgerError,
  type JsonValue,
  type Ledger,
  type LedgerSnapshot,
  type Posting,
  parseAmount,
  requestFingerprint,
  restoreSnapshot,
  type StoredResponse,
  takeSnapshot,
} from '../../mock/ledger/index.js';
import { claimRecord, type ModelRecord, TTL_MS } from './model-idempotency.js';
import {
  accountId,
  assetsOf,
  decimalText,
  fixtureLedger,
  ledgerBalances,
  type ModelBalances,
  modelKey,
  referenceUnits,
} from './support.js';

/** An amount as a client would send it: `units / 10^decimals`, as a string or a JSON number. */
export interface AmountSpec {
  readonly units: bigint;
  /** Decimals of the text; `scale` means exactly the asset's scale. */
  readonly decimals: number | 'scale';
  readonly asNumber: boolean;
}

export interface PostingSpec {
  /** 0 = the family's system account, 1..3 user-facing accounts. */
  readonly from: number;
  /** Credit account as an offset 1..3 from `from` (so never `from` itself unless `self`). */
  readonly to: number;
  /** Credit the debit account itself (must be refused). */
  readonly self: boolean;
  /** Index into the family's assets, modulo their count. */
  readonly asset: number;
  /** Name an asset the family does not have (must be refused). */
  readonly unknownAsset: boolean;
  readonly amount: AmountSpec;
  /** Debit an account of another family (must be refused). */
  readonly foreign: boolean;
}

export type Op =
  | { readonly kind: 'commit'; readonly family: number; readonly postings: readonly PostingSpec[] }
  | {
      readonly kind: 'request';
      readonly scope: number;
      readonly key: number;
      readonly family: number;
      readonly postings: readonly PostingSpec[];
      /** The handler answers this 5xx without posting; `null`: it commits the postings. */
      readonly serverStatus: 500 | 501 | 503 | null;
    }
  /** A client retrying an earlier request (picked modulo the requests so far) with the same key and body. */
  | { readonly kind: 'retry'; readonly nth: number }
  | { readonly kind: 'advance'; readonly ms: number }
  | { readonly kind: 'restore' };

export interface RunOptions {
  /** Compare the full snapshot before and after every refused commit. */
  readonly snapshotOnRefusal?: boolean;
  readonly maxRecords?: number;
}

/** What the model says a transaction does: its postings, or the refusal commit must throw. */
type Outcome =
  | { readonly ok: true; readonly postings: Posting[] }
  | { readonly ok: false; readonly code: string; readonly details?: object };

/** Runs `ops` on a fresh fixture ledger and on the model; throws on the first disagreement. */
export function runOps(ops: readonly Op[], options: RunOptions = {}): void {
  let ledger = fixtureLedger({ idempotency: { maxRecords: options.maxRecords ?? 100_000 } });
  const balances: ModelBalances = ledgerBalances(ledger);
  let entries = 0;
  const records: ModelRecord[] = [];
  const requests: Extract<Op, { kind: 'request' }>[] = [];

  for (const planned of ops) {
    const op = planned.kind === 'retry' ? requests[planned.nth % Math.max(1, requests.length)] : planned;
    if (op === undefined) continue;
    if (op.kind === 'request') requests.push(op);
    if (op.kind === 'advance') {
      ledger.clock.advance(op.ms);
    } else if (op.kind === 'restore') {
      const text = JSON.stringify(takeSnapshot(ledger, { ops: ops.length }));
      const restored = restoreSnapshot(JSON.parse(text) as LedgerSnapshot);
      expect(JSON.stringify(takeSnapshot(restored.ledger, restored.extensions))).toBe(text);
      ledger = restored.ledger;
    } else if (op.kind === 'commit') {
      const outcome = modelOutcome(op.family, op.postings, balances);
      if (outcome === undefined) continue; // an amount the handler rejects never reaches the ledger
      const before = options.snapshotOnRefusal && !outcome.ok ? JSON.stringify(takeSnapshot(ledger)) : '';
      const result = ledger.tryCommit({
        family: familyOf(op.family),
        operation: 'op',
        postings: postingsFor(op.family, op.postings),
      });
      checkResult(
        result.ok ? { ok: true } : { ok: false, code: result.error.code, error: result.error },
        outcome,
      );
      if (outcome.ok) entries += apply(balances, outcome.postings);
      else if (options.snapshotOnRefusal) expect(JSON.stringify(takeSnapshot(ledger))).toBe(before);
    } else {
      const body = requestBody(op);
      const scope = `cred-${op.scope}`;
      const key = `key-${op.key}`;
      const id = `${scope}|${key}`;
      const nowMs = ledger.clock.now();
      const existing = records.find((r) => r.id === id && nowMs - r.createdAtMs < TTL_MS);
      // The reference server's rule of the family: which answers are kept for replay.
      const keeps = replayRule(familyOf(op.family));
      const result = ledger.idempotency.execute(
        scope,
        key,
        requestFingerprint('POST', '/op', body),
        () => handle(ledger, op),
        (response) => (keeps(response.status) ? response : undefined),
      );
      if (existing !== undefined) {
        expect(result).toEqual(
          existing.body === JSON.stringify(body)
            ? { kind: 'replay', response: existing.response }
            : { kind: 'mismatch' },
        );
      } else {
        const outcome = op.serverStatus === null ? modelOutcome(op.family, op.postings, balances) : undefined;
        const expected =
          op.serverStatus === null ? expectedResponse(outcome, entries + 1) : serverAnswer(op.serverStatus);
        // Claiming the key drops expired records; at a full quota the request is refused and runs not.
        const refused = claimRecord(
          records,
          { id, scope, body: JSON.stringify(body), createdAtMs: nowMs, response: expected },
          nowMs,
          ledger.idempotency,
        );
        if (refused !== undefined) {
          expect(result).toEqual(refused);
        } else {
          expect(result).toEqual({ kind: 'done', response: expected });
          if (outcome?.ok) entries += apply(balances, outcome.postings);
          // An answer the family's rule does not keep releases its key.
          if (!keeps(expected.status)) records.pop();
        }
      }
    }
    expect(ledgerBalances(ledger)).toEqual(balances);
    expect(ledger.journalSize).toBe(entries);
    for (const [key, units] of balances) if (!key.includes(':system/')) expect(units >= 0n).toBe(true);
  }
  expect(checkInvariants(ledger)).toEqual([]);
}

function familyOf(index: number) {
  return FAMILIES[index % FAMILIES.length] ?? 'billing';
}

function replayRule(tag: string): (status: number) => boolean {
  const family = BUILTIN_FAMILIES.find((candidate) => candidate.tag === tag);
  if (family === undefined) throw new Error(`no registered family ${tag}`);
  return (status) => family.replays(status);
}

function serverAnswer(status: number): StoredResponse {
  return { status, body: { error: 'server' } };
}

function assetOf(family: number, spec: PostingSpec): { asset: string; scale: number } {
  const assets = assetsOf(familyOf(family));
  const known = assets[spec.asset % assets.length] ?? { asset: 'bogus', scale: 2 };
  return spec.unknownAsset ? { asset: 'bogus', scale: known.scale } : known;
}

function amountText(family: number, spec: PostingSpec): { text: string; scale: number } {
  const { scale } = assetOf(family, spec);
  const decimals = spec.amount.decimals === 'scale' ? scale : spec.amount.decimals;
  return { text: decimalText(spec.amount.units, decimals), scale };
}

function debitOf(family: number, spec: PostingSpec): string {
  return accountId(familyOf(spec.foreign ? family + 1 : family), spec.from);
}

function creditOf(family: number, spec: PostingSpec): string {
  return accountId(familyOf(family), spec.self ? spec.from : (spec.from + 1 + (spec.to % 3)) % 4);
}

/** The postings a handler builds (amounts parsed by the engine's parser). */
function postingsFor(family: number, specs: readonly PostingSpec[]): Posting[] {
  return specs.map((spec) => {
    const { text, scale } = amountText(family, spec);
    const input = spec.amount.asNumber && spec.amount.units < 10n ** 15n ? Number(text) : text;
    return {
      debit: debitOf(family, spec),
      credit: creditOf(family, spec),
      asset: assetOf(family, spec).asset,
      amount: parseAmount(input, scale),
    };
  });
}

/** Independent model of a commit; undefined when an amount has too many decimals. */
function modelOutcome(
  family: number,
  specs: readonly PostingSpec[],
  balances: ModelBalances,
): Outcome | undefined {
  const postings: Posting[] = [];
  for (const spec of specs) {
    const { text, scale } = amountText(family, spec);
    const units = referenceUnits(text, scale);
    if (units === undefined) return undefined;
    postings.push({
      debit: debitOf(family, spec),
      credit: creditOf(family, spec),
      asset: assetOf(family, spec).asset,
      amount: units,
    });
  }
  for (const [i, p] of postings.entries()) {
    const spec = specs[i];
    if (p.asset === 'bogus') return { ok: false, code: 'unknown_asset' };
    if (spec?.foreign) return { ok: false, code: 'family_mismatch', details: { accountId: p.debit } };
    if (p.debit === p.credit || p.amount <= 0n) return { ok: false, code: 'invalid_posting' };
  }
  const net = new Map<string, bigint>();
  for (const p of postings) {
    net.set(modelKey(p.debit, p.asset), (net.get(modelKey(p.debit, p.asset)) ?? 0n) - p.amount);
    net.set(modelKey(p.credit, p.asset), (net.get(modelKey(p.credit, p.asset)) ?? 0n) + p.amount);
  }
  for (const [key, delta] of net) {
    if (key.includes(':system/') || delta >= 0n) continue;
    const available = balances.get(key) ?? 0n;
    if (available + delta < 0n) {
      const [account = '', asset = ''] = key.split('/');
      return {
        ok: false,
        code: 'insufficient_funds',
        details: { accountId: account, asset, available, required: -delta },
      };
    }
  }
  return { ok: true, postings };
}

function checkResult(actual: { ok: boolean; code?: string; error?: object }, outcome: Outcome): void {
  if (outcome.ok) {
    expect(actual).toEqual({ ok: true });
    return;
  }
  expect(actual.code).toBe(outcome.code);
  if (outcome.details !== undefined) expect(actual.error).toMatchObject(outcome.details);
}

/** Applies model postings; returns the number of journal entries added (1). */
function apply(balances: ModelBalances, postings: readonly Posting[]): number {
  for (const p of postings) {
    balances.set(modelKey(p.debit, p.asset), (balances.get(modelKey(p.debit, p.asset)) ?? 0n) - p.amount);
    balances.set(modelKey(p.credit, p.asset), (balances.get(modelKey(p.credit, p.asset)) ?? 0n) + p.amount);
  }
  return 1;
}

function requestBody(op: Extract<Op, { kind: 'request' }>): JsonValue {
  return {
    family: op.family,
    serverStatus: op.serverStatus,
    postings: op.postings.map((p) => ({ ...p, amount: { ...p.amount, units: p.amount.units.toString() } })),
  };
}

/** What a family handler would do with the request. */
function handle(ledger: Ledger, op: Extract<Op, { kind: 'request' }>): StoredResponse {
  if (op.serverStatus !== null) return serverAnswer(op.serverStatus);
  let postings: Posting[];
  try {
    postings = postingsFor(op.family, op.postings);
  } catch (error) {
    if (error instanceof AmountError) return { status: 422, body: { error: error.code } };
    throw error;
  }
  const result = ledger.tryCommit({
    family: familyOf(op.family),
    operation: 'request',
    idempotencyKey: `key-${op.key}`,
    postings,
  });
  if (result.ok) return { status: 201, body: { id: result.entry.id } };
  if (isLedgerError(result.error)) return { status: 400, body: { error: result.error.code } };
  throw result.error;
}

function expectedResponse(outcome: Outcome | undefined, nextId: number): StoredResponse {
  if (outcome === undefined) return { status: 422, body: { error: 'too_many_decimals' } };
  return outcome.ok ? { status: 201, body: { id: nextId } } : { status: 400, body: { error: outcome.code } };
}
