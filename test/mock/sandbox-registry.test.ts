import { describe, expect, it } from 'vitest';
import type { LedgerSnapshot } from '../../mock/ledger/snapshot.js';
import {
  noSandbox,
  SandboxLimitError,
  SandboxRegistry,
  sandboxAccessOf,
  sandboxControls,
  withSandboxAccess,
} from '../../mock/registry/sandboxes.js';

// The sandbox registry on its own: what the server's options accept, where the cap and the idle
// expiry fall (to the millisecond), and what a durable store may read back from a snapshot.

const IDLE = 60_000;

function clocked(options: ConstructorParameters<typeof SandboxRegistry>[0] = {}) {
  const clock = { nowMs: Date.UTC(2026, 0, 1) };
  const registry = new SandboxRegistry<string>({ idleMs: IDLE, now: () => clock.nowMs, ...options });
  return { registry, clock };
}

// Only `extensions` is read: a snapshot as a durable store would hand it over.
const holding = (sandbox: unknown) => ({ extensions: { sandbox } }) as unknown as LedgerSnapshot;

describe('sandbox registry options', () => {
  it('accept a cap from 0 to 10000 and an idle time from 1000 ms, refusing anything else by name', () => {
    for (const maxSandboxes of [0, 10_000])
      expect(new SandboxRegistry({ maxSandboxes }).maxSandboxes).toBe(maxSandboxes);
    for (const maxSandboxes of [-1, 10_001, 1.5])
      expect(() => new SandboxRegistry({ maxSandboxes })).toThrow(
        /maxSandboxes must be a whole number from 0 to 10000/,
      );
    expect(new SandboxRegistry({ idleMs: 1000 }).idleMs).toBe(1000);
    for (const idleMs of [999, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => new SandboxRegistry({ idleMs })).toThrow(/idle time must be at least 1000 ms/);
  });

  it('accept only admin or open creation', () => {
    expect(new SandboxRegistry({ creation: 'open' }).creation).toBe('open');
    expect(new SandboxRegistry().creation).toBe('admin');
    const creation = 'anyone' as 'open';
    expect(() => new SandboxRegistry({ creation })).toThrow(
      "Sandbox creation must be 'admin' or 'open' (got anyone)",
    );
  });
});

describe('a sandbox registry', () => {
  it('creates exactly up to its cap, then refuses, unless the create is a replay', () => {
    const { registry } = clocked({ maxSandboxes: 2 });
    registry.create((id) => id);
    registry.create((id) => id);
    expect(() => registry.create((id) => id)).toThrow(SandboxLimitError);
    expect(registry.size).toBe(2);
    registry.create((id) => id, { capped: false });
    expect(registry.size).toBe(3);
  });

  it('ends a sandbox idle for longer than the idle time, not one idle for exactly that long', () => {
    const { registry, clock } = clocked();
    const { id } = registry.create(() => 'a');
    clock.nowMs += IDLE;
    expect(registry.expired()).toEqual([]);
    expect(registry.info(id)?.expiresAt).toBe(new Date(clock.nowMs).toISOString());
    clock.nowMs += 1;
    expect(registry.expired()).toEqual([id]);
    expect(registry.use(id)).toBeUndefined();
    expect(registry.list()).toEqual([]);
  });

  it('under recorded expiry, keeps an idle sandbox until its owner deletes it', () => {
    const { registry, clock } = clocked({ expiry: 'recorded' });
    const { id } = registry.create(() => 'a');
    clock.nowMs += IDLE + 1;
    expect(registry.expired()).toEqual([id]);
    expect(registry.use(id)).toBe('a');
    expect(registry.delete(id)).toBe(true);
  });

  it('restored from entries, keeps the idle time of a sandbox that stays and starts a new one now', () => {
    const { registry, clock } = clocked();
    const { id: kept, token } = registry.create(() => 'kept');
    clock.nowMs += IDLE / 2;
    registry.replace([
      [kept, 'kept again', { token }],
      ['sbx_000000000001', 'new', { label: 'ci' }],
    ]);
    clock.nowMs += IDLE / 2 + 1;
    expect(registry.expired()).toEqual([kept]);
    expect(registry.authorises(kept, token)).toBe(true);
    expect(registry.access('sbx_000000000001')).toStrictEqual({ label: 'ci' });
    expect(registry.access(kept)).toStrictEqual({ token });
  });

  it('authorises only the token of a live sandbox', () => {
    const { registry } = clocked();
    const { id, token } = registry.create(() => 'a');
    expect(registry.authorises(id, token)).toBe(true);
    expect(registry.authorises('sbx_000000000000', token)).toBe(false);
    expect(registry.access('sbx_000000000000')).toBeUndefined();
  });
});

describe("a snapshot's sandbox access", () => {
  it('reads back a label and a token, or nothing when the snapshot holds none', () => {
    const token = `sbt_${'a1'.repeat(16)}`;
    expect(sandboxAccessOf(holding({ label: 'x'.repeat(100), token }))).toEqual({
      label: 'x'.repeat(100),
      token,
    });
    expect(sandboxAccessOf(holding({}))).toStrictEqual({});
    expect(sandboxAccessOf(holding({ token }))).toStrictEqual({ token });
    expect(sandboxAccessOf(holding({ label: 'ci' }))).toStrictEqual({ label: 'ci' });
    expect(sandboxAccessOf(holding(undefined))).toEqual({});
  });

  it('refuses anything else, naming the field', () => {
    for (const held of [null, 'sbt', ['a']])
      expect(() => sandboxAccessOf(holding(held))).toThrow(/^extensions\.sandbox must/);
    for (const label of ['', 'x'.repeat(101), 7])
      expect(() => sandboxAccessOf(holding({ label }))).toThrow(
        'extensions.sandbox.label must be a string of 1 to 100',
      );
    // An array would read as its one string if only the pattern were checked.
    for (const token of [
      7,
      [`sbt_${'a'.repeat(32)}`],
      `x${'a'.repeat(32)}sbt_${'a'.repeat(32)}`,
      `sbt_${'a'.repeat(32)}0`,
      `sbt_${'a'.repeat(31)}`,
    ])
      expect(() => sandboxAccessOf(holding({ token }))).toThrow(
        'extensions.sandbox.token must be "sbt_" and 32 hex',
      );
  });
});

describe('sandbox ids and tokens', () => {
  it('are "sbx_" and 12 hex digits, "sbt_" and 32, each distinct', () => {
    const { registry } = clocked();
    // Twenty draws: a byte below 16 written as one digit would show in nearly every run.
    const made = Array.from({ length: 20 }, () => registry.create((id) => id));
    for (const { id, token } of made) {
      expect(id).toMatch(/^sbx_[0-9a-f]{12}$/);
      expect(token).toMatch(/^sbt_[0-9a-f]{32}$/);
    }
    expect(registry.size).toBe(20);
  });
});

describe('a sandbox registry, read without using a sandbox', () => {
  it('tells whether one exists, when it expires, and its info without a label it was not given', () => {
    const { registry, clock } = clocked();
    const { id } = registry.create(() => 'a');
    const expiresAt = new Date(clock.nowMs + IDLE).toISOString();
    expect(registry.has(id)).toBe(true);
    expect(registry.has('sbx_000000000000')).toBe(false);
    expect(registry.expiresAt(id)).toBe(expiresAt);
    expect(registry.expiresAt('sbx_000000000000')).toBeUndefined();
    expect(registry.info(id)).toStrictEqual({ id, expiresAt });
    registry.clear();
    expect(registry.size).toBe(0);
  });
});

describe('the control API view of the sandboxes', () => {
  it('creates with the info and token, capped unless replayed', () => {
    const { registry, clock } = clocked({ maxSandboxes: 1 });
    const controls = sandboxControls(registry, (seed) => String(seed));
    const made = controls.create('seed', undefined, 'ci');
    expect(made).toStrictEqual({
      id: made.id,
      label: 'ci',
      expiresAt: new Date(clock.nowMs + IDLE).toISOString(),
      token: made.token,
    });
    expect(() => controls.create('seed')).toThrow(SandboxLimitError);
    expect(controls.create('seed', true).id).not.toBe(made.id);
    expect(controls.list()).toHaveLength(2);
  });

  it('at the cap, says how many may exist and how to make room', () => {
    expect(new SandboxLimitError(3)).toMatchObject({
      name: 'SandboxLimitError',
      message: 'At most 3 sandboxes can exist at once; DELETE /_mock/sandboxes/{id} one you no longer need.',
    });
  });

  it('answers a missing sandbox with 404 in the control shape unless its family has one', () => {
    const error = 'No sandbox sbx_1; it was deleted or expired. Create one with POST /_mock/sandboxes.';
    expect(noSandbox('sbx_1', '/_mock/state', () => undefined)).toStrictEqual({
      kind: 'respond',
      response: { status: 404, body: { error } },
      replayed: false,
    });
    const shaped = noSandbox('sbx_1', '/v1/x', (_path, detail) => ({
      status: 404,
      body: { message: detail },
    }));
    expect(shaped).toMatchObject({ response: { status: 404, body: { message: error } } });
  });
});

describe("a sandbox's snapshot", () => {
  it('is left as it is when the sandbox has no access to keep', () => {
    const snapshot = holding(undefined);
    expect(withSandboxAccess(snapshot, undefined)).toBe(snapshot);
    expect(withSandboxAccess(snapshot, { label: 'ci' }).extensions.sandbox).toEqual({ label: 'ci' });
  });
});
