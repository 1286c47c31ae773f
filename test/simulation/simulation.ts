import { createHash } from 'node:crypto';
import type { MockRequest } from '../../mock/family-kit/types.js';
import { canonicalJson, type JsonValue } from '../../mock/ledger/json.js';
import { ApiError, LedgerlineError } from '../../src/index.js';
import { checkStep } from './checks.js';
import { FLAKY_KEY, FLAKY_PATH } from './flaky-family.js';
import { type Exchange, inProcessFetch } from './in-process-fetch.js';
import { type Call, type Control, clockAdvance, familyCall, faultSpec } from './operations.js';
import { Prng } from './prng.js';
import { SimulatedServer, type SimulatedStore, START, simulationSeed } from './server.js';
import { makeTarget, type Target } from './targets.js';

/** What one run did: its event log's digest, and the first failed check if any. */
export interface SimulationResult {
  readonly seed: number;
  readonly steps: number;
  readonly store: SimulatedStore;
  /** Steps run: `steps`, or the step that failed. */
  readonly ran: number;
  readonly digest: string;
  readonly events: readonly string[];
  readonly failure?: { readonly step: number; readonly message: string };
}

/** Thrown by a check: the run stops at this step. */
export class SimulationFailure extends Error {}

const DAY_MS = 86_400_000;

/** The body of an answer in one text form (key order ignored), for the event log and comparisons. */
export const canonical = (body: unknown): string =>
  body === undefined ? '' : canonicalJson(JSON.parse(JSON.stringify(body)) as JsonValue);

/** A run's mutable parts, shared with the checks. */
export interface RunState {
  readonly server: SimulatedServer;
  readonly prng: Prng;
  readonly targets: Target[];
  readonly events: string[];
  readonly violations: string[];
  readonly control: Control;
  step: number;
  /** Sends a raw request to the server as the clients' fetch does (observed the same way). */
  readonly raw: (request: MockRequest) => Promise<Exchange>;
  /** Every family call made, with its key, for a client that sends one again later. */
  readonly history: { target: Target; call: Call; key: string; atMs: number }[];
  fetch: ReturnType<typeof inProcessFetch> | undefined;
}

/**
 * Installs seeded bytes as the process's `crypto.getRandomValues` for one run: the server draws
 * token secrets and ids from it, so they repeat with the seed. Returns the undo.
 */
