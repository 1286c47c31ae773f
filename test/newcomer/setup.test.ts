import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { DEFAULT_CHROMIUM, planBrowser, planPostgres } from '../../scripts/pretest.js';

/*
 * The README's set-up block ("Set up a fresh clone") is the whole set-up. A full `git clone && npm ci
 * && npm test` inside the suite would install ~400 packages and run the suite twice on a 2-core
 * machine, so this checks the same thing in parts: the block says exactly the two commands; every
 * thing `npm test` needs besides node_modules (Chromium, PostgreSQL) is made ready or named by its
 * pretest step; and a fresh clone of the committed tree, with the pinned node_modules, starts the
 * server with `npm start` and runs that pretest step with no build, no generate and no other file.
 */

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const readme = await readFile(join(root, 'README.md'), 'utf8');

describe("the README's set-up block", () => {
  const section = /## Set up a fresh clone\n\n```sh\n([\s\S]*?)```\n\n(.*)\n/.exec(readme);

  it('is the two commands, and says in one line what a machine without Debian packages needs', () => {
    const commands = (section?.[1] ?? '')
      .trim()
      .split('\n')
      .map((line) => line.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['npm install && npm start', 'npm test']);
    expect(section?.[2]).toMatch(
      /^Without Debian packages .*CHROMIUM_PATH=.*LEDGERLINE_TEST_POSTGRES=.*npm test`\.$/,
    );
  });

  it('npm test starts with the pretest step, and the suites read the paths and variables it checks', async () => {
    expect(pkg.scripts.pretest).toBe('tsx scripts/pretest.ts');
    // Every browser suite launches through test/browser/chromium.ts, which reads CHROMIUM_PATH.
    const launcher = await readFile(join(root, 'test/browser/chromium.ts'), 'utf8');
    expect(launcher).toContain(`process.env.CHROMIUM_PATH ?? '${DEFAULT_CHROMIUM}'`);
    // The browser suites fail (never skip) without Chromium.
    expect(launcher).toMatch(/if \(!existsSync\(CHROMIUM\)\)\s+throw new Error/);
    for (const file of ['browser-example.test.ts', 'inspector.test.ts']) {
      const suite = await readFile(join(root, 'test/browser', file), 'utf8');
      expect(suite).toContain('launchChromium()');
      expect(suite).not.toMatch(/\.skip|skipIf|runIf/);
    }
    const postgres = await readFile(join(root, 'test/store/postgres-support.ts'), 'utf8');
    expect(postgres).toContain(
      "process.env.LEDGERLINE_TEST_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test'",
    );
  });
});

describe('the pretest step: Chromium', () => {
  const facts = { chromiumPath: undefined, exists: () => false, isRoot: true, isDebian: true };

  it('is ready when Chromium is where the browser test looks', () => {
    expect(planBrowser({ ...facts, exists: (p) => p === DEFAULT_CHROMIUM })).toEqual({
      kind: 'ready',
      path: DEFAULT_CHROMIUM,
    });
    expect(
      planBrowser({ ...facts, chromiumPath: '/opt/chrome', exists: (p) => p === '/opt/chrome' }),
    ).toMatchObject({
      kind: 'ready',
    });
  });

  it('installs Debian chromium as root on Debian, waiting for an apt lock held by another install', () => {
    expect(planBrowser(facts)).toEqual({
      kind: 'install',
      commands: [
        ['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'update'],
        ['apt-get', '-o', 'DPkg::Lock::Timeout=600', 'install', '-y', '--no-install-recommends', 'chromium'],
      ],
    });
  });

  it('otherwise stops with the exact command to run', () => {
    const user = planBrowser({ ...facts, isRoot: false });
    expect(user).toMatchObject({ kind: 'missing' });
    expect(user.kind === 'missing' && user.message).toContain('\n  sudo apt-get install -y chromium\n');
    const other = planBrowser({ ...facts, isDebian: false });
    expect(other.kind === 'missing' && other.message).toContain('CHROMIUM_PATH=/path/to/chrome npm test');
    // A path the user chose is never replaced by an install.
    const chosen = planBrowser({ ...facts, chromiumPath: '/opt/none' });
    expect(chosen.kind === 'missing' && chosen.message).toContain('CHROMIUM_PATH is /opt/none');
  });

  it('run for real with a CHROMIUM_PATH that does not exist: stops at once, installs nothing', async () => {
    const started = Date.now();
    const failure = await run('npx', ['tsx', 'scripts/pretest.ts'], {
      cwd: root,
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
      timeout: 60_000,
    }).catch((error: { code: number; stderr: string; stdout: string }) => error);
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect((failure as { stderr: string }).stderr).toContain('CHROMIUM_PATH is /nonexistent/chromium');
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

describe('the pretest step: PostgreSQL', () => {
  const facts = { customUrl: undefined, answers: false, isRoot: true, clusterVersions: ['15'] };

  it('starts the installed cluster as root, as .ci/run does', () => {
    expect(planPostgres({ ...facts, answers: true })).toEqual({ kind: 'ready' });
    expect(planPostgres(facts)).toEqual({
      kind: 'start',
      command: ['pg_ctlcluster', '--skip-systemctl-redirect', '15', 'main', 'start'],
    });
  });

  it('otherwise stops with the exact command, and never starts a server the user named', () => {
    const user = planPostgres({ ...facts, isRoot: false });
    expect(user.kind === 'missing' && user.message).toContain(
      '\n  sudo pg_ctlcluster --skip-systemctl-redirect 15 main start',
    );
    const none = planPostgres({ ...facts, clusterVersions: [] });
    expect(none.kind === 'missing' && none.message).toContain('LEDGERLINE_TEST_POSTGRES=postgres://');
    const custom = planPostgres({ ...facts, customUrl: 'postgres://db:5433/x' });
    expect(custom.kind === 'missing' && custom.message).toContain(
      'LEDGERLINE_TEST_POSTGRES is postgres://db:5433/x',
    );
  });
});

describe('a fresh clone of the committed tree', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('starts the server with npm start and passes the pretest step, with nothing built or generated', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ledgerline-clone-'));
    const clone = join(dir, 'ledgerline');
    await run('git', ['clone', '--quiet', '--no-hardlinks', root, clone], { timeout: 60_000 });
    // `npm ci` installs exactly package-lock.json; the suite's node_modules was installed from the same file.
    expect(await readFile(join(clone, 'package-lock.json'), 'utf8')).toBe(
      await readFile(join(root, 'package-lock.json'), 'utf8'),
    );
    await symlink(await realNodeModules(), join(clone, 'node_modules'));
    await run('npm', ['run', 'pretest', '--silent'], { cwd: clone, timeout: 120_000 });

    const script = join(dir, 'start.sh');
    // npm start -- --port 0 until the banner is printed, then stopped: bounded by `timeout`.
    await writeFile(
      script,
      // Its own process group (setsid), stopped whole: npm, tsx and the server.
      'setsid npm start --silent -- --port 0 > out.txt 2>&1 & pid=$!\nfor i in $(seq 1 300); do grep -q "^Inspect:" out.txt && break; sleep 0.1; done\nkill -TERM -- -$pid; wait $pid; cat out.txt\n',
    );
    const { stdout } = await run('timeout', ['90', 'bash', script], { cwd: clone, timeout: 100_000 });
    expect(stdout).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(stdout).toContain('Credentials (mock/seeds/demo.json):');
  });
});

async function realNodeModules(): Promise<string> {
  const { stdout } = await run('readlink', ['-f', join(root, 'node_modules')]);
  return stdout.trim();
}
