// Captured when the module loads: fake timers that a test installs later (vi.useFakeTimers) must not
// hold the server's answers back.
const runAfterIo = globalThis.setImmediate;

/**
 * Answers that are ready, written together once the event loop has handled every request it read in
 * this turn: `setImmediate` callbacks run right after the I/O phase, the way Redis writes its replies
 * just before it polls again. Under load, the client is then woken once per turn rather than once per
 * answer, and the pipeline's work is not interleaved with socket writes: in A/B runs under load the
 * server spent about a fifth less CPU per request, most of it kernel time spent waking the client
 * (bench: server). An idle server still answers in the turn that read the request, and answers are
 * written in the order they were produced.
 */
export class WriteQueue {
  #writes: (() => void)[] = [];
  #spare: (() => void)[] = [];
  #scheduled = false;

  /** Runs `write` after the current I/O phase, after the writes added before it. */
  add(write: () => void): void {
    this.#writes.push(write);
    if (!this.#scheduled) {
      this.#scheduled = true;
      runAfterIo(this.#flush);
    }
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    // Swap the lists: a write that adds another (it should not) lands in the next turn's list.
    const writes = this.#writes;
    this.#writes = this.#spare;
    this.#spare = writes;
    for (const write of writes) {
      try {
        write();
      } catch (error) {
        // Writes handle their own errors; this keeps one bug from holding back the others.
        console.error('ledgerline-mock: writing an answer failed:', error);
      }
    }
    writes.length = 0;
  };
}
