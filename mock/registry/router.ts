import type { OperationSchema } from '../../generated/operations.js';
import type { FamilyModule } from '../family-kit/family.js';

/** A request matched to an operation of a registered family. */
export interface Route {
  readonly operationId: string;
  readonly family: FamilyModule;
  readonly schema: OperationSchema;
  readonly params: Readonly<Record<string, string>>;
}

/** The route of a request, or why there is none (answered 404 or 405 in the family's shape). */
export type RouteMatch =
  | { readonly kind: 'found'; readonly route: Route }
  | { readonly kind: 'method_not_allowed' }
  | { readonly kind: 'not_found' };

interface Templated {
  readonly route: Omit<Route, 'params'>;
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Routes requests to the operations of the registered families. Built once per registry: most paths
 * are literal, and an exact-match map per method answers them in O(1) with a match built once (frozen,
 * with no parameters), instead of a key string and three objects per request (bench: server).
 * Templated paths fall back to regexes.
 */
export class Router {
  readonly #literal = new Map<string, Map<string, RouteMatch>>();
  readonly #templated: Templated[] = [];
  readonly #knownPaths = new Set<string>();
  readonly #prefixes: readonly { readonly pattern: RegExp; readonly family: FamilyModule }[];

  constructor(families: readonly FamilyModule[]) {
    for (const family of families) {
      for (const [operationId, schema] of Object.entries(family.routes))
        this.#add(family, operationId, schema);
    }
    // A prefix owns the segments under it, wherever it sits (a proxy may prepend its own).
    this.#prefixes = families.map((family) => ({
      family,
      pattern: new RegExp(
        `(?:^|/)(?:${family.prefixes.map((p) => escapeRegExp(p.replace(/^\//, ''))).join('|')})(?:/|$)`,
      ),
    }));
  }

  #add(family: FamilyModule, operationId: string, schema: OperationSchema): void {
    const names = [...schema.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
    if (this.match(schema.method, schema.path).kind === 'found')
      throw new Error(`${schema.method} ${schema.path} is routed twice (${family.tag} ${operationId})`);
    this.#knownPaths.add(schema.path);
    if (names.length === 0) {
      const route: Route = Object.freeze({ operationId, family, schema, params: Object.freeze({}) });
      let byPath = this.#literal.get(schema.method);
      if (byPath === undefined) {
        byPath = new Map();
        this.#literal.set(schema.method, byPath);
      }
      byPath.set(schema.path, Object.freeze({ kind: 'found', route }));
    } else {
      const pattern = new RegExp(`^${schema.path.replace(/\{\w+\}/g, '([^/]+)')}$`);
      this.#templated.push({ route: { operationId, family, schema }, method: schema.method, names, pattern });
    }
  }

  /** Finds the operation that answers `method path`. */
  match(method: string, path: string): RouteMatch {
    const hit = this.#literal.get(method)?.get(path);
    if (hit !== undefined) return hit;
    let pathKnown = this.#knownPaths.has(path);
    for (const candidate of this.#templated) {
      const match = candidate.pattern.exec(path);
      if (!match) continue;
      pathKnown = true;
      if (candidate.method !== method) continue;
      const params = Object.fromEntries(
        candidate.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? '')]),
      );
      return { kind: 'found', route: { ...candidate.route, params } };
    }
    return { kind: pathKnown ? 'method_not_allowed' : 'not_found' };
  }

  /**
   * The methods `path` answers, for the `Allow` header of a 405 (RFC 9110 requires it; the reseller
   * errors page documents it): HEAD wherever GET is, since every entry point answers HEAD as GET.
   */
  allowedMethods(path: string): string[] {
    const methods = new Set<string>();
    for (const [method, byPath] of this.#literal) if (byPath.has(path)) methods.add(method);
    for (const candidate of this.#templated) if (candidate.pattern.test(path)) methods.add(candidate.method);
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  }

  /**
   * The family whose path prefix `path` falls under, to answer unknown routes in its shape;
   * `undefined`: no family's path (MSW leaves such requests to other handlers).
   */
  familyOf(path: string): FamilyModule | undefined {
    return this.#prefixes.find((entry) => entry.pattern.test(path))?.family;
  }
}
