import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

// `npm run docs` must stay clean: typedoc.json treats every warning (an undocumented export, a
// broken link in a guide) as an error. Built into a temp folder so docs/api/ is left alone.
it('builds the API reference and the guides without a warning', { timeout: 180_000 }, async () => {
  const root = resolve(import.meta.dirname, '../..');
  const out = await mkdtemp(join(tmpdir(), 'ledgerline-typedoc-'));
  try {
    const typedoc = join(root, 'node_modules/typedoc/bin/typedoc');
    const run = await promisify(execFile)(process.execPath, [typedoc, '--out', out, '--logLevel', 'Warn'], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1' },
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`typedoc failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/\[(warning|error)\]/);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
});
