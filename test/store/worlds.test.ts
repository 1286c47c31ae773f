import { describe, expect, it } from 'vitest';
import type { MockRequest } from '../../mock/family-kit/types.js';
import type { OperationRecord } from '../../mock/store/types.js';
import { expiryRequest, isSandboxLifecycle, journalEntries, worldsOf } from '../../mock/store/worlds.js';
import { call, demoApp } from '../mock/support.js';

// Which world a durable store files a request under, which locks it takes, and which records a
// restore from per-world snapshots must pass over: a mistake here replays a change into the wrong
// ledger, deletes a sandbox before a write to it, or makes a sandbox twice.

const request = (method: string, path: string): MockRequest => ({
  method,
  path,
  query: new URLSearchParams(),
  header: () => undefined,
  bodyText: null,
});

const record = (method: string, target: string, extra: Partial<OperationRecord> = {}): OperationRecord => ({
  seq: 1,
  world: 'main',
  receivedAtMs: 0,
  timeMs: 0,
  method,
  target,
  headers: {},
  body: null,
  random: [],
  ...extra,
});

describe('worldsOf', () => {
  it("locks a sandbox's world for its own paths, and the main world for everything else", () => {
    expect(worldsOf(request('POST', '/_mock/sandboxes/sbx_1/api/white-label/transfer'))).toEqual(['sbx_1']);
    expect(worldsOf(request('POST', '/_mock/sandboxes/sbx_1/_mock/reset'))).toEqual(['sbx_1']);
    expect(worldsOf(request('POST', '/api/white-label/transfer'))).toEqual(['main']);
    expect(worldsOf(request('POST', '/_mock/sandboxes'))).toEqual(['main']);
  });

  it("takes the ended sandbox's lock too for DELETE /_mock/sandboxes/{id}, so the delete follows its writes", () => {
    expect(worldsOf(request('DELETE', '/_mock/sandboxes/sbx_1'))).toEqual(['main', 'sbx_1']);
    // Not for reading it, nor for a DELETE inside it, nor for a path that only ends like one.
    expect(worldsOf(request('GET', '/_mock/sandboxes/sbx_1'))).toEqual(['main']);
    expect(worldsOf(request('DELETE', '/_mock/sandboxes/sbx_1/_mock/faults'))).toEqual(['sbx_1']);
    expect(worldsOf(request('DELETE', '/_mock/sandboxes/'))).toEqual(['main']);
    expect(worldsOf(request('DELETE', '/api/_mock/sandboxes/sbx_1'))).toEqual(['main']);
  });
});

describe('isSandboxLifecycle', () => {
  it('is true for the main world records that create or end a sandbox', () => {
    expect(isSandboxLifecycle(record('POST', '/_mock/sandboxes'))).toBe(true);
    expect(isSandboxLifecycle(record('POST', '/_mock/sandboxes?x=1'))).toBe(true);
    expect(isSandboxLifecycle(record('DELETE', '/_mock/sandboxes/sbx_1'))).toBe(true);
  });

  it("is false for a fault firing, a sandbox's own records and every other path", () => {
    expect(isSandboxLifecycle(record('POST', '/_mock/sandboxes', { faults: ['flt_1'] }))).toBe(false);
    expect(isSandboxLifecycle(record('POST', '/_mock/sandboxes', { world: 'sbx_1' }))).toBe(false);
    expect(isSandboxLifecycle(record('DELETE', '/_mock/sandboxes/sbx_1/_mock/faults'))).toBe(false);
    expect(isSandboxLifecycle(record('DELETE', '/_mock/sandboxes/'))).toBe(false);
    expect(isSandboxLifecycle(record('POST', '/_mock/sandboxes/sbx_1'))).toBe(false);
    expect(isSandboxLifecycle(record('DELETE', '/_mock/faults'))).toBe(false);
    expect(isSandboxLifecycle(record('POST', '/_mock/reset'))).toBe(false);
  });
});

describe('expiryRequest', () => {
  it('is the DELETE of the sandbox, carrying the admin token and nothing else', () => {
    const expiry = expiryRequest('sbx_1', 'secret');
    expect([expiry.method, expiry.path, expiry.bodyText]).toEqual(['DELETE', '/_mock/sandboxes/sbx_1', null]);
    expect(expiry.header('x-mock-admin-token')).toBe('secret');
    expect(expiry.header('authorization')).toBeUndefined();
    expect(expiryRequest('sbx_1', undefined).header('x-mock-admin-token')).toBeUndefined();
  });
});

describe('journalEntries', () => {
  it("counts the main world's journal and every sandbox's (what the compaction policy compares)", async () => {
    const app = demoApp();
    const transfer = { to_organization_id: 4002, minutes: 20, cost_per_min: 0.2 };
    const made = await call(app, 'POST', '/_mock/sandboxes', { json: {} });
    const base = `/_mock/sandboxes/${made.body.id}`;
    await call(app, 'POST', `${base}/api/v1/reseller/credits/transfer`, {
      bearer: 'rs_demo',
      json: transfer,
    });
    await call(app, 'POST', `${base}/api/v1/reseller/credits/transfer`, {
      bearer: 'rs_demo',
      json: transfer,
    });
    const sandbox = app.sandboxRegistry?.use(made.body.id);
    const inSandbox = sandbox?.world.ledger.journalSize ?? 0;
    expect(inSandbox).toBeGreaterThan(app.world.ledger.journalSize);
    expect(journalEntries(app)).toBe(app.world.ledger.journalSize + inSandbox);
    expect(journalEntries(demoApp({ sandboxes: false }))).toBe(demoApp().world.ledger.journalSize);
  });
});
