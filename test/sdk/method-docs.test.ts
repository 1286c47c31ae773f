import { join, resolve } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { FAMILY_KEYS_BY_TAG } from '../../generated/families.js';
import { operations } from '../../generated/operations.js';

/*
 * What an editor shows on hover over `client.<family>.<method>`: TypeScript's own documentation and
 * JSDoc tags of the symbol, read through the compiler API over the generated code. Every operation
 * of a family in openapi.yaml must be a method whose hover shows its summary, `METHOD /path`, its
 * family, each documented error status with the error class it becomes, and an example.
 */

interface Hover {
  readonly text: string;
  readonly tags: readonly { name: string; text: string }[];
}

const root = resolve(import.meta.dirname, '../..');
const hovers = new Map<string, Hover>();

beforeAll(() => {
  const program = ts.createProgram([join(root, 'src/index.ts')], {
    strict: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
    skipLibCheck: true,
  });
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(join(root, 'src/index.ts'));
  const entryModule = entry && checker.getSymbolAtLocation(entry);
  if (!entryModule) throw new Error('src/index.ts is not in the program');
  const exported = checker.getExportsOfModule(entryModule).find((s) => s.name === 'LedgerlineClient');
  if (!exported) throw new Error('LedgerlineClient is not exported');
  const client = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const clientType = checker.getDeclaredTypeOfSymbol(client);
  for (const family of checker.getPropertiesOfType(clientType)) {
    if (family.name === 'paths') continue;
    const familyType = checker.getTypeOfSymbol(family);
    for (const method of checker.getPropertiesOfType(familyType)) {
      hovers.set(`${family.name}.${method.name}`, {
        text: ts.displayPartsToString(method.getDocumentationComment(checker)),
        tags: method.getJsDocTags(checker).map((tag) => ({
          name: tag.name,
          text: ts.displayPartsToString(tag.text),
        })),
      });
    }
  }
}, 120_000);

const familyOperations = Object.entries(operations).filter(
  ([, operation]) => operation.family in FAMILY_KEYS_BY_TAG,
);

describe('the hover of every SDK method', () => {
  it('covers every operation of the four families', () => {
    expect(familyOperations.length).toBeGreaterThanOrEqual(23);
    expect(hovers.size).toBe(familyOperations.length);
  });

  it.each(familyOperations)('%s shows summary, endpoint, family, errors and an example', (id, operation) => {
    const familyKey = FAMILY_KEYS_BY_TAG[operation.family as keyof typeof FAMILY_KEYS_BY_TAG];
    const found = [...hovers.entries()].filter(([, hover]) => hover.text.includes(`operation \`${id}\``));
    expect(found.map(([name]) => name.split('.')[0])).toEqual([familyKey]);
    const [, hover] = found[0] ?? ['', { text: '', tags: [] }];
    expect(hover.text.split('\n')[0]?.length).toBeGreaterThan(5); // the summary heads it
    expect(hover.text).toContain(`\`${operation.method} ${operation.path}\``);
    expect(hover.text).toContain(`family \`${operation.family}\``);
    const throws = hover.tags.filter((tag) => tag.name === 'throws').map((tag) => tag.text);
    for (const status of Object.keys(operation.responses).filter((s) => /^[45]\d\d$/.test(s)))
      expect(
        throws.some((line) => line.startsWith(`HTTP ${status} as `) && /Error/.test(line)),
        `${id} ${status}`,
      ).toBe(true);
    const example = hover.tags.find((tag) => tag.name === 'example')?.text ?? '';
    expect(example).toContain(`client.${familyKey}.`);
    expect(hover.tags.some((tag) => tag.name === 'returns')).toBe(true);
  });
});
