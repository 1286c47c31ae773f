/**
 * The source tree's shape, checked on every run: no import cycle under mock/ (type-only imports
 * included: a cycle of types is still two modules that cannot be read apart), the request path's
 * folders importing one way only, and no source file under src/ or mock/ longer than one sitting's
 * reading (400 lines).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MAX_LINES = 400;
// `import x from './a.js'`, `import type {..} from`, `export {..} from`, `export * from`, multi-line included.
const SPECIFIER = /^\s*(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm;

function sources(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(folder, file));
}

/** The modules under `folder` each module under it imports (relative imports only). */
function importGraph(folder: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(folder)) {
    const text = readFileSync(join(ROOT, file), 'utf8');
    const targets = [...text.matchAll(SPECIFIER)]
      .map((match) => match[1] ?? '')
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts'))
      .filter((target) => target.startsWith(`${folder}/`));
    graph.set(file, targets);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const walk = (file: string, path: string[]): void => {
    const seen = path.indexOf(file);
    if (seen >= 0) {
      found.push([...path.slice(seen), file]);
      return;
    }
    if (done.has(file)) return;
    for (const target of graph.get(file) ?? []) walk(target, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) walk(file, []);
  return found;
}

/**
 * The request path's folders, lowest first (docs/architecture.md, "Folders"): each may import its
 * own folder and the ones before it, never a later one nor mock/'s own files (the app, the adapters).
 */
const LAYERS = ['mock/ledger', 'mock/services', 'mock/family-kit', 'mock/registry', 'mock/steps'];

/** Every import under `mock/` from a layer to a later layer or to a file of mock/ itself. */
function upwardImports(graph: Map<string, string[]>, layers: readonly string[]): string[] {
  const layerOf = (file: string) => {
    const index = layers.findIndex((layer) => file.startsWith(`${layer}/`));
    return index >= 0 ? index : layers.length;
  };
  return [...graph].flatMap(([file, targets]) =>
    layerOf(file) === layers.length
      ? []
      : targets.filter((target) => layerOf(target) > layerOf(file)).map((target) => `${file} -> ${target}`),
  );
}

describe('the source tree', () => {
  it('has no import cycle under mock/, type-only imports included', () => {
    const graph = importGraph('mock');
    expect(graph.size).toBeGreaterThan(50);
    expect(cycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('finds a cycle when there is one (the walk itself is checked)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('imports one way along the request path: ledger, services, family-kit, registry, steps', () => {
    const graph = importGraph('mock');
    for (const layer of LAYERS)
      expect([...graph.keys()].some((file) => file.startsWith(`${layer}/`))).toBe(true);
    expect(upwardImports(graph, LAYERS)).toEqual([]);
  });

  it('finds an import up the layers (the check itself is checked)', () => {
    const graph = new Map([
      ['mock/a/x.ts', ['mock/a/y.ts']],
      ['mock/b/z.ts', ['mock/a/x.ts', 'mock/app.ts']],
      ['mock/a/y.ts', ['mock/b/z.ts']],
    ]);
    expect(upwardImports(graph, ['mock/a', 'mock/b'])).toEqual([
      'mock/b/z.ts -> mock/app.ts',
      'mock/a/y.ts -> mock/b/z.ts',
    ]);
  });

  it(`keeps every source file under src/ and mock/ at ${MAX_LINES} lines or fewer`, () => {
    const long = [...sources('src'), ...sources('mock')]
      .map((file) => ({ file, lines: readFileSync(join(ROOT, file), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(long).toEqual([]);
  });
});
