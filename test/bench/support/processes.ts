/**
 * Child processes for the benchmarks: every server runs in its own process group, so stopping it
 * also stops whatever it forked, and every started process is stopped when the bench process exits,
 * whatever the reason (normal end, an exception, Ctrl-C).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  /** The last lines the process wrote, for error messages. */
  output(): string;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves once the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<Child>();

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

// Last resort: a synchronous kill of whatever is still running when the bench process ends.
process.once('exit', () => {
  for (const child of live) killGroup(child.process, 'SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    for (const child of live) killGroup(child.process, 'SIGKILL');
    process.exit(130);
  });
}

/**
 * Starts `command args` in its own process group, with stdout and stderr kept (last 4 kB); `ipc`
 * opens an IPC channel (for the CPU probe, support/probe.ts).
 */
export function startProcess(
  name: string,
  command: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>> = {},
  { ipc = false } = {},
): Child {
  const proc = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4096);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (proc.exitCode !== null) resolve();
    else proc.once('exit', () => resolve());
  });
  const child: Child = {
    name,
    process: proc,
    output: () => tail,
    async stop(graceMs = 2_000) {
      killGroup(proc, 'SIGTERM');
      const timer = setTimeout(() => killGroup(proc, 'SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
      live.delete(child);
    },
  };
  live.add(child);
  proc.once('exit', () => live.delete(child));
  return child;
}

/** A loopback port that was free a moment ago (the OS picks it; the port is released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Polls `url` until it answers with a 2xx, every `intervalMs`; resolves with the time of that answer
 * (performance.now()). Rejects when `child` exits first or after `timeoutMs`.
 */
export async function waitForAnswer(
  child: Child,
  url: string,
  init: RequestInit,
  { timeoutMs = 30_000, intervalMs = 5 } = {},
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`${child.name} exited before answering:\n${child.output()}`);
    }
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return performance.now();
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      throw new Error(`${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Runs `body` with the children it starts, always stopping them afterwards (errors included). */
export async function withChildren<T>(body: (started: (child: Child) => Child) => Promise<T>): Promise<T> {
  const children: Child[] = [];
  try {
    return await body((child) => {
      children.push(child);
      return child;
    });
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
