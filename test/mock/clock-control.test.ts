import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import { Clock } from '../../mock/ledger/clock.js';
import { call, demoApp } from './support.js';

/** A server on the system time, where the system time is `system.ms` (moved by the test). */
function realTimeApp() {
  const system = { ms: Date.parse('2026-03-10T08:00:00Z') };
  const app = new MockApp({ clock: new Clock({ realNow: () => system.ms }) });
  return { app, system };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('POST /_mock/clock {"now": null}', () => {
  it('returns a stopped clock to real time, which then follows the system time', async () => {
    const { app, system } = realTimeApp();
    await call(app, 'POST', '/_mock/clock', { json: { now: '2030-01-01T00:00:00Z' } });
    system.ms += 60_000;
    expect((await call(app, 'GET', '/_mock/state')).body.now).toBe('2030-01-01T00:00:00.000Z');

    const back = await call(app, 'POST', '/_mock/clock', { json: { now: null } });
    expect(back).toMatchObject({ status: 200, body: { now: iso(system.ms) } });
    expect(app.world.ledger.clock.mode).toBe('real');
    system.ms += 5_000;
    expect((await call(app, 'GET', '/_mock/state')).body.now).toBe(iso(system.ms));
  });

  it('refuses null with an advance (that would stop the clock again) and changes nothing', async () => {
    const app = demoApp();
    const refused = await call(app, 'POST', '/_mock/clock', { json: { now: null, advanceSeconds: 60 } });
    expect(refused.status).toBe(400);
    expect(refused.body.issues).toEqual([
      { path: 'advanceSeconds', message: 'cannot be combined with now: null' },
    ]);
    expect(app.world.ledger.clock.mode).toBe('controlled');
    expect(app.world.ledger.clock.isoNow()).toBe('2025-06-01T12:00:00.000Z');
  });

  it('an empty body still only reads the clock', async () => {
    const app = demoApp();
    expect((await call(app, 'POST', '/_mock/clock', { json: {} })).body).toEqual({
      now: '2025-06-01T12:00:00.000Z',
    });
    expect(app.world.ledger.clock.mode).toBe('controlled');
  });
});

describe('POST /_mock/reset and the clock', () => {
  it('returns a server on the system time to real time: a time-travelling test leaks nothing', async () => {
    const { app, system } = realTimeApp();
    await call(app, 'POST', '/_mock/clock', { json: { now: '2031-06-30T23:00:00Z' } });
    expect((await call(app, 'POST', '/_mock/reset')).status).toBe(200);
    expect(app.world.ledger.clock.mode).toBe('real');
    expect((await call(app, 'GET', '/_mock/state')).body.now).toBe(iso(system.ms));
    // The new books opened at real time, and no renewal of the discarded future was charged.
    const journal = await call(app, 'GET', '/_mock/journal', { query: { family: 'billing' } });
    expect(journal.body.entries.every((entry: { time: string }) => entry.time === iso(system.ms))).toBe(true);
  });

  it('returns a clock given to the app to its mode and time of then', async () => {
    const app = demoApp();
    await call(app, 'POST', '/_mock/clock', { json: { advanceSeconds: 40 * 86_400 } });
    await call(app, 'POST', '/_mock/reset');
    expect(app.world.ledger.clock.mode).toBe('controlled');
    expect(app.world.ledger.clock.isoNow()).toBe('2025-06-01T12:00:00.000Z');
  });

  it('keeps the clock when the seed is refused', async () => {
    const app = demoApp();
    await call(app, 'POST', '/_mock/clock', { json: { now: '2027-02-02T00:00:00Z' } });
    const journalBefore = app.world.ledger.journalSize;
    const refused = await call(app, 'POST', '/_mock/reset', {
      json: {
        seed: {
          creditSend: {
            organizations: [
              {
                id: 1,
                users: [
                  { id: 1, email: 'a@b.c', secret: 's', credits: 1 },
                  { id: 1, email: 'd@e.f', secret: 's', credits: 1 },
                ],
              },
            ],
          },
        },
      },
    });
    expect(refused.status).toBe(400);
    expect(app.world.ledger.clock.isoNow()).toBe('2027-02-02T00:00:00.000Z');
    expect(app.world.ledger.journalSize).toBe(journalBefore);
  });
});
