import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * How a fenced block is treated, from its info string:
 * - ```ts           type-checked, then run against the reference server (the default);
 * - ```ts no-run    type-checked only (it needs something the test cannot provide);
 * - ```ts vitest    type-checked, then run as a test file by a child vitest;
 * - any other language (sh, json, js, yaml, html) is skipped.
 */
export type Mode = 'run' | 'no-run' | 'vitest';

export interface Example {
  /** `docs/quickstart.md:42`: where the block starts. */
  readonly where: string;
  /** A file name for the extracted block, unique per document and line. */
  readonly name: string;
  readonly mode: Mode;
  readonly code: string;
  /** What the block's `console.log(...) // => text` lines must print, in order. */
  readonly expected: readonly string[];
}

const ENTRY_POINTS: Record<string, string> = {
  ledgerline: 'src/index.js',
  'ledgerline/mock': 'mock/index.js',
  'ledgerline/mock/browser': 'mock/browser.js',
  'ledgerline/mock/matchers': 'mock/matchers.js',
  'ledgerline/validate': 'src/validate/index.js',
};

/** The Markdown files whose examples must work: the README and every guide in docs/. */
export function documents(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .sort()
    .map((file) => join(root, 'docs', file));
  return [join(root, 'README.md'), ...docs];
}

/** Every TypeScript block of `file`, with its mode and expected output. */
export function examples(root: string, file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: Example[] = [];
  const doc = relative(root, file);
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^(\s*)```(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', lang, flags = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith('```')) end += 1;
    if (lang === 'ts' || lang === 'typescript') {
      const body = lines.slice(i + 1, end).map((line) => line.slice(indent.length));
      const mode: Mode = /\bno-run\b/.test(flags) ? 'no-run' : /\bvitest\b/.test(flags) ? 'vitest' : 'run';
      const base = doc.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
      found.push({
        where: `${doc}:${i + 1}`,
        name: `${base}-${i + 1}`,
        mode,
        code: body.join('\n'),
        expected: body.flatMap((line) => {
          const match = /console\.log\(.*\/\/ => (.*)$/.exec(line);
          return match?.[1] === undefined ? [] : [match[1].trim()];
        }),
      });
    }
    i = end;
  }
  return found;
}

/**
 * The source of an extracted example: `ledgerline` imports point at the package's sources, relative
 * to `fromDir` (the folder the file is written to), so examples run without a build.
 */
export function toModule(root: string, fromDir: string, code: string): string {
  const rewritten = code.replace(
    /(from\s+|import\s*\(\s*)(['"])(ledgerline(?:\/mock\/browser|\/mock\/matchers|\/mock|\/validate)?)\2/g,
    (_all, prefix: string, quote: string, specifier: string) => {
      const target = relative(fromDir, join(root, ENTRY_POINTS[specifier] ?? specifier));
      return `${prefix}${quote}${target.startsWith('.') ? target : `./${target}`}${quote}`;
    },
  );
  // Always a module: top-level await and isolated declarations per example.
  return `${rewritten}\nexport {};\n`;
}
