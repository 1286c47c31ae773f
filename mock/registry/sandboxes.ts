import type { CreatedSandbox, SandboxControls, SandboxInfo } from '../family-kit/family.js';
import type { MockResponse, Outcome } from '../family-kit/types.js';
import { randomBytes } from '../ledger/entropy.js';
import type { JsonObject } from '../ledger/json.js';
import type { LedgerSnapshot } from '../ledger/snapshot.js';
import { sameSecret } from './same-secret.js';

/** Sandboxes at once by default: each holds a whole seeded state, a few hundred kB at most. */
export const DEFAULT_MAX_SANDBOXES = 100;
/** A sandbox nobody has used for this long is ended: 30 minutes, longer than any one CI job step. */
export const DEFAULT_SANDBOX_IDLE_MS = 30 * 60_000;
/** The path prefix every sandbox lives under: `/_mock/sandboxes/{id}/...`. */
export const SANDBOX_PREFIX = '/_mock/sandboxes/';

/** Options of a {@link SandboxRegistry}. */
export interface SandboxOptions {
  /** Sandboxes that may exist at once (1..10000); default {@link DEFAULT_MAX_SANDBOXES}. */
  readonly maxSandboxes?: number;
  /** Idle time before a sandbox expires, in ms (>= 1000); default {@link DEFAULT_SANDBOX_IDLE_MS}. */
  readonly idleMs?: number;
  /** Real time in epoch ms (tests pass their own); idle expiry never follows the mock clock. */
  readonly now?: () => number;
  /**
   * `'lazy'` (default): every lookup, creation and listing first ends the idle sandboxes.
   * `'recorded'`: the registry ends none on its own; its owner (a durable store, mock/store/durable.ts)
   * reads {@link SandboxRegistry.expired} and ends each through a recorded `DELETE`, so every replica
   * of the log ends it at the same point and the cap counts the same sandboxes everywhere.
   */
  readonly expiry?: 'lazy' | 'recorded';
  /**
   * Who may create a sandbox when the server has an admin token: `'admin'` (default) the admin token
   * only; `'open'` anyone who reaches the server (self-service CI), each getting its sandbox's token.
   */
  readonly creation?: 'admin' | 'open';
}

/** What a sandbox carries besides its state: kept in its snapshots, so it survives restarts. */
export interface SandboxAccess {
  readonly label?: string;
  /**
   * The sandbox's own control credential (`x-mock-admin-token`); `undefined` for a sandbox restored
   * from a snapshot taken before sandboxes had tokens: only the admin token reaches it.
   */
  readonly token?: string;
}

interface Entry<T> extends SandboxAccess {
  readonly id: string;
  readonly value: T;
  lastUsedMs: number;
}

/** Thrown by {@link SandboxRegistry.create} at the cap. */
export class SandboxLimitError extends Error {
  constructor(readonly limit: number) {
    super(
      `At most ${limit} sandboxes can exist at once; DELETE /_mock/sandboxes/{id} one you no longer need.`,
    );
    this.name = 'SandboxLimitError';
  }
}

/**
 * The live sandboxes of one server, each an independent value (a whole app with its own ledger,
 * clock, faults, keys and request journal). Expiry is lazy: every lookup, creation and listing first
 * ends the sandboxes idle for longer than `idleMs`, so no timer keeps the process alive, and the cap
 * bounds memory between sweeps. Under a durable store (`expiry: 'recorded'`) the store sweeps instead,
 * through recorded deletes.
 */
export class SandboxRegistry<T> {
  readonly maxSandboxes: number;
  readonly idleMs: number;
  readonly creation: 'admin' | 'open';
  readonly #now: () => number;
  readonly #lazy: boolean;
  #live = new Map<string, Entry<T>>();

  constructor(options: SandboxOptions = {}) {
    const max = options.maxSandboxes ?? DEFAULT_MAX_SANDBOXES;
    if (!Number.isInteger(max) || max < 0 || max > 10_000)
      throw new RangeError(`maxSandboxes must be a whole number from 0 to 10000 (got ${max}).`);
    const idle = options.idleMs ?? DEFAULT_SANDBOX_IDLE_MS;
    if (!Number.isFinite(idle) || idle < 1000)
      throw new RangeError(`The sandbox idle time must be at least 1000 ms (got ${idle}).`);
    this.maxSandboxes = max;
    this.idleMs = idle;
    this.#now = options.now ?? Date.now;
    this.#lazy = options.expiry !== 'recorded';
    const creation = options.creation ?? 'admin';
    if (creation !== 'admin' && creation !== 'open')
      throw new RangeError(`Sandbox creation must be 'admin' or 'open' (got ${String(creation)}).`);
    this.creation = creation;
  }

