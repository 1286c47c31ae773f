/**
 * `npm test`'s Docker step (scripts/pretest.ts): the container test (test/container) builds the
 * image from the Dockerfile and runs it, so it needs a Docker engine and a client that builds with
 * BuildKit (the Dockerfile passes the registry's CA as a build secret). On Debian as root it installs
 * Debian's `docker.io` (and `docker-compose`, which checks the documented compose file) and starts
 * the daemon the way this kind of machine allows: no bridge network, no iptables; containers run
 * with `--network host`. Anything it cannot do itself stops the run with the exact command.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';

/** The daemon's command line: machines here have no bridge networking and no iptables. */
export const DOCKERD = ['dockerd', '--bridge=none', '--iptables=false'] as const;
const DOCKERD_LOG = '/var/log/ledgerline-dockerd.log';
const DOCKER_START_WAIT_MS = 30_000;
const APT = ['-o', 'DPkg::Lock::Timeout=600'];
const APT_TIMEOUT_MS = 20 * 60_000;

export interface DockerFacts {
  /** `docker info` answers: a daemon runs and this user may use it. */
  readonly answers: boolean;
  readonly hasDaemon: boolean;
  readonly isRoot: boolean;
  readonly isDebian: boolean;
}

export type DockerPlan =
  | { readonly kind: 'ready' }
  | { readonly kind: 'install-and-start'; readonly install: readonly (readonly string[])[] }
  | { readonly kind: 'start' }
  | { readonly kind: 'missing'; readonly message: string };

/** Decides what to do; pure, so every branch is tested without touching the machine. */
export function planDocker(facts: DockerFacts): DockerPlan {
  if (facts.answers) return { kind: 'ready' };
  if (facts.hasDaemon && facts.isRoot) return { kind: 'start' };
  if (!facts.hasDaemon && facts.isDebian && facts.isRoot)
    return {
      kind: 'install-and-start',
      install: [
        ['apt-get', ...APT, 'update'],
        ['apt-get', ...APT, 'install', '-y', '--no-install-recommends', 'docker.io', 'docker-compose'],
      ],
    };
  const how = facts.hasDaemon
    ? `Start the daemon with:\n  sudo ${DOCKERD.join(' ')} &`
    : facts.isDebian
      ? `Install and start it with:\n  sudo apt-get install -y docker.io docker-compose && sudo ${DOCKERD.join(' ')} &`
      : 'Install Docker (with BuildKit) and start its daemon.';
  return {
    kind: 'missing',
    message: `npm test builds the reference server's container image (test/container), and no Docker engine answers. ${how}\nthen run npm test again.`,
  };
}

function dockerAnswers(): boolean {
  return spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function run(command: readonly string[]): string | undefined {
  process.stdout.write(`  $ ${command.join(' ')}\n`);
  const [program = '', ...args] = command;
  const result = spawnSync(program, args, { stdio: 'inherit', timeout: APT_TIMEOUT_MS });
  return result.status === 0 ? undefined : (result.error?.message ?? `exit ${result.status}`);
}

async function startDaemon(): Promise<string | undefined> {
  process.stdout.write(`  $ ${DOCKERD.join(' ')} (log: ${DOCKERD_LOG})\n`);
  const log = openSync(DOCKERD_LOG, 'a');
  const [program = '', ...args] = DOCKERD;
  spawn(program, args, { detached: true, stdio: ['ignore', log, log] }).unref();
  for (let waitedMs = 0; waitedMs < DOCKER_START_WAIT_MS; waitedMs += 500) {
    if (dockerAnswers()) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return `the daemon does not answer after ${DOCKER_START_WAIT_MS / 1000} s (see ${DOCKERD_LOG})`;
}

/** Makes sure a Docker engine answers; false (after printing what to do) when it cannot. */
export async function ensureDocker(isRoot: boolean, isDebian: () => boolean): Promise<boolean> {
  if (dockerAnswers()) return true;
  const plan = planDocker({
    answers: false,
    hasDaemon: existsSync('/usr/sbin/dockerd') || existsSync('/usr/bin/dockerd'),
    isRoot,
    isDebian: isDebian(),
  });
  if (plan.kind === 'ready') return true;
  if (plan.kind === 'missing') return stop(plan.message);
  if (plan.kind === 'install-and-start') {
    process.stdout.write(
      "npm test: no Docker engine for the container test; installing Debian's docker.io...\n",
    );
    for (const command of plan.install) {
      const failed = run(command);
      if (failed)
        return stop(`Installing Docker failed (${failed}). Run it yourself:\n  apt-get install -y docker.io`);
    }
  }
  process.stdout.write('npm test: starting the Docker daemon for the container test...\n');
  const failed = await startDaemon();
  return failed
    ? stop(`Starting Docker failed: ${failed}. Run it yourself:\n  ${DOCKERD.join(' ')} &`)
    : true;
}

function stop(message: string): false {
  process.stderr.write(`\n${message}\n\n`);
  return false;
}
