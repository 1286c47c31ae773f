/**
 * `npm test`'s pretest step: makes sure the machine has what the suite drives besides node_modules,
 * so the README's two commands are the whole set-up and nothing is skipped silently or fails minutes
 * into the run:
 * - a headless Chromium for the browser example (test/browser), Debian's `chromium` package by
 *   default (never a downloaded browser): installed when missing, as root on Debian;
 * - the PostgreSQL the replica tests use (test/store) on 127.0.0.1:5432: its cluster started when
 *   installed but not answering, as root;
 * - a Docker engine for the container test (test/container): scripts/pretest-docker.ts.
 * Anything it cannot do itself stops the run at once with the exact command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ensureDocker } from './pretest-docker.js';

/** Where the browser test looks for Chromium unless `CHROMIUM_PATH` says otherwise. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** apt-get waits this long for a lock held by another install, and gets this long to finish. */
const APT_LOCK_WAIT_SECONDS = 600;
const APT_TIMEOUT_MS = 20 * 60_000;
/** How long a started PostgreSQL cluster gets to answer. */
const POSTGRES_START_WAIT_MS = 30_000;

/** What the machine looks like, as far as finding or installing Chromium goes. */
export interface BrowserFacts {
  /** `CHROMIUM_PATH`, when set. */
  readonly chromiumPath: string | undefined;
  readonly exists: (path: string) => boolean;
  readonly isRoot: boolean;
  /** Debian or a derivative with apt-get. */
  readonly isDebian: boolean;
}

export type BrowserPlan =
  | { readonly kind: 'ready'; readonly path: string }
  | { readonly kind: 'install'; readonly commands: readonly (readonly string[])[] }
  | { readonly kind: 'missing'; readonly message: string };

const APT = ['-o', `DPkg::Lock::Timeout=${APT_LOCK_WAIT_SECONDS}`];

/** Decides what to do; pure, so every branch is tested without touching the machine. */
export function planBrowser(facts: BrowserFacts): BrowserPlan {
  const path = facts.chromiumPath ?? DEFAULT_CHROMIUM;
  if (facts.exists(path)) return { kind: 'ready', path };
  if (facts.chromiumPath !== undefined)
    return {
      kind: 'missing',
      message: `CHROMIUM_PATH is ${facts.chromiumPath}, and there is no file there. Point it at a Chromium or Chrome binary, or unset it to use Debian's chromium (${DEFAULT_CHROMIUM}).`,
    };
  if (facts.isDebian && facts.isRoot)
    return {
      kind: 'install',
      commands: [
        ['apt-get', ...APT, 'update'],
        ['apt-get', ...APT, 'install', '-y', '--no-install-recommends', 'chromium'],
      ],
    };
  const fix = facts.isDebian
    ? 'Install it with:\n  sudo apt-get install -y chromium\nthen run npm test again.'
    : 'This machine has no Debian packages: install Chromium or Google Chrome, then run\n  CHROMIUM_PATH=/path/to/chrome npm test';
  return {
    kind: 'missing',
    message: `npm test drives the browser example in headless Chromium, and there is none at ${DEFAULT_CHROMIUM}. ${fix}`,
  };
}

function isDebian(): boolean {
  return existsSync('/etc/debian_version') && spawnSync('apt-get', ['--version']).status === 0;
}

/** The PostgreSQL the replica tests use (test/store/postgres-support.ts), when the machine has it. */
export interface PostgresFacts {
  /** `LEDGERLINE_TEST_POSTGRES`, when set: the user's own server, never started here. */
  readonly customUrl: string | undefined;
  readonly answers: boolean;
  readonly isRoot: boolean;
  /** Versions under /etc/postgresql (Debian's postgresql-common clusters). */
  readonly clusterVersions: readonly string[];
}

export type PostgresPlan =
  | { readonly kind: 'ready' }
  | { readonly kind: 'start'; readonly command: readonly string[] }
  | { readonly kind: 'missing'; readonly message: string };

