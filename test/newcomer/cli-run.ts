import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

const CLI = ['--import', 'tsx', 'mock/cli.ts'];
const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A running CLI with everything it printed so far (stdout and stderr apart). */
export interface Cli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>;
}

/** Starts `ledgerline-mock` from the source with `args`; killed after the test. */
export function runCli(args: readonly string[]): Cli {
  const child = spawn(process.execPath, [...CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until `check` holds (every 50 ms, at most `limitMs`). */
export async function until(check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the CLI and waits for its banner's URL. */
export async function startCli(args: readonly string[]): Promise<Cli & { url: string }> {
  const cli = runCli(args);
  let url = '';
  await Promise.race([
    until(() => {
      url = /listening on (http:\/\/\S+)/.exec(cli.stdout())?.[1] ?? '';
      return url !== '';
    }),
    cli.exited.then((code) => {
      throw new Error(`exited with ${code}: ${cli.stdout()}${cli.stderr()}`);
    }),
  ]);
  return { ...cli, url };
}

/** A port nothing listens on (taken from the OS, then freed). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || address === null) throw new Error('no port');
  return address.port;
}

/** Writes `content` to a file in a temporary folder removed after the test. */
export async function tempFile(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ledgerline-newcomer-'));
  dirs.push(dir);
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}
