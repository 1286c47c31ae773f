import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const PRISM_BIN = fileURLToPath(
  new URL('../../node_modules/@stoplight/prism-cli/dist/index.js', import.meta.url),
);
const SPEC = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));

/** A free loopback port (Prism needs a number up front; it cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A running Prism child process. */
export interface Prism {
  readonly url: string;
  /** Everything Prism printed so far (its log names each violation). */
  output(): string;
  /** Kills the child and waits for it to exit; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `prism mock openapi.yaml` or `prism proxy openapi.yaml <upstream>` on a free loopback port
 * and resolves once it listens. Prism's own bin is run with this Node (what `npx prism` runs), so
 * killing the child kills Prism and no npm wrapper is left behind.
 */
export async function startPrism(mode: 'mock' | 'proxy', upstream?: string): Promise<Prism> {
  const port = await freePort();
  const args = [
    PRISM_BIN,
    mode,
    SPEC,
    ...(upstream ? [upstream] : []),
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
  ];
  if (mode === 'proxy') args.push('--errors=false');
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        log += chunk.toString();
        if (/Prism is listening on/.test(log)) resolve();
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`prism ${mode} exited with ${code}:\n${log}`)));
      child.once('error', reject);
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, output: () => log, stop };
}
