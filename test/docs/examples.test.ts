import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { format, promisify } from 'node:util';
import { setupServer } from 'msw/node';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandlers } from '../../mock/index.js';
import { documents, type Example, examples, toModule } from './extract.js';

/*
 * Every TypeScript block of README.md and docs/*.md is extracted to test/docs/.examples/ (gitignored),
 * type-checked with the project's tsconfig and run, so the docs cannot rot.
 *
 * The examples are written against http://localhost:4010 (what `npm start` serves) or the documented
 * hosts. Here those origins are answered in-process by the reference server's MSW handlers
 * (`await createHandlers()`, a fresh demo seed per example), so the run needs no port and no build.
 * An example that starts MSW itself (`setupServer(`) runs without that interception.
 * `console.log(x); // => text` lines assert what the example prints.
 */

const root = resolve(import.meta.dirname, '../..');
const dir = join(root, 'test/docs/.examples');
const all: { example: Example; file: string }[] = documents(root).flatMap((doc) =>
  examples(root, doc).map((example) => ({
    example,
    file: join(dir, `${example.name}${example.mode === 'vitest' ? '.vitest.ts' : '.ts'}`),
  })),
);

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const { example, file } of all) writeFileSync(file, toModule(root, dir, example.code));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('documentation examples', () => {
  it('exist in the README and in every guide', () => {
    expect(all.length).toBeGreaterThan(10);
    const where = new Set(all.map(({ example }) => example.where.split(':')[0]));
    for (const doc of ['README.md', 'docs/quickstart.md', 'docs/reference-server.md'])
      expect(where).toContain(doc);
  });

  it('type-check against the project tsconfig', { timeout: 120_000 }, () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(root, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (d) => {
          throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        },
      },
    );
    if (!config) throw new Error('cannot read tsconfig.json');
    const files = all.map(({ file }) => file);
    const program = ts.createProgram(files, { ...config.options, noEmit: true });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || files.includes(d.file.fileName))
      .map((d) => {
        const entry = all.find(({ file }) => file === d.file?.fileName);
        const line = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line : 0;
        const [doc, start] = entry ? entry.example.where.split(':') : ['(global)', '0'];
        return `${doc}:${Number(start) + 1 + line}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });

  const server = setupServer();
  for (const { example, file } of all.filter(({ example }) => example.mode === 'run')) {
    it(`${example.where} runs against the reference server`, async () => {
      const ownsMsw = /\bsetup(Server|Worker)\(/.test(example.code);
      if (!ownsMsw) {
        server.resetHandlers(...(await createHandlers()).handlers);
        server.listen({ onUnhandledRequest: 'bypass' });
      }
      const printed: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
        printed.push(format(...args));
      });
      try {
        await import(pathToFileURL(file).href);
      } finally {
        log.mockRestore();
        if (!ownsMsw) server.close();
      }
      // Every `// => text` line, in order; other output may come in between.
      let at = 0;
      for (const want of example.expected) {
        const found = printed.indexOf(want, at);
        expect(found, `${example.where} should print ${want}; it printed:\n${printed.join('\n')}`).not.toBe(
          -1,
        );
        at = found + 1;
      }
    });
  }

  const suites = all.filter(({ example }) => example.mode === 'vitest');
  it('vitest examples pass when vitest runs them', { timeout: 120_000 }, async () => {
    // The guides show QA how to use the server from vitest: those examples must exist to be run.
    expect(suites.length).toBeGreaterThan(0);
    const config = join(dir, 'vitest.config.ts');
    writeFileSync(
      config,
      "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { include: ['*.vitest.ts'] } });\n",
    );
    const vitest = join(root, 'node_modules/vitest/vitest.mjs');
    const run = await promisify(execFile)(
      process.execPath,
      [vitest, 'run', '--config', config, '--root', dir],
      {
        cwd: root,
        env: { ...process.env, CI: '1', NO_COLOR: '1' },
      },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`the vitest examples failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    expect(run.stdout).toMatch(/Tests\s+\d+ passed/);
    expect(run.stdout).toContain(`${suites.length} passed`);
  });
});