export function planPostgres(facts: PostgresFacts): PostgresPlan {
  if (facts.answers) return { kind: 'ready' };
  if (facts.customUrl !== undefined)
    return {
      kind: 'missing',
      message: `LEDGERLINE_TEST_POSTGRES is ${facts.customUrl}, and nothing answers there. Start that server, or unset the variable to use 127.0.0.1:5432.`,
    };
  const version = facts.clusterVersions[0];
  const start = version
    ? ['pg_ctlcluster', '--skip-systemctl-redirect', version, 'main', 'start']
    : undefined;
  if (start && facts.isRoot) return { kind: 'start', command: start };
  return {
    kind: 'missing',
    message: `npm test runs the replica tests against PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication, database test), and nothing answers there. ${
      start
        ? `Start it with:\n  sudo ${start.join(' ')}`
        : 'Install and start PostgreSQL (Debian: apt-get install -y postgresql), or point LEDGERLINE_TEST_POSTGRES at one:\n  LEDGERLINE_TEST_POSTGRES=postgres://user@host:5432/db npm test'
    }`,
  };
}

/** Whether something accepts TCP connections at `host:port` within `timeoutMs`. */
function answers(host: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function run(command: readonly string[]): string | undefined {
  process.stdout.write(`  $ ${command.join(' ')}\n`);
  const [program = '', ...args] = command;
  const result = spawnSync(program, args, { stdio: 'inherit', timeout: APT_TIMEOUT_MS });
  return result.status === 0 ? undefined : (result.error?.message ?? `exit ${result.status}`);
}

function ensureBrowser(isRoot: boolean): boolean {
  // The common case answers without spawning apt-get to learn whether this is Debian.
  if (existsSync(process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM)) return true;
  const plan = planBrowser({
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    exists: existsSync,
    isRoot,
    isDebian: isDebian(),
  });
  if (plan.kind === 'ready') return true;
  if (plan.kind === 'missing') return stop(plan.message);
  process.stdout.write(
    `npm test: no Chromium at ${DEFAULT_CHROMIUM} for the browser example; installing Debian's chromium package (once, a minute or two)...\n`,
  );
  for (const command of plan.commands) {
    const failed = run(command);
    if (failed)
      return stop(`Installing Chromium failed (${failed}). Run it yourself:\n  apt-get install -y chromium`);
  }
  if (!existsSync(DEFAULT_CHROMIUM))
    return stop(`The chromium package installed no ${DEFAULT_CHROMIUM}; set CHROMIUM_PATH to its binary.`);
  process.stdout.write(`npm test: Chromium installed at ${DEFAULT_CHROMIUM}.\n`);
  return true;
}

async function ensurePostgres(isRoot: boolean): Promise<boolean> {
  const customUrl = process.env.LEDGERLINE_TEST_POSTGRES || undefined;
  const target = customUrl ? new URL(customUrl) : new URL('postgres://127.0.0.1:5432');
  const host = target.hostname;
  const port = Number(target.port || 5432);
  const plan = planPostgres({
    customUrl,
    answers: await answers(host, port),
    isRoot,
    clusterVersions: existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql').sort() : [],
  });
  if (plan.kind === 'ready') return true;
  if (plan.kind === 'missing') return stop(plan.message);
  process.stdout.write('npm test: PostgreSQL does not answer on 127.0.0.1:5432; starting its cluster...\n');
  const failed = run(plan.command);
  if (failed)
    return stop(`Starting PostgreSQL failed (${failed}). Run it yourself:\n  ${plan.command.join(' ')}`);
  for (let waitedMs = 0; waitedMs < POSTGRES_START_WAIT_MS; waitedMs += 500) {
    if (await answers(host, port)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return stop(
    `PostgreSQL was started but does not answer on ${host}:${port} after ${POSTGRES_START_WAIT_MS / 1000} s.`,
  );
}

function stop(message: string): false {
  process.stderr.write(`\n${message}\n\n`);
  return false;
}

async function main(): Promise<number> {
  const isRoot = process.getuid?.() === 0;
  // Both checked before failing, so one run names everything that is missing.
  const browser = ensureBrowser(isRoot);
  const postgres = await ensurePostgres(isRoot);
  const docker = await ensureDocker(isRoot, isDebian);
  return browser && postgres && docker ? 0 : 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = await main();