  /**
   * Adds a sandbox built by `build` (called only when there is room; a throw adds nothing).
   * `capped: false` skips the cap: a durable store replaying a create that was answered 201 makes
   * the sandbox again whatever this process's cap (the cap admits new creates, it is not state).
   * @throws SandboxLimitError when `maxSandboxes` exist.
   */
  create(
    build: (id: string) => T,
    { capped = true, label }: { capped?: boolean; label?: string | undefined } = {},
  ): { id: string; value: T; token: string } {
    this.#sweep();
    if (capped && this.#live.size >= this.maxSandboxes) throw new SandboxLimitError(this.maxSandboxes);
    // Both drawn before `build`, in this order: a durable store's replay hands back the same bytes.
    const sandboxId = randomId();
    const token = randomToken();
    const value = build(sandboxId);
    const entry: Entry<T> = {
      id: sandboxId,
      value,
      token,
      lastUsedMs: this.#now(),
      ...(label === undefined ? {} : { label }),
    };
    this.#live.set(sandboxId, entry);
    return { id: sandboxId, value, token };
  }

  /**
   * Whether `token` is the sandbox's own (compared in constant time); false for an unknown sandbox
   * and for one without a token. Does not mark the sandbox as used.
   */
  authorises(id: string, token: string | undefined): boolean {
    const expected = this.#live.get(id)?.token;
    return expected !== undefined && sameSecret(token, expected);
  }

  /** The label and token of a live sandbox, for its snapshot; `undefined` when there is none. */
  access(id: string): SandboxAccess | undefined {
    const entry = this.#live.get(id);
    if (entry === undefined) return undefined;
    const { label, token } = entry;
    return { ...(label === undefined ? {} : { label }), ...(token === undefined ? {} : { token }) };
  }

  /** A live sandbox's id, label and expiry, without marking it as used. */
  info(id: string): SandboxInfo | undefined {
    this.#sweep();
    const entry = this.#live.get(id);
    return entry && infoOf(entry, this.idleMs);
  }

  /** The sandbox with this id, marked as used now; `undefined` when unknown, deleted or expired. */
  use(id: string): T | undefined {
    this.#sweep();
    const entry = this.#live.get(id);
    if (entry === undefined) return undefined;
    entry.lastUsedMs = this.#now();
    return entry.value;
  }

  /** Whether the sandbox exists, without marking it as used (a durable store checking a write's world). */
  has(id: string): boolean {
    return this.#live.has(id);
  }

  /** Ends a sandbox; false when there was none. */
  delete(id: string): boolean {
    this.#sweep();
    return this.#live.delete(id);
  }

  /** Every live sandbox, oldest first. */
  list(): (SandboxInfo & { value: T })[] {
    this.#sweep();
    return [...this.#live.values()].map((entry) => ({ ...infoOf(entry, this.idleMs), value: entry.value }));
  }

  /** When the sandbox expires unless used again. */
  expiresAt(id: string): string | undefined {
    const entry = this.#live.get(id);
    return entry && new Date(entry.lastUsedMs + this.idleMs).toISOString();
  }

  /** Ends every sandbox (a reset of the server's default state keeps them: they are not its state). */
  clear(): void {
    this.#live.clear();
  }

  /** How many sandboxes exist (expired ones not swept yet included). */
  get size(): number {
    return this.#live.size;
  }

  /** The ids of the sandboxes idle for longer than `idleMs`, oldest first (what a sweep would end). */
  expired(): string[] {
    const ids: string[] = [];
    if (this.#live.size === 0) return ids;
    // A durable app asks before every request: one pass, no copy of the live set.
    const oldest = this.#now() - this.idleMs;
    for (const entry of this.#live.values()) if (entry.lastUsedMs < oldest) ids.push(entry.id);
    return ids;
  }

  /**
   * Replaces the set of sandboxes with `entries`, in their order and without the cap (a durable store
   * restoring a snapshot), each with the label and token its snapshot holds. A sandbox that stays
   * keeps its idle time; a new one starts it now.
   */
  replace(entries: Iterable<readonly [string, T, SandboxAccess]>): void {
    const next = new Map<string, Entry<T>>();
    const nowMs = this.#now();
    for (const [id, value, { label, token }] of entries) {
      next.set(id, {
        id,
        value,
        lastUsedMs: this.#live.get(id)?.lastUsedMs ?? nowMs,
        ...(label === undefined ? {} : { label }),
        ...(token === undefined ? {} : { token }),
      });
    }
    this.#live = next;
  }

  #sweep(): void {
    if (!this.#lazy) return;
    for (const id of this.expired()) this.#live.delete(id);
  }
}

/** A sandbox token as {@link SandboxRegistry.create} draws it. */
const TOKEN = /^sbt_[0-9a-f]{32}$/;

/**
 * A sandbox's snapshot with its label and token (`extensions.sandbox`): a durable store keeps them
 * with its state, so a restart or another replica restores a sandbox its team can still reach.
 */
export function withSandboxAccess(
  snapshot: LedgerSnapshot,
  access: SandboxAccess | undefined,
): LedgerSnapshot {
  if (access === undefined) return snapshot;
  const sandbox: JsonObject = { ...access };
  return { ...snapshot, extensions: { ...snapshot.extensions, sandbox } };
}

/**
 * The label and token a sandbox's snapshot holds; none for a snapshot taken before sandboxes had
 * tokens (then only the admin token reaches the sandbox).
 * @throws Error naming the field when `extensions.sandbox` is not what {@link withSandboxAccess} writes.
 */
export function sandboxAccessOf(snapshot: LedgerSnapshot): SandboxAccess {
  const held = snapshot.extensions.sandbox;
  if (held === undefined) return {};
  if (held === null || typeof held !== 'object' || Array.isArray(held))
    throw new Error("extensions.sandbox must be an object with the sandbox's label and token");
  const { label, token } = held as JsonObject;
  if (label !== undefined && (typeof label !== 'string' || label.length === 0 || label.length > 100))
    throw new Error('extensions.sandbox.label must be a string of 1 to 100 characters');
  if (token !== undefined && (typeof token !== 'string' || !TOKEN.test(token)))
    throw new Error('extensions.sandbox.token must be "sbt_" and 32 hex digits');
  return { ...(label === undefined ? {} : { label }), ...(token === undefined ? {} : { token }) };
}

/**
 * Splits `/_mock/sandboxes/{id}/rest` into the id and `/rest`; `undefined` when `path` does not reach
 * into a sandbox (the sandboxes' own control routes, `/_mock/sandboxes` and `/_mock/sandboxes/{id}`).
 */
export function sandboxPath(path: string): { id: string; path: string } | undefined {
  if (!path.startsWith(SANDBOX_PREFIX)) return undefined;
  const slash = path.indexOf('/', SANDBOX_PREFIX.length);
  if (slash === -1) return undefined;
  return { id: path.slice(SANDBOX_PREFIX.length, slash), path: path.slice(slash) };
}

/**
 * `sbx_` and 48 random bits in hex, drawn from the one entropy source (Web Crypto, so the browser
 * entry needs no `node:crypto`): a durable store records the bytes, so a replay makes the same id.
 */
function randomId(): string {
  const bytes = randomBytes(6);
  return `sbx_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * `sbt_` and 128 random bits in hex, from the same entropy source as the id (so a durable store's
 * replay, and every replica, makes the same token): too many to guess.
 */
function randomToken(): string {
  const bytes = randomBytes(16);
  return `sbt_${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

function infoOf(entry: Entry<unknown>, idleMs: number): SandboxInfo {
  const expiresAt = new Date(entry.lastUsedMs + idleMs).toISOString();
  return { id: entry.id, ...(entry.label === undefined ? {} : { label: entry.label }), expiresAt };
}

/**
 * The answer under the base URL of a sandbox that does not exist (any more): 404 in the shape of the
 * family whose path it is (`familyError`), in the control API's shape for its `/_mock` paths.
 */
export function noSandbox(
  id: string,
  path: string,
  familyError: (path: string, detail: string) => MockResponse | undefined,
): Outcome {
  const error = `No sandbox ${id}; it was deleted or expired. Create one with POST /_mock/sandboxes.`;
  const response = familyError(path, error) ?? { status: 404, body: { error } };
  return { kind: 'respond', response, replayed: false };
}

/** The control API's view of the sandboxes. */
export function sandboxControls<T>(
  registry: SandboxRegistry<T>,
  spawn: (seed: unknown, id: string) => T,
): SandboxControls {
  return {
    creation: registry.creation,
    create(seed, replayed = false, label = undefined): CreatedSandbox {
      const { id, token } = registry.create((made) => spawn(seed, made), { capped: !replayed, label });
      return { ...(registry.info(id) ?? { id, expiresAt: '' }), token };
    },
    list: () => registry.list(),
    get: (id) => registry.info(id),
    delete: (id) => registry.delete(id),
    authorises: (id, token) => registry.authorises(id, token),
  };
}
