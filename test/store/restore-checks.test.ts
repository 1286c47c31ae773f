import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { isLedgerError } from '../../mock/ledger/errors.js';
import type { LedgerSnapshot } from '../../mock/ledger/snapshot.js';
import { books, call, demoApp } from '../mock/support.js';

// What a durable store, a state file or a test hands to `new MockApp({ snapshot })` and
// `MockApp.restore` is read back from JSON: a damaged one is refused with LedgerError
// `invalid_snapshot` naming what to fix (found in review: a snapshot without `extensions` was a
// TypeError), and a refused restore changes nothing.

/** A snapshot of a demo app with a transfer and a fault, as plain JSON (what a file holds). */
async function saved(): Promise<{ app: MockApp; snapshot: Record<string, unknown> }> {
  const app = demoApp();
  const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };
  const path = '/api/v1/reseller/credits/transfer';
  expect((await call(app, 'POST', path, { bearer: 'rs_demo', json: transfer })).status).toBe(200);
  expect(
    (await call(app, 'POST', '/_mock/faults', { json: { path: '/nowhere', kind: 'reset' } })).status,
  ).toBe(201);
  return { app, snapshot: JSON.parse(JSON.stringify(app.snapshot())) };
}

/** The error `attempt` throws, checked to be LedgerError `invalid_snapshot`. */
function refusal(attempt: () => unknown): string {
  let caught: unknown;
  try {
    attempt();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(Error);
  expect((caught as Error).name).toBe('LedgerError');
  expect(isLedgerError(caught, 'invalid_snapshot')).toBe(true);
  return (caught as Error).message;
}

const damages: readonly [string, (snapshot: Record<string, unknown>) => void, RegExp][] = [
  ['no extensions', (s) => delete s.extensions, /extensions is missing \(it must be an object\)/],
  ['extensions null', (s) => (s.extensions = null), /extensions is null, not an object/],
  ['no idempotency', (s) => delete s.idempotency, /idempotency is missing/],
  [
    'no idempotency records',
    (s) => delete (s.idempotency as Record<string, unknown>).records,
    /idempotency.records is missing/,
  ],
  ['accounts a string', (s) => (s.accounts = 'x'), /accounts is string, not an array/],
  ['no journal', (s) => delete s.journal, /journal is missing/],
  ['no clock', (s) => delete s.clock, /clock is missing/],
  [
    'no family states',
    (s) => delete (s.extensions as Record<string, unknown>).families,
    /no family states \(extensions.families\)/,
  ],
  [
    'a damaged family state',
    (s) => ((s.extensions as { families: Record<string, unknown> }).families.billing = 'gone'),
    /family billing is damaged/,
  ],
  [
    'a damaged fault',
    (s) => ((s.extensions as { faults: { faults: [{ kind: string }] } }).faults.faults[0].kind = 'gremlins'),
    /saved fault 0 is damaged.*extensions.faults/,
  ],
  ['other assets', (s) => (s.assets = []), /assets \[\] are not the families/],
];

describe('restoring a snapshot that is damaged', () => {
  for (const [name, damage, message] of damages) {
    it(`refuses one with ${name}: LedgerError invalid_snapshot saying what to fix, nothing changed`, async () => {
      const { app, snapshot } = await saved();
      damage(snapshot);
      const bad = snapshot as unknown as LedgerSnapshot;
      expect(refusal(() => new MockApp({ snapshot: bad }))).toMatch(message);
      const before = { books: books(app), faults: app.faults.snapshot(), state: app.state() };
      expect(refusal(() => app.restore(bad))).toMatch(message);
      expect({ books: books(app), faults: app.faults.snapshot(), state: app.state() }).toEqual(before);
      // The app still serves from the state it had.
      expect((await call(app, 'GET', '/api/v1/reseller/credits/logs', { bearer: 'rs_demo' })).status).toBe(
        200,
      );
    });
  }

  it('still restores the snapshot undamaged', async () => {
    const { app, snapshot } = await saved();
    const restored = new MockApp({ snapshot: snapshot as unknown as LedgerSnapshot });
    expect(books(restored)).toEqual(books(app));
    expect(restored.faults.snapshot()).toEqual(app.faults.snapshot());
  });
});
