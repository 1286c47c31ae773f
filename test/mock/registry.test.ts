import { setupServer } from 'msw/node';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILTIN_ASSETS, BUILTIN_FAMILIES, whiteLabel } from '../../mock/families/index.js';
import { defineFamily } from '../../mock/family-kit/define-family.js';
import { createHandlers, createMockServer, MockApp, type MockServer } from '../../mock/index.js';
import { FamilyRegistry } from '../../mock/registry/registry.js';
import { call, demoApp } from './support.js';
import { TALLY_ORIGIN, tally, tallyDefinition } from './tally-family.js';

const KEY = { 'x-tally-key': 'tally_demo' };

describe('a family registered from outside mock/', () => {
  it('is served in-process with its own credentials, validation, error shape and unknown paths', async () => {
    const app = demoApp({ families: [tally] });
    expect((await call(app, 'GET', '/tally/v1/count')).body).toEqual({ tally_error: 'unknown x-tally-key' });
    const invalid = await call(app, 'POST', '/tally/v1/add', { headers: KEY, json: { amount: 0 } });
    expect(invalid).toMatchObject({ status: 400, body: { tally_error: 'amount: must be at least 1' } });
    expect((await call(app, 'POST', '/tally/v1/add', { headers: KEY, json: { amount: 5 } })).body).toEqual({
      count: 5,
    });
    const doubled = await call(app, 'GET', '/tally/v1/count', { headers: KEY, query: { double: 'true' } });
    expect(doubled.body).toEqual({ count: 10 });
    const unknown = await call(app, 'GET', '/tally/v1/nothing-here', { headers: KEY });
    expect(unknown).toMatchObject({
      status: 404,
      body: { tally_error: 'not_found: No operation at /tally/v1/nothing-here.' },
    });
    // The built-in families are served beside it, unchanged.
    expect((await call(app, 'GET', '/api/white-label/users', { bearer: 'wl_admin_demo' })).status).toBe(200);
  });

  it('goes through the one idempotency path with its own rule of what is replayed', async () => {
    const app = demoApp({ families: [tally] });
    const add = { headers: { ...KEY, 'idempotency-key': 'k1' }, json: { amount: 3 } };
    expect((await call(app, 'POST', '/tally/v1/add', add)).body).toEqual({ count: 3 });
    const replay = await call(app, 'POST', '/tally/v1/add', add);
    expect(replay.body).toEqual({ count: 3 });
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const closed = { headers: { ...KEY, 'idempotency-key': 'k2' }, json: { amount: 1, note: 'closed' } };
    expect((await call(app, 'POST', '/tally/v1/add', closed)).status).toBe(503);
    const closedAgain = await call(app, 'POST', '/tally/v1/add', closed);
    expect(closedAgain.status).toBe(503);
    expect(closedAgain.headers['idempotent-replayed']).toBe('true');
    expect(app.stateOf(tally).counts).toEqual({ tally_demo: 3 });
  });

  it('seeds from its own section, snapshots and restores its state, and resets', async () => {
    const app = new MockApp({ families: [tally], seed: { tally: { keys: ['k_a', 'k_b'] } } });
    await call(app, 'POST', '/tally/v1/add', { headers: { 'x-tally-key': 'k_b' }, json: { amount: 7 } });
    const restored = new MockApp({ families: [tally], snapshot: app.snapshot() });
    expect(restored.stateOf(tally).counts).toEqual({ k_a: 0, k_b: 7 });
    const bad = await call(app, 'POST', '/_mock/reset', { json: { seed: { tally: { keys: 'nope' } } } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([{ path: 'seed.tally.keys', message: 'must be an array of API keys' }]);
    expect(app.stateOf(tally).counts.k_b).toBe(7);
    // No body: back to the seed the app started with, not the demo seed.
    expect((await call(app, 'POST', '/_mock/reset')).status).toBe(200);
    expect(app.stateOf(tally).counts).toEqual({ k_a: 0, k_b: 0 });
    expect((await call(app, 'POST', '/_mock/reset', { json: { seed: 'demo' } })).status).toBe(200);
    expect(app.stateOf(tally).counts).toEqual({ tally_demo: 0 });
  });

  describe('over HTTP and under MSW', () => {
    let server: MockServer | undefined;
    afterEach(async () => {
      await server?.close();
      server = undefined;
    });

    it('is served by the node:http server', async () => {
      server = await createMockServer({ port: 0, families: [tally] });
      const response = await fetch(`${server.url}/tally/v1/add`, {
        method: 'POST',
        headers: { ...KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 4 }),
      });
      expect(response.status).toBe(201);
      expect(await response.json()).toEqual({ count: 4 });
      const tooLarge = await fetch(`${server.url}/tally/v1/add`, {
        method: 'POST',
        headers: { ...KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 1, note: 'x'.repeat(70_000) }),
      });
      expect(tooLarge.status).toBe(413);
      expect((await tooLarge.json()).tally_error).toMatch(/^payload_too_large: /);
    });

    it('is intercepted at its own origin by the MSW handlers, with the 64 KiB cap', async () => {
      const mock = await createHandlers({ families: [tally] });
      const msw = setupServer(...mock.handlers);
      msw.listen({ onUnhandledRequest: 'error' });
      try {
        const added = await fetch(`${TALLY_ORIGIN}/tally/v1/add`, {
          method: 'POST',
          headers: { ...KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 2 }),
        });
        expect(await added.json()).toEqual({ count: 2 });
        const tooLarge = await fetch(`${TALLY_ORIGIN}/tally/v1/add`, {
          method: 'POST',
          headers: { ...KEY, 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 1, note: 'x'.repeat(70_000) }),
        });
        expect(tooLarge.status).toBe(413);
        expect(mock.app.stateOf(tally).counts.tally_demo).toBe(2);
      } finally {
        msw.close();
      }
    });
  });
});

