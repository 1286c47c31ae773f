import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * The guides name real files (docs/architecture.md is "the page a newcomer reads first" and says it
 * is wrong when a name stops matching). Every `mock/...`, `src/...`, `test/...` path written in
 * backticks in README.md and docs/*.md must exist; templates (`<family>`, `*`, `{id}`) are skipped.
 */
const root = resolve(import.meta.dirname, '../..');
const PATH = /`((?:mock|src|test|generated|scripts|examples)\/[A-Za-z0-9_./-]+)`/g;

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

describe('paths named in the docs', () => {
  it.each(documents)('%s names only files that exist', (document) => {
    const text = readFileSync(join(root, document), 'utf8');
    const named = [...text.matchAll(PATH)].map((match) => match[1] ?? '');
    const missing = [...new Set(named)].filter((path) => !existsSync(join(root, path)));
    expect(missing, `${document} names files that do not exist`).toEqual([]);
  });
});
