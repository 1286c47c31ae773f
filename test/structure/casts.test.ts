/**
 * Handlers get their input typed from openapi.yaml (`SpecContext` in mock/family-kit/family.ts), so a
 * type assertion under mock/families/ re-asserts something the types should already say. Counted
 * from the syntax tree: `as const`, comments and `import {a as b}` renames are not assertions.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const FOLDER = 'mock/families';
const MAX_CASTS = 10;

const isCast = (node: ts.Node): node is ts.AsExpression | ts.TypeAssertion =>
  ts.isAsExpression(node) || ts.isTypeAssertionExpression(node);

/**
 * Every `x as T` (and `<T>x`) in `text` but `as const`, as `file:line: source`; `x as unknown as T`
 * is one assertion.
 */
function casts(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (isCast(node) && !isCast(node.parent)) {
      const isConst = ts.isTypeReferenceNode(node.type) && node.type.typeName.getText(source) === 'const';
      if (!isConst) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        found.push(`${file}:${line + 1}: ${node.getText(source)}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function familyCasts(): string[] {
  return readdirSync(join(ROOT, FOLDER), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .flatMap((file) => casts(join(FOLDER, file), readFileSync(join(ROOT, FOLDER, file), 'utf8')));
}

describe('type assertions in mock/families/', () => {
  it(`are at most ${MAX_CASTS} (handler input is typed from the spec)`, () => {
    const found = familyCasts();
    expect(
      found.length,
      `${found.length} \`as\` casts in ${FOLDER} (at most ${MAX_CASTS}):\n${found.join('\n')}`,
    ).toBeLessThanOrEqual(MAX_CASTS);
  });

  it('counts assertions, not `as const`, comments, strings or import renames', () => {
    const text = [
      "import { a as b } from './a.js';",
      "export { b as c } from './b.js';",
      '// x as string',
      "const s = 'y as number';",
      'const k = [1] as const;',
      'const n = (v as number) + (<number>w);',
      'const m = u as unknown as string;',
    ].join('\n');
    expect(casts('x.ts', text)).toEqual([
      'x.ts:6: v as number',
      'x.ts:6: <number>w',
      'x.ts:7: u as unknown as string',
    ]);
  });
});
