/**
 * Memory and CPU of another process, read from Linux's /proc: what a benchmark measures of a server
 * it started as a child, so the figures are the server's alone (not the client's in the bench).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's times (`getconf CLK_TCK`; 100 on every Linux target). */
const TICKS_PER_SECOND = 100;

export interface ProcStats {
  /** Resident memory now. */
  readonly rssBytes: number;
  /** The most resident memory the process ever had (VmHWM). */
  readonly peakRssBytes: number;
  /** User and system CPU time the process used so far. */
  readonly cpuSeconds: number;
}

export function procStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
    if (match?.[1] === undefined) throw new Error(`/proc/${pid}/status has no ${field}`);
    return Number(match[1]) * 1024;
  };
  // The command name in parentheses may hold spaces; the fields after it are space-separated.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssBytes: kib('VmRSS'), peakRssBytes: kib('VmHWM'), cpuSeconds: ticks / TICKS_PER_SECOND };
}

export const MB = 1_000_000;

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until `pid` uses under 5% of one core over `windowMs`, or `timeoutMs` passed; answers the
 * milliseconds that took and whether it went idle (false: still busy at the timeout).
 */
export async function untilIdle(
  pid: number,
  { windowMs = 250, timeoutMs = 30_000 } = {},
): Promise<{ ms: number; idle: boolean }> {
  const start = performance.now();
  let before = procStats(pid).cpuSeconds;
  for (;;) {
    await sleep(windowMs);
    const now = procStats(pid).cpuSeconds;
    const busy = (now - before) / (windowMs / 1000);
    before = now;
    // A tick is 10 ms, so one tick in a 250 ms window already reads 4%.
    if (busy < 0.05) return { ms: Math.max(0, performance.now() - start - windowMs), idle: true };
    if (performance.now() - start > timeoutMs) return { ms: performance.now() - start, idle: false };
  }
}
