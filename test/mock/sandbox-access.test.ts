import { describe, expect, it } from 'vitest';
import type { LedgerSnapshot } from '../../mock/ledger/snapshot.js';
import { sameSecret } from '../../mock/registry/same-secret.js';
import { snapshotWorlds } from '../../mock/store/worlds.js';
import { call, demoApp } from './support.js';

// What a sandbox's token rests on: the comparison, and the snapshot that carries the token.

const ADMIN = 'admin-secret';
const as = (token: string) => ({ headers: { 'x-mock-admin-token': token } });

describe('sameSecret', () => {
  it('is true for the same string only', () => {
    expect(sameSecret('sbt_abc', 'sbt_abc')).toBe(true);
    expect(sameSecret(undefined, 'sbt_abc')).toBe(false);
    expect(sameSecret('', 'sbt_abc')).toBe(false);
    expect(sameSecret('sbt_ab', 'sbt_abc')).toBe(false);
    expect(sameSecret('sbt_abcd', 'sbt_abc')).toBe(false);
    expect(sameSecret('sbt_abd', 'sbt_abc')).toBe(false);
    expect(sameSecret('tbt_abc', 'sbt_abc')).toBe(false);
    // A longer guess whose first characters are right is still wrong.
    expect(sameSecret('sbt_abc\u0000', 'sbt_abc')).toBe(false);
  });
});

describe("a sandbox's snapshot", () => {
  async function withSandbox() {
    const app = demoApp({ adminToken: ADMIN });
    const made = await call(app, 'POST', '/_mock/sandboxes', { ...as(ADMIN), json: { label: 'team a' } });
    const { id, token } = made.body as { id: string; token: string };
    const { main: _main, ...sandboxes } = snapshotWorlds(app);
    return { id, token, sandboxes: sandboxes as Record<string, LedgerSnapshot> };
  }

  it('holds its label and token, and a restore brings both back', async () => {
    const { id, token, sandboxes } = await withSandbox();
    expect(sandboxes[id]?.extensions.sandbox).toEqual({ label: 'team a', token });
    const restored = demoApp({ adminToken: ADMIN });
    restored.restoreSandboxes(sandboxes);
    expect((await call(restored, 'GET', `/_mock/sandboxes/${id}/_mock/state`, as(token))).status).toBe(200);
    expect((await call(restored, 'GET', `/_mock/sandboxes/${id}`, as(token))).body.label).toBe('team a');
  });

  it('taken before sandboxes had tokens restores a sandbox only the admin token reaches', async () => {
    const { id, token, sandboxes } = await withSandbox();
    const snapshot = sandboxes[id] as LedgerSnapshot;
    const { sandbox: _held, ...extensions } = snapshot.extensions;
    const restored = demoApp({ adminToken: ADMIN });
    restored.restoreSandboxes({ [id]: { ...snapshot, extensions } });
    expect((await call(restored, 'GET', `/_mock/sandboxes/${id}/_mock/state`, as(token))).status).toBe(401);
    expect((await call(restored, 'GET', `/_mock/sandboxes/${id}/_mock/state`, as(ADMIN))).status).toBe(200);
  });

  it('with a token that is not one is refused, naming the sandbox and the field, and nothing changes', async () => {
    const { id, sandboxes } = await withSandbox();
    const snapshot = sandboxes[id] as LedgerSnapshot;
    const forged = { ...snapshot, extensions: { ...snapshot.extensions, sandbox: { token: 'letmein' } } };
    const restored = demoApp({ adminToken: ADMIN });
    expect(() => restored.restoreSandboxes({ [id]: forged })).toThrow(
      new RegExp(`sandbox ${id} cannot be restored: extensions.sandbox.token must be`),
    );
    expect(restored.sandboxes?.list()).toEqual([]);
  });
});