function seededEntropy(prng: Prng): () => void {
  const crypto = globalThis.crypto;
  const own = Object.getOwnPropertyDescriptor(crypto, 'getRandomValues');
  Object.defineProperty(crypto, 'getRandomValues', {
    configurable: true,
    writable: true,
    value: <T extends ArrayBufferView | null>(array: T): T => {
      if (array !== null) prng.fill(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
      return array;
    },
  });
  return () => {
    if (own) Object.defineProperty(crypto, 'getRandomValues', own);
    else Reflect.deleteProperty(crypto, 'getRandomValues');
  };
}

/** Which target a request path belongs to. */
function targetOf(targets: readonly Target[], path: string): Target | undefined {
  return targets.find((t) => t.prefix !== '' && path.startsWith(`${t.prefix}/`)) ?? targets[0];
}

/**
 * How long an answer to `request` replays: a key is kept a day of mock time, but a credit-send
 * token (the run logs in for an hour) expires first, and a request with an expired token is a 401.
 */
export const keptForMs = (request: MockRequest): number =>
  request.header('token') === undefined ? DAY_MS : 3_600_000;

/** Notes a keyed answer: the first 2xx of a key is kept; a later answer to it must replay it. */
function observeKeyed(state: RunState, exchange: Exchange): void {
  const { request, status, replayed } = exchange;
  const key = request.header('idempotency-key');
  const path = `${request.method} ${request.path}`;
  state.events.push(`  ${path} key=${key ?? '-'} -> ${status ?? 'dropped'}${replayed ? ' replayed' : ''}`);
  const target = targetOf(state.targets, request.path);
  if (target !== undefined && exchange.requestId !== undefined && status !== undefined)
    target.answers.push({ requestId: exchange.requestId, status, path });
  if (key === undefined || status === undefined || target === undefined) return;
  const scoped = `${request.header('authorization') ?? request.header('token') ?? ''} ${key}`;
  const first = target.answered.get(scoped);
  const fresh = first !== undefined && target.nowMs - first.atMs < first.ttlMs;
  const body = canonical(exchange.body);
  if (status === 409 && !replayed && first !== undefined)
    state.violations.push(`${path}: key ${key} answered 2xx at step before, now 409 "in flight"`);
  if (fresh && first !== undefined && (!replayed || first.status !== status || first.body !== body))
    state.violations.push(
      `${path}: key ${key} first answered ${first.status} ${first.body}, now ${status}${replayed ? ' (replayed)' : ' (not replayed: ran again)'} ${body}`,
    );
  if (status >= 200 && status < 300 && !fresh)
    target.answered.set(scoped, { request, status, body, atMs: target.nowMs, ttlMs: keptForMs(request) });
}

/** What a call ended with, as an event-log line: the SDK's result or its typed error. */
async function outcomeOf(run: () => Promise<unknown>): Promise<string> {
  try {
    return `ok ${canonical(await run())}`;
  } catch (error) {
    if (error instanceof ApiError)
      return `${error.name} ${error.status} ${error.code} ${canonical(error.body)}`;
    if (error instanceof LedgerlineError) return error.name;
    throw error;
  }
}

/** Runs `steps` steps of the simulation of `seed` on `store`; stops at the first failed check. */
export async function runSimulation(
  seed: number,
  steps: number,
  store: SimulatedStore = 'file',
): Promise<SimulationResult> {
  const prng = new Prng(seed);
  const restoreEntropy = seededEntropy(new Prng(seed ^ 0x5bd1e995));
  const server = await SimulatedServer.start(simulationSeed(), new Prng(seed ^ 0x27d4eb2f), store);
  const events: string[] = [];
  let failure: SimulationResult['failure'];
  let ran = 0;
  try {
    const state = newState(server, prng, events);
    // The flaky family's requests draw from their own generator: the run's other choices stay its seed's.
    const flakyPrng = new Prng(seed ^ 0x1b873593);
    for (let step = 1; step <= steps; step++) {
      state.step = step;
      ran = step;
      try {
        await runStep(state);
        await flakySteps(state, flakyPrng);
        if (state.violations.length > 0) throw new SimulationFailure(state.violations.join('\n'));
        await checkStep(state);
        if (state.violations.length > 0) throw new SimulationFailure(state.violations.join('\n'));
      } catch (error) {
        const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
        failure = { step, message };
        events.push(`step ${step} FAILED ${message.split('\n')[0]}`);
        break;
      }
    }
  } finally {
    await server.stop();
    restoreEntropy();
  }
  const digest = createHash('sha256').update(events.join('\n')).digest('hex').slice(0, 16);
  return { seed, steps, store, ran, digest, events, ...(failure ? { failure } : {}) };
}

function newState(server: SimulatedServer, prng: Prng, events: string[]): RunState {
  const targets: Target[] = [];
  const startMs = Date.parse(START);
  const violations: string[] = [];
  const state: RunState = {
    server,
    prng,
    targets,
    events,
    violations,
    history: [],
    fetch: undefined,
    step: 0,
    control: async (method, path, json) => {
      const exchange = await state.raw({
        method,
        path,
        query: new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : ''),
        header: (name) => (name === 'content-type' && json !== undefined ? 'application/json' : undefined),
        bodyText: json === undefined ? null : JSON.stringify(json),
      });
      return { status: exchange.status ?? 0, body: exchange.body };
    },
    raw: async (request) => {
      const path = request.path.split('?')[0] ?? request.path;
      const outcome = await server.answer({ ...request, path });
      const exchange: Exchange =
        outcome.kind === 'drop'
          ? { request, status: undefined, body: undefined, replayed: false }
          : {
              request,
              status: outcome.response.status,
              body: outcome.response.body,
              replayed: outcome.replayed,
              requestId: outcome.response.headers?.['x-request-id'],
            };
      observeKeyed(state, exchange);
      return exchange;
    },
  };
  const fetch = inProcessFetch(
    (request) => server.answer(request),
    (exchange) => observeKeyed(state, exchange),
  );
  state.fetch = fetch;
  targets.push(makeTarget('main', '', fetch, startMs));
  return state;
}

