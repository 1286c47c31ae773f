import { type OperationId, operations } from '../../generated/operations.js';
import type { Family } from '../core/family.js';
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
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'method_not_allowed' }
  | { readonly kind: 'not_found' };

// Most paths are literal: an exact-match map per method answers them in O(1) with a match built once
// (frozen, with no parameters), instead of a key string and three objects per request (bench:
// server). Templated paths fall back to regexes.
const literal = new Map<string, Map<string, RouteMatch>>();
const templated: Compiled[] = [];
for (const [operationId, op] of Object.entries(operations) as [
  OperationId,
  (typeof operations)[OperationId],
][]) {
  const names = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
  const family = op.family as Tag;
  if (names.length === 0) {
    const route: Route = Object.freeze({ operationId, family, params: Object.freeze({}) });
    let byPath = literal.get(op.method);
    if (byPath === undefined) {
      byPath = new Map();
      literal.set(op.method, byPath);
    }
    byPath.set(op.path, Object.freeze({ kind: 'found', route }));
  } else {
    const pattern = new RegExp(`^${op.path.replace(/\{\w+\}/g, '([^/]+)')}$`);
    templated.push({ operationId, method: op.method, family, names, pattern });
  }
}
const knownPaths = new Set(Object.values(operations).map((op) => op.path));

/** Finds the operation of openapi.yaml that answers `method path`. */
export function matchRoute(method: string, path: string): RouteMatch {
  const hit = literal.get(method)?.get(path);
  if (hit !== undefined) return hit;
  let pathKnown = knownPaths.has(path);
  for (const candidate of templated) {
    const match = candidate.pattern.exec(path);
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

/**
 * Family of a native request path. Native paths never collide, so the path alone decides; the match
 * is unanchored so a path behind a prefix (a proxy) still resolves. `undefined`: not a family path.
 */
export function familyOfNativePath(path: string): Family | undefined {
  const m =
    /\/(?:api\/v1\/(reseller|billing)|api\/(white-label|user\/me)|(user\/login|credits\/send))(?:\/|$)/.exec(
      path,
    );
  return (m?.[1] as Family | undefined) ?? (m?.[2] ? 'white-label' : m?.[3] ? 'credit-send' : undefined);
}

/** The family whose native path prefix `path` falls under, to answer unknown routes in its shape. */
export function familyOfPath(path: string): Tag | undefined {
  return familyOfNativePath(path) ?? (path.startsWith('/_mock') ? 'mock-admin' : undefined);
}