describe('the registry', () => {
  it('refuses a tag, a seed section or a route declared twice', () => {
    expect(() => new FamilyRegistry([tally, tally])).toThrow(/tally is registered twice/);
    expect(() => new FamilyRegistry([whiteLabel, { ...tally, seedKey: 'whiteLabel' }])).toThrow(
      /seed section whiteLabel is claimed twice/,
    );
    const clash = {
      ...tally,
      tag: 'clash',
      seedKey: undefined,
      routes: { again: whiteLabel.routes.getCurrentUser },
    };
    expect(() => new FamilyRegistry([whiteLabel, clash as typeof tally])).toThrow(/routed twice/);
  });

  it("assembles the ledger's assets from its members, in the order state files record them", () => {
    // Each family declares its assets in its folder; this order is what every saved state file holds.
    expect(new FamilyRegistry(BUILTIN_FAMILIES).assets).toEqual([
      { family: 'white-label', asset: 'minutes', scale: 2 },
      { family: 'white-label', asset: 'credits', scale: 2 },
      { family: 'reseller', asset: 'usd', scale: 6 },
      { family: 'reseller', asset: 'slots', scale: 0 },
      { family: 'credit-send', asset: 'credits', scale: 0 },
      { family: 'billing', asset: 'credits', scale: 2 },
    ]);
    expect(BUILTIN_ASSETS).toEqual(new FamilyRegistry(BUILTIN_FAMILIES).assets);
    // An extra family without assets leaves the books as they are, so state files still restore.
    const app = demoApp({ families: [tally] });
    expect(app.world.ledger.assets.definitions()).toEqual(BUILTIN_ASSETS);
    expect(tally.assets).toEqual([]);
  });

  it('refuses assets from a family the ledger keeps no accounts of, naming the fix', () => {
    const counted = { ...tallyDefinition, assets: [{ asset: 'tallies', scale: 0 }] };
    expect(() => defineFamily(counted)).toThrow(
      /family tally declares assets, but the ledger keeps accounts of openapi.yaml's families only/,
    );
  });
});
