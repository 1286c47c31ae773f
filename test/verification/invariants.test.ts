import { describe, expect, it } from 'vitest';
import { internalsOf } from '../../mock/ledger/ledger.js';
import { call, demoApp } from '../mock/support.js';

// GET /_mock/invariants and app.invariants(): every rule named with its result; each rule reports
// a deliberately broken state as not ok.

const transfer = { to_organization_id: 4002, minutes: 1, cost_per_min: 0.2 };
const failed = (report: { checks: { name: string; ok: boolean; detail: string }[] }) =>
  report.checks.filter((check) => !check.ok);

/** Moves `units` into an account's balance behind the engine's back: only a test can do this. */
function tamper(app: ReturnType<typeof demoApp>, accountId: string, asset: string, units: bigint): void {
  const { accounts, balances } = internalsOf(app.world.ledger);
  const record = accounts.require(accountId);
  const info = app.world.ledger.assets.find(record.account.family, asset);
  if (!info) throw new Error(`no asset ${asset}`);
  balances.add(record.slotBase + info.slot, units);
}

describe('the invariant report', () => {
  it('names every check and passes on sound books, over HTTP and in-process alike', async () => {
    const app = demoApp();
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      headers: { 'Idempotency-Key': 'k-1' },
      json: transfer,
    });
    const report = app.invariants();
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual([
      'conservation white-label/minutes',
      'conservation white-label/credits',
      'conservation reseller/usd',
      'conservation reseller/slots',
      'conservation credit-send/credits',
      'conservation billing/credits',
      'journal replay',
      'no negative user balance',
      'idempotency keys committed once',
    ]);
    expect(report.checks.at(-1)?.detail).toBe('1 key checked');
    const answer = await call(app, 'GET', '/_mock/invariants');
    expect(answer).toMatchObject({ status: 200, body: report });
  });

  it('reports an Idempotency-Key committed twice through the in-process ledger as not ok', () => {
    const app = demoApp();
    const commit = () =>
      app.world.ledger.commit({
        family: 'reseller',
        operation: 'transferCreditsToChild',
        idempotencyKey: 'same-key',
        postings: [
          { debit: 'reseller:organization:4001', credit: 'reseller:platform', asset: 'usd', amount: 1000n },
        ],
      });
    commit();
    expect(app.invariants().ok).toBe(true);
    commit();
    const report = app.invariants();
    expect(report.ok).toBe(false);
    expect(failed(report)).toEqual([
      {
        name: 'idempotency keys committed once',
        ok: false,
        detail: expect.stringMatching(
          /key "same-key" committed reseller transferCreditsToChild 2 times \(entries \d+, \d+\)/,
        ),
      },
    ]);
  });

  it('does not count one key used by two credentials, nor one request committing two entries', async () => {
    const app = demoApp();
    const key = { 'Idempotency-Key': 'shared-key' };
    await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_demo',
      headers: key,
      json: transfer,
    });
    const other = await call(app, 'POST', '/api/v1/reseller/credits/transfer', {
      bearer: 'rs_other',
      headers: key,
      json: { ...transfer, to_organization_id: 5002 },
    });
    // The same key under a third credential (a billing session), for another operation.
    const topUp = await call(app, 'POST', '/api/v1/billing/wallet/topup', {
      bearer: 'flowyte_session_demo',
      headers: key,
      json: { amountUsd: 10 },
    });
    expect([other.status, topUp.status]).toEqual([200, 200]);
    expect(app.invariants().ok).toBe(true);
  });

  it('reports value created, a balance off its journal, and a negative user balance', () => {
    const app = demoApp();
    tamper(app, 'reseller:organization:4002', 'usd', -20_000_000n);
    const report = app.invariants();
    expect(report.ok).toBe(false);
    expect(failed(report).map((c) => [c.name, c.detail])).toEqual([
      ['conservation reseller/usd', expect.stringContaining('sum to -20, not 0')],
      ['journal replay', expect.stringContaining('reseller:organization:4002 reseller/usd is -10000000')],
      ['no negative user balance', '1 negative: reseller:organization:4002 usd -10'],
    ]);
  });
});
