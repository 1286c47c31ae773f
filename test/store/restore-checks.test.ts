import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { isLedgerError } from '../../mock/ledger/errors.js';
import type { LedgerSnapshot } from '../../mock/ledger/snapshot.js';
import type { StoreSnapshot } from '../../mock/store/types.js';
import { restoreWorlds, snapshotWorlds } from '../../mock/store/worlds.js';
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

describe('restoring the sandboxes of a durable snapshot', () => {
  /** A demo app with two sandboxes, and each world's snapshot as JSON. */
  async function twoSandboxes() {
    const { app } = await saved();
    const first = app.sandboxes?.create(undefined).id as string;
    const second = app.sandboxes?.create(undefined).id as string;
    const worlds = JSON.parse(JSON.stringify(snapshotWorlds(app))) as Record<string, LedgerSnapshot>;
    // Then each world changes: a snapshot restored now takes every world back.
    const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };
    for (const prefix of ['', `/_mock/sandboxes/${first}`, `/_mock/sandboxes/${second}`]) {
      const path = `${prefix}/api/v1/reseller/credits/transfer`;
      expect((await call(app, 'POST', path, { bearer: 'rs_demo', json: transfer })).status).toBe(200);
    }
    const sandbox = (id: string) => app.sandboxRegistry?.use(id) as MockApp;
    return { app, first, second, worlds, sandbox };
  }

  const everything = (app: MockApp) => ({
    main: books(app),
    sandboxes: app.sandboxRegistry?.list().map(({ id, value }) => [id, books(value)]),
  });

  it('changes no sandbox when one sandbox snapshot is damaged, and names that sandbox', async () => {
    const { app, second, worlds } = await twoSandboxes();
    const { main, ...sandboxes } = worlds;
    const damaged = { ...sandboxes, [second]: { ...sandboxes[second], extensions: undefined } };
    // A sandbox the snapshot holds that this app does not: it must not appear either.
    const added = { ...damaged, sbx_new: sandboxes[second] } as unknown as Record<string, LedgerSnapshot>;
    const before = everything(app);
    const message = refusal(() => app.restoreSandboxes(added));
    // Before, the first sandbox was restored already when the second one's snapshot failed.
    expect(everything(app)).toEqual(before);
    expect(message).toMatch(new RegExp(`sandbox ${second} cannot be restored: .*extensions is missing`));
    // So does a rollback of every world (restoreWorlds): the main world stays as it is too.
    const store = {
      format: 'ledgerline-store',
      version: 1,
      seq: 1,
      takenAtMs: 0,
      worlds: { main, ...added },
    };
    expect(refusal(() => restoreWorlds(app, store as StoreSnapshot))).toMatch(/extensions is missing/);
    expect(everything(app)).toEqual(before);
  });

  it('restores every world of an undamaged snapshot', async () => {
    const { app, first, worlds, sandbox } = await twoSandboxes();
    const firstBefore = books(sandbox(first));
    restoreWorlds(app, { format: 'ledgerline-store', version: 1, seq: 1, takenAtMs: 0, worlds });
    expect(books(sandbox(first))).not.toEqual(firstBefore);
    expect(books(sandbox(first))).toEqual(books(new MockApp({ snapshot: worlds[first] as LedgerSnapshot })));
    expect(books(app)).toEqual(books(new MockApp({ snapshot: worlds.main as LedgerSnapshot })));
  });
});
