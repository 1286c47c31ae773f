import { describe, expect, it } from 'vitest';
import { MockApp } from '../../mock/app.js';
import type { OperationGate } from '../../mock/steps/pipeline.js';
import { call } from './support.js';
import { tally } from './tally-family.js';

// World.version is how a durable store tells an operation that changed the state from one that
// changed nothing (docs/decisions.md, "What the durable log records"): it must move on every write,
// at any depth of a family's state, and on no read.

const KEY = { 'x-tally-key': 'tally_demo' };
/** A gate that lets everything through: an app with a gate counts its family states' writes. */
const gate: OperationGate = { enter: () => true, leave: () => undefined, fire: () => true };
const gated = () => new MockApp({ families: [tally], gate });

describe("a world's version", () => {
  it('moves on a write at any depth of a family state, and not on reads', async () => {
    const app = gated();
    const counts = app.stateOf(tally).counts;
    const start = app.world.version;
    expect((await call(app, 'GET', '/tally/v1/count', { headers: KEY })).status).toBe(200);
    void Object.keys(counts);
    void JSON.stringify(app.snapshot());
    expect(app.world.version).toBe(start);
    counts.tally_demo = 4;
    const afterSet = app.world.version;
    expect(afterSet).toBeGreaterThan(start);
    const list: number[] = [];
    (counts as Record<string, unknown>).nested = { list };
    const nested = (app.stateOf(tally).counts as Record<string, unknown>).nested as { list: number[] };
    const beforePush = app.world.version;
    nested.list.push(1);
    expect(app.world.version).toBeGreaterThan(beforePush);
    const beforeDelete = app.world.version;
    delete (counts as Record<string, unknown>).nested;
    expect(app.world.version).toBeGreaterThan(beforeDelete);
    const beforeDefine = app.world.version;
    Object.defineProperty(counts, 'defined', {
      value: 1,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    expect(app.world.version).toBeGreaterThan(beforeDefine);
  });

  it('moves when an operation writes its state, and not when it is refused before writing', async () => {
    const app = gated();
    const start = app.world.version;
    expect((await call(app, 'POST', '/tally/v1/add', { headers: KEY, json: { amount: 0 } })).status).toBe(
      400,
    );
    expect(app.world.version).toBe(start);
    expect((await call(app, 'POST', '/tally/v1/add', { headers: KEY, json: { amount: 2 } })).status).toBe(
      201,
    );
    expect(app.world.version).toBeGreaterThan(start);
  });

  it('hands out frozen objects of a state as they are, and snapshots the same state as an untracked app', async () => {
    const app = gated();
    const plain = new MockApp({ families: [tally] });
    for (const each of [app, plain]) {
      const counts = each.stateOf(tally).counts as Record<string, unknown>;
      counts.frozen = Object.freeze({ inner: Object.freeze({ a: 1 }) });
      // A value read out of the state and stored back is stored as itself.
      counts.copy = counts.frozen;
      expect((await call(each, 'POST', '/tally/v1/add', { headers: KEY, json: { amount: 3 } })).status).toBe(
        201,
      );
    }
    const counts: Record<string, unknown> = app.stateOf(tally).counts;
    const frozen = counts.frozen as { inner: { a: number } } | undefined;
    expect(frozen?.inner.a).toBe(1);
    const families = (each: MockApp) =>
      (each.snapshot().extensions.families as Record<string, unknown>).tally;
    expect(families(app)).toEqual(families(plain));
  });

  it('counts nothing for the family states of an app without a gate', () => {
    const app = new MockApp({ families: [tally] });
    const start = app.world.version;
    app.stateOf(tally).counts.tally_demo = 9;
    expect(app.world.version).toBe(start);
  });
});