/** One step: a family call (sometimes under a fault), a client resending a key, a clock move, a crash, or a sandbox change. */
async function runStep(state: RunState): Promise<void> {
  const { prng, step, events, targets } = state;
  const kind = prng.weighted([
    ['call', 10],
    ['faulted', 4],
    ['resend', 3],
    ['clock', 2],
    ['crash', 1],
    ['sandbox', 1.5],
    ['disk', 0.7],
  ] as const);
  if (kind === 'call' || kind === 'faulted' || kind === 'disk') {
    const target = prng.pick(targets);
    // The next write fails after reaching the disk: 503, the state rolled back to the disk's.
    if (kind === 'disk') state.server.failNextWrite();
    let fault = '';
    if (kind === 'faulted') {
      const spec = faultSpec(prng);
      const added = await state.control('POST', `${target.prefix}/_mock/faults`, spec);
      if (added.status !== 201)
        throw new SimulationFailure(`adding fault ${canonical(spec)}: ${added.status}`);
      fault = ` under fault ${canonical(spec)}`;
    }
    const call = familyCall(target, prng, state.control);
    const key = `sim-${step}`;
    const disk = kind === 'disk' ? ' with the next write failing' : '';
    events.push(`step ${step} ${target.name} ${call.label}${fault}${disk}`);
    const outcome = await outcomeOf(() => call.run(key));
    events.push(`step ${step} => ${outcome}`);
    state.history.push({ target, call, key, atMs: target.nowMs });
    if (kind === 'faulted') await state.control('DELETE', `${target.prefix}/_mock/faults`);
    return;
  }
  if (kind === 'resend') {
    // A client sends a call again within the hour it was made (its credit-send token still valid).
    const recent = state.history.filter(
      (h) => targets.includes(h.target) && h.target.nowMs - h.atMs < 3_000_000,
    );
    if (recent.length === 0) return void events.push(`step ${step} resend: no recent call`);
    const { target, call, key } = prng.pick(recent);
    events.push(`step ${step} ${target.name} resend ${key} ${call.label}`);
    events.push(`step ${step} => ${await outcomeOf(() => call.run(key))}`);
    return;
  }
  if (kind === 'clock') {
    const target = prng.pick(targets);
    const advanceSeconds = clockAdvance(prng);
    const moved = await state.control('POST', `${target.prefix}/_mock/clock`, { advanceSeconds });
    events.push(
      `step ${step} ${target.name} clock +${advanceSeconds}s => ${moved.status} ${canonical(moved.body)}`,
    );
    const now = (moved.body as { now?: string } | undefined)?.now;
    if (moved.status !== 200 || now === undefined) throw new SimulationFailure(`clock move: ${moved.status}`);
    target.nowMs = Date.parse(now);
    return;
  }
  if (kind === 'crash') {
    events.push(`step ${step} crash and restart`);
    await state.server.crash();
    // The request journal is not saved: a restart starts an empty one.
    for (const target of targets) target.answers.splice(0);
    return;
  }
  const sandboxes = targets.slice(1);
  const existing =
    sandboxes.length > 0 && (sandboxes.length >= 2 || prng.chance(0.4)) ? prng.pick(sandboxes) : undefined;
  if (existing === undefined) {
    const made = await state.control('POST', '/_mock/sandboxes', { seed: simulationSeed() });
    const id = (made.body as { id?: string } | undefined)?.id;
    events.push(`step ${step} sandbox create => ${made.status} ${id}`);
    if (made.status !== 201 || id === undefined)
      throw new SimulationFailure(`sandbox create: ${made.status}`);
    const prefix = `/_mock/sandboxes/${id}`;
    // A sandbox starts on the real clock: set it, so its answers repeat with the seed.
    const set = await state.control('POST', `${prefix}/_mock/clock`, { now: START });
    if (set.status !== 200) throw new SimulationFailure(`sandbox clock: ${set.status}`);
    if (state.fetch === undefined) throw new Error('no fetch');
    targets.push(makeTarget(`sandbox ${id}`, prefix, state.fetch, Date.parse(START)));
    return;
  }
  const deleted = await state.control('DELETE', existing.prefix);
  events.push(`step ${step} ${existing.name} delete => ${deleted.status}`);
  if (deleted.status !== 204) throw new SimulationFailure(`sandbox delete: ${deleted.status}`);
  targets.splice(targets.indexOf(existing), 1);
}

/** A write of the flaky family (flaky-family.ts) to `target`; `reject` makes its handler reject. */
function flakyWrite(target: Target, key: string, amount: number, reject: boolean): MockRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-flaky-key': FLAKY_KEY,
    'idempotency-key': key,
    ...(reject ? { 'x-flaky-reject': '1' } : {}),
  };
  return {
    method: 'POST',
    path: `${target.prefix}${FLAKY_PATH}`,
    query: new URLSearchParams(),
    header: (name) => headers[name],
    bodyText: JSON.stringify({ amount }),
  };
}

/**
 * After some steps (drawn from `prng`), what no built-in family does: a write whose asynchronous
 * handler rejects, then the same request again without the rejection, with its key; the rejection
 * must have released the key, so the retry runs, never 409 "in flight". And sometimes two writes at
 * once with the first write failing on the disk: the request journal then amends a record that is
 * not its newest one, and the journal check (checks.ts) sees each request's own status.
 */
async function flakySteps(state: RunState, prng: Prng): Promise<void> {
  const { events, step } = state;
  if (prng.chance(0.3)) {
    const target = prng.pick(state.targets);
    const amount = prng.int(1, 9);
    const key = `flaky-${step}`;
    const rejected = await state.raw(flakyWrite(target, key, amount, true));
    const retried = await state.raw(flakyWrite(target, key, amount, false));
    events.push(
      `step ${step} ${target.name} flaky ${key} rejected => ${rejected.status}, retried => ${retried.status}`,
    );
    if (retried.status === 409)
      state.violations.push(
        `${target.name}: the retry of ${key} after its handler rejected (${rejected.status}) was answered 409: the rejection kept the key in flight`,
      );
  }
  if (prng.chance(0.15)) {
    const target = prng.pick(state.targets);
    state.server.failNextWrite();
    const answers = await Promise.all(
      [1, 2, 3].map((n) => state.raw(flakyWrite(target, `flaky-${step}-${n}`, n, false))),
    );
    events.push(
      `step ${step} ${target.name} flaky burst, the first write failing => ${answers.map((a) => a.status).join(' ')}`,
    );
  }
}
