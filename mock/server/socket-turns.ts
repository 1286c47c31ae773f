import type { Socket } from 'node:net';

// Pipelined requests (several on one connection before the first answer) take turns: the next one
// runs only once the one before it was answered. A fault that drops the connection then drops only
// what it fired for, and the requests queued behind it never run (before, a `reset-after-commit` of
// `times: 1` committed all ten of a pipeline and lost all ten answers). A connection without
// pipelining never waits.

const PENDING = Symbol('ledgerline.pending');
const QUEUE = Symbol('ledgerline.queue');

interface TurnSocket extends Socket {
  [PENDING]?: number;
  [QUEUE]?: (() => void)[];
}

/** Runs `start` now when the connection has no unanswered request, else after the ones before it. */
export function takeTurn(socket: Socket, start: () => void): void {
  // A request read after its connection was dropped (a pipeline behind a fault) never runs.
  if (socket.destroyed) return;
  const turns = socket as TurnSocket;
  const pending = turns[PENDING] ?? 0;
  turns[PENDING] = pending + 1;
  if (pending === 0) {
    start();
    return;
  }
  turns[QUEUE] ??= [];
  turns[QUEUE].push(start);
}

/** The request whose turn it was is answered (or dropped): the next one on the connection starts. */
export function endTurn(socket: Socket): void {
  const turns = socket as TurnSocket;
  turns[PENDING] = (turns[PENDING] ?? 1) - 1;
  const next = turns[QUEUE]?.shift();
  if (next === undefined) return;
  if (socket.destroyed) {
    // The connection is gone: what waited behind never runs, and nothing could carry its answer.
    turns[PENDING] = 0;
    turns[QUEUE] = [];
    return;
  }
  next();
}
