import type { MockApp } from '../app.js';
import type { MockRequest } from '../family-kit/types.js';
import type { LedgerSnapshot } from '../ledger/snapshot.js';
import {
  SANDBOX_PREFIX,
  type SandboxRegistry,
  sandboxPath,
  withSandboxAccess,
} from '../registry/sandboxes.js';
import { MAIN_WORLD, type OperationRecord, type StoreSnapshot, type WorldId } from './types.js';

/**
 * The worlds of a durable store (docs/decisions.md, "Sandboxes are worlds of the durable store"): the main world and one per sandbox.
 * A request under `/_mock/sandboxes/{id}/...` belongs to sandbox `id`; creating and deleting a
 * sandbox (`POST /_mock/sandboxes`, `DELETE /_mock/sandboxes/{id}`) belong to the main world.
 */
export function worldOf(path: string): WorldId {
  return sandboxPath(path)?.id ?? MAIN_WORLD;
}

/**
 * The worlds whose locks a request needs (partitioned stores): its own, and for
 * `DELETE /_mock/sandboxes/{id}` also the sandbox's, so the delete follows every write to it.
 */
export function worldsOf(request: MockRequest): WorldId[] {
  const world = worldOf(request.path);
  const ended = request.method === 'DELETE' ? sandboxOf(request.path) : undefined;
  return ended === undefined ? [world] : [world, ended];
}

/** The id in `/_mock/sandboxes/{id}` (the sandbox's own control route), else `undefined`. */
function sandboxOf(path: string): string | undefined {
  if (!path.startsWith(SANDBOX_PREFIX)) return undefined;
  const id = path.slice(SANDBOX_PREFIX.length);
  return id === '' || id.includes('/') ? undefined : id;
}

/**
 * A record that creates or ends a sandbox. A partitioned store restores each sandbox from its own
 * snapshot and log, so replaying these over that state would make a sandbox twice (or end one that
 * is already gone): a full restore passes them over.
 */
export function isSandboxLifecycle(record: OperationRecord): boolean {
  if (record.world !== MAIN_WORLD || record.faults !== undefined) return false;
  const path = record.target.split('?')[0] ?? '';
  if (record.method === 'POST') return path === SANDBOX_PREFIX.slice(0, -1);
  return record.method === 'DELETE' && sandboxOf(path) !== undefined;
}

/** The app of `world`: `app` itself for the main world, a sandbox's app (undefined when it is gone). */
export function appOf(app: MockApp, world: WorldId): MockApp | undefined {
  return world === MAIN_WORLD ? app : app.sandboxRegistry?.use(world);
}

/** Every world's state: the main world first, then each live sandbox in creation order. */
export function snapshotWorlds(app: MockApp): Record<WorldId, LedgerSnapshot> {
  const worlds: Record<WorldId, LedgerSnapshot> = { [MAIN_WORLD]: app.snapshot() };
  const registry = app.sandboxRegistry;
  for (const { id, value } of registry?.list() ?? []) worlds[id] = sandboxSnapshot(registry, id, value);
  return worlds;
}

/** A sandbox's state with its label and token (`extensions.sandbox`), as a durable store keeps it. */
export function sandboxSnapshot(
  registry: SandboxRegistry<MockApp> | undefined,
  id: string,
  sandbox: MockApp,
): LedgerSnapshot {
  return withSandboxAccess(sandbox.snapshot(), registry?.access(id));
}

/**
 * Puts every world of `snapshot` back: the main world, and exactly the sandboxes it holds. All or
 * none: every world is checked and built before any is swapped in.
 * @throws LedgerError `invalid_snapshot`; Error when the main world is missing. Nothing changes then.
 */
export function restoreWorlds(app: MockApp, snapshot: StoreSnapshot): void {
  const { [MAIN_WORLD]: main, ...sandboxes } = snapshot.worlds;
  if (main === undefined) throw new Error(`the snapshot at record ${snapshot.seq} has no main world`);
  const swapMain = app.prepareRestore(main);
  const swapSandboxes = app.prepareSandboxes(sandboxes);
  swapMain();
  swapSandboxes();
}

/** Journal entries of every world: the compaction policy compares it with the last snapshot's. */
export function journalEntries(app: MockApp): number {
  let entries = app.world.ledger.journalSize;
  for (const { value } of app.sandboxRegistry?.list() ?? []) entries += value.world.ledger.journalSize;
  return entries;
}

/** `POST /_mock/sandboxes` on the server itself: a create of the main world. */
export function isSandboxCreate(request: MockRequest): boolean {
  return request.method === 'POST' && request.path === SANDBOX_PREFIX.slice(0, -1);
}

/**
 * The `DELETE /_mock/sandboxes/{id}` a durable app runs (and so records) for a sandbox that has been
 * idle too long on this replica: every replica applying the log ends it at the same point.
 */
export function expiryRequest(id: string, adminToken: string | undefined): MockRequest {
  return {
    method: 'DELETE',
    path: `${SANDBOX_PREFIX}${id}`,
    query: new URLSearchParams(),
    // The server acting as its own admin; the admin token is never part of a record.
    header: (name) => (name === 'x-mock-admin-token' ? adminToken : undefined),
    bodyText: null,
  };
}
