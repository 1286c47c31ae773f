import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildBaseImage } from './base-image.js';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');
/** The registry's CA bundle (machines here reach npm through a TLS proxy); a build secret, never a layer. */
const CA_BUNDLE = process.env.NODE_EXTRA_CA_CERTS ?? '/etc/ssl/certs/ca-certificates.crt';

/**
 * A Docker client that builds with BuildKit (the Dockerfile's secret mount needs it): the `docker`
 * on PATH when it has buildx, else Debian's docker.io client, which has BuildKit built in.
 */
export const DOCKER = ((): string => {
  if (spawnSync('docker', ['buildx', 'version'], { stdio: 'ignore' }).status === 0) return 'docker';
  if (existsSync('/usr/bin/docker')) return '/usr/bin/docker';
  throw new Error(
    "The container test needs a Docker client that builds with BuildKit: install docker-buildx, or Debian's docker.io (npm test's pretest step does that as root).",
  );
})();

export function docker(args: readonly string[], timeoutMs = 60_000): Promise<string> {
  return run(DOCKER, args, {
    timeout: timeoutMs,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOCKER_BUILDKIT: '1' },
  }).then((result) => result.stdout.trim());
}

/** Builds the image from the repository's Dockerfile on a base image made from this machine's Node. */
export async function buildImage(tag = 'ledgerline-mock:test'): Promise<string> {
  const base = buildBaseImage(DOCKER);
  const secret = existsSync(CA_BUNDLE) ? ['--secret', `id=npm_ca,src=${CA_BUNDLE}`] : [];
  await docker(
    [
      'build',
      '--quiet',
      '--network',
      'host',
      ...secret,
      '--build-arg',
      `NODE_IMAGE=${base}`,
      '-t',
      tag,
      ROOT,
    ],
    15 * 60_000,
  );
  return tag;
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? done(address.port) : fail(new Error('no port')),
      );
    });
  });
}

export interface Container {
  readonly name: string;
  readonly url: string;
  logs(): Promise<string>;
  /** `docker stop` (SIGTERM, then SIGKILL after the grace period); resolves with the exit code. */
  stop(): Promise<number>;
  remove(): Promise<void>;
}

export interface RunOptions {
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** `volume:/data` mounts. */
  readonly volume?: string;
  readonly dockerArgs?: readonly string[];
}

/** Runs the image on the host network, bound to 127.0.0.1 on a free port, and waits for an answer. */
export async function startContainer(image: string, options: RunOptions = {}): Promise<Container> {
  const port = await freePort();
  const name = `ledgerline-test-${randomBytes(4).toString('hex')}`;
  const env = { LEDGERLINE_MOCK_HOST: '127.0.0.1', LEDGERLINE_MOCK_PORT: String(port), ...options.env };
  await docker([
    'run',
    '--detach',
    '--name',
    name,
    '--network',
    'host',
    ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]),
    ...(options.volume ? ['--volume', `${options.volume}:/data`] : []),
    ...(options.dockerArgs ?? []),
    image,
    ...(options.args ?? []),
  ]);
  const url = `http://127.0.0.1:${port}`;
  const container: Container = {
    name,
    url,
    logs: () => docker(['logs', name]).catch((error: unknown) => String(error)),
    stop: async () => {
      await docker(['stop', '--time', '20', name], 40_000);
      return Number(await docker(['inspect', '--format', '{{.State.ExitCode}}', name]));
    },
    remove: () => docker(['rm', '--force', name]).then(() => undefined),
  };
  try {
    await waitForAnswer(container);
  } catch (error) {
    // A container that never answered is the caller's to see in the error, not to clean up.
    await container.remove().catch(() => undefined);
    throw error;
  }
  return container;
}

async function waitForAnswer(container: Container): Promise<void> {
  for (let waitedMs = 0; waitedMs < 30_000; waitedMs += 100) {
    const answered = await fetch(`${container.url}/_mock/clock`).then(
      (response) => response.status,
      () => 0,
    );
    // Any answer will do: without the admin token /_mock/clock is a 401, and it is still up.
    if (answered > 0 && answered < 500) return;
    const state = await docker(['inspect', '--format', '{{.State.Status}}', container.name]);
    if (state !== 'running') throw new Error(`${container.name} is ${state}:\n${await container.logs()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${container.name} did not answer in 30 s:\n${await container.logs()}`);
}

/** The docker-compose (v1) or `docker compose` (v2 plugin) command on this machine, if any. */
export function composeCommand(): readonly string[] | undefined {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0)
    return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) return ['docker-compose'];
  return undefined;
}

export function imageSizeBytes(image: string): number {
  return Number(
    execFileSync(DOCKER, ['image', 'inspect', '--format', '{{.Size}}', image], { encoding: 'utf8' }),
  );
}
