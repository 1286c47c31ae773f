import { type OperationId, operations } from '../../generated/operations.js';
import { familyOfPath as sdkFamilyOfPath } from '../core/family.js';
/** A family of openapi.yaml by its tag, or the reference server's control API. */
export type Tag = 'white-label' | 'reseller' | 'credit-send' | 'billing' | 'mock-admin';

export interface Route {
  readonly operationId: OperationId;
  readonly family: Tag;
  readonly params: Readonly<Record<string, string>>;
}

interface Compiled {
  readonly operationId: OperationId;
  readonly method: string;
  readonly family: Tag;
  readonly pattern: RegExp | null;
  readonly names: readonly string[];
}

// Most paths are literal: an exact-match map answers them in O(1); templated ones fall back to regexes.
const literal = new Map<string, Compiled>();
const templated: Compiled[] = [];
for (const [operationId, op] of Object.entries(operations) as [
  OperationId,
  (typeof operations)[OperationId],
][]) {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const base = { operationId, method: op.method, family: op.family as Tag, names };
  if (names.length === 0) literal.set(`${op.method} ${op.path}`, { ...base, pattern: null });
  else templated.push({ ...base, pattern: new RegExp(`^${op.path.replace(/\{\w+\}/g, '([^/]+)')}$`) });
}
const knownPaths = new Set(Object.values(operations).map((op) => op.path));

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'method_not_allowed' }
  | { readonly kind: 'not_found' };

/** Finds the operation of openapi.yaml that answers `method path`. */
export function matchRoute(method: string, path: string): RouteMatch {
  const hit = literal.get(`${method} ${path}`);
  if (hit) return { kind: 'found', route: { operationId: hit.operationId, family: hit.family, params: {} } };
  let pathKnown = knownPaths.has(path);
  for (const candidate of templated) {
    const match = candidate.pattern?.exec(path);
    if (!match) continue;
    pathKnown = true;
    if (candidate.method !== method) continue;
    const params = Object.fromEntries(
      candidate.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
    );
    return { kind: 'found', route: { operationId: candidate.operationId, family: candidate.family, params } };
  }
  return { kind: pathKnown ? 'method_not_allowed' : 'not_found' };
}

/** The family whose native path prefix `path` falls under, to answer unknown routes in its shape. */
export function familyOfPath(path: string): Tag | undefined {
  return sdkFamilyOfPath(path) ?? (path.startsWith('/_mock') ? 'mock-admin' : undefined);
}
