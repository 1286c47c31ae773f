import type { Socket } from 'node:net';

// Pipelined requests (several on one connection before the first answer) take turns: the next one
// runs only once the one before it was answered. A fault that drops the connection then drops only
// what it fired for, and the requests queued behind it never run (before, a `reset-after-commit` of
// `times: 1` committed all ten of a pipeline and lost all ten answers). A connection without
// pipelining never waits.
//
// Backpressure: a client that pipelines without reading its answers would have the server read
// every request it sends and keep every answer (one connection took about 1 GB). The server stops
// reading a connection that holds MAX_UNANSWERED requests read and not answered, or whose answers
// not yet handed to the operating system exceed MAX_UNSENT_BYTES (then the next turn waits too),
// and reads again once both are down to half. A closed connection's queued turns are dropped.

/** Most requests one connection may have read and not yet answered before the server stops reading it. */
export const MAX_UNANSWERED = 128;
/** Most bytes of answers one connection may have waiting to be sent before the server stops reading it. */
export const MAX_UNSENT_BYTES = 1024 * 1024;

const TURNS = Symbol('ledgerline.turns');

/** What the server holds for one connection. */
interface Turns {
  /** Requests whose turn was taken (their body read) and not answered. */
  pending: number;
  /** Turns waiting behind the one running. */
  queue: (() => void)[];
  /** Requests read and not answered (what backpressure counts). */
  unanswered: number;
  /** Bytes of answers written and not yet handed to the operating system. */
  unsent: number;
  /** Reading was stopped here (node's own backpressure shares the `_paused` mark). */
  paused: boolean;
  /** The next turn waits for the unsent answers to drain. */
  held: boolean;
}

interface TurnSocket extends Socket {
  [TURNS]?: Turns;
  /**
   * Node's HTTP server's own mark of a connection it stopped reading: its requests' bodies do not
   * start reading again while it is set, and it pauses the connection's parser after the chunk
   * at hand. Set and cleared the way node does for its own backpressure.
   */
  _paused?: boolean;
  parser?: { resume(): void } | null;
}

function turnsOf(socket: Socket): Turns {
  const holder: TurnSocket = socket;
  let turns = holder[TURNS];
  if (turns === undefined) {
    const made: Turns = { pending: 0, queue: [], unanswered: 0, unsent: 0, paused: false, held: false };
    turns = made;
    holder[TURNS] = made;
    // Node reads a connection again whenever its writes drain; while this one holds too much it
    // must not (its 'resume' runs before any read: reads happen in a later phase of the loop).
    socket.on('resume', () => {
      if (made.paused) stopReading(socket);
    });
    // The work queued for a closed connection is dropped at once: nothing could carry its answers.
    socket.once('close', () => {
      made.queue = [];
      made.pending = 0;
      made.held = false;
    });
  }
  return turns;
}

/** A request was read from `socket`: stops reading the connection when it holds too much already. */
export function arrive(socket: Socket): void {
  const turns = turnsOf(socket);
  turns.unanswered += 1;
  if (turns.unanswered >= MAX_UNANSWERED || turns.unsent > MAX_UNSENT_BYTES) {
    turns.paused = true;
    stopReading(socket);
  }
}

function stopReading(socket: Socket): void {
  const held: TurnSocket = socket;
  if (held._paused === true && socket.isPaused()) return;
  held._paused = true;
  socket.pause();
}

/** Runs `start` now when the connection has no unanswered request, else after the ones before it. */
export function takeTurn(socket: Socket, start: () => void): void {
  // A request read after its connection was dropped (a pipeline behind a fault) never runs.
  if (socket.destroyed) return;
  const turns = turnsOf(socket);
  const pending = turns.pending;
  turns.pending = pending + 1;
  if (pending === 0) {
    start();
    return;
  }
  turns.queue.push(start);
}

/**
 * `bytes` of an answer were handed to the connection; the callback returned is the answer's
 * `end` callback (called once they reached the operating system).
 */
export function sending(socket: Socket, bytes: number): () => void {
  const turns = turnsOf(socket);
  turns.unsent += bytes;
  return () => {
    turns.unsent -= bytes;
    if (turns.held && turns.unsent <= MAX_UNSENT_BYTES / 2) {
      turns.held = false;
      next(socket, turns);
    }
    relieve(socket, turns);
  };
}

/** The request whose turn it was is answered (or dropped): the next one on the connection starts. */
export function endTurn(socket: Socket): void {
  const turns = turnsOf(socket);
  turns.pending = Math.max(0, turns.pending - 1);
  turns.unanswered = Math.max(0, turns.unanswered - 1);
  if (turns.unsent > MAX_UNSENT_BYTES) turns.held = true;
  else next(socket, turns);
  relieve(socket, turns);
}

/** Starts the next queued turn, or drops every one if the connection is gone. */
function next(socket: Socket, turns: Turns): void {
  const start = turns.queue.shift();
  if (start === undefined) return;
  if (socket.destroyed) {
    // The connection is gone: what waited behind never runs, and nothing could carry its answer.
    turns.pending = 0;
    turns.queue = [];
    return;
  }
  start();
}

/** Reads the connection again once what it holds is down to half of both bounds. */
function relieve(socket: Socket, turns: Turns): void {
  const held: TurnSocket = socket;
  if (!turns.paused || socket.destroyed) return;
  if (turns.unanswered > MAX_UNANSWERED / 2 || turns.unsent > MAX_UNSENT_BYTES / 2) return;
  turns.paused = false;
  held._paused = false;
  held.parser?.resume();
  socket.resume();
}

/** Requests read and not answered, and bytes of answers not yet sent, of one connection. */
export function backlogOf(socket: Socket): { readonly requests: number; readonly bytes: number } {
  const turns = turnsOf(socket);
  return { requests: turns.unanswered, bytes: turns.unsent };
}
