import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
let out = '';

async function sh(file: string, args: string[]): Promise<string> {
  const done = await run(process.execPath, [file, ...args], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1' },
    maxBuffer: 1 << 26,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`${file} failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  return `${done.stdout}${done.stderr}`;
}

/** Every file under `dir` whose name ends with `suffix`, with its text. */
async function texts(dir: string, suffix: string): Promise<[string, string][]> {
  const names = (await readdir(dir, { recursive: true })).filter((name) => name.endsWith(suffix));
  return Promise.all(
    names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')] as [string, string]),
  );
}

// A reader has the package and its docs, nothing else: no file beside the project, no tracker.
const outside = /DESIGN\.md|API-NOTE[S]|STYLE\.md|\bissues? [0-9]+\b/;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'ledgerline-typedoc-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

describe('the API reference', () => {
  // `npm run docs` must stay clean: typedoc.config.js treats every warning (an undocumented export, a
  // broken link in a guide) as an error. Built into a temp folder so docs/api/ is left alone.
  it('builds the API reference and the guides without a warning', { timeout: 180_000 }, async () => {
    const log = await sh(join(root, 'node_modules/typedoc/bin/typedoc'), [
      '--out',
      join(out, 'site'),
      '--logLevel',
      'Warn',
    ]);
    expect(log).not.toMatch(/\[(warning|error)\]/);
  });

  it('links no *.md name to the web and cites nothing outside the package', {
    timeout: 180_000,
  }, async () => {
    const pages = await texts(join(out, 'site'), '.html');
    expect(pages.length).toBeGreaterThan(20);
    for (const [name, html] of pages) {
      // `decisions.md` read as a web address (.md is a country domain) becomes http://decisions.md.
      const external = [...html.matchAll(/href="([a-z]+:\/\/[^"]*)"/g)]
        .map((m) => m[1] ?? '')
        .filter((href) => /^[a-z]+:\/\/[^/]*\.md\b/i.test(href) || /\.md(#|$)/.test(href));
      expect(external, name).toEqual([]);
      expect(outside.exec(html)?.[0], name).toBeUndefined();
    }
  });

  it('ships declarations that cite nothing outside the package', { timeout: 180_000 }, async () => {
    await sh(join(root, 'node_modules/tsup/dist/cli-default.js'), [
      '--out-dir',
      join(out, 'dist'),
      '--dts-only',
      '--silent',
    ]);
    const declarations = await texts(join(out, 'dist'), '.d.ts');
    expect(declarations.map(([name]) => name)).toContain('index.d.ts');
    for (const [name, text] of declarations) expect(outside.exec(text)?.[0], name).toBeUndefined();
  });
});
