/**
 * The one source of random bytes for operations (token secrets, client secrets). Durable stores
 * replay recorded requests (mock/store/types.ts), so what an operation drew must be drawn again on
 * replay: a store taps this source while an operation runs, recording the bytes live and handing
 * the recorded ones back on replay. Without a tap it is plain Web Crypto (Node and browsers).
 */

/** Sees (and may replace) each draw: returns the bytes the operation gets. */
export type EntropyTap = (drawn: Uint8Array) => Uint8Array;

let tap: EntropyTap | undefined;

/** `length` random bytes, through the active tap if any. */
export function randomBytes(length: number): Uint8Array {
  const drawn = crypto.getRandomValues(new Uint8Array(length));
  if (tap === undefined) return drawn;
  const given = tap(drawn);
  if (given.length !== length) throw new Error(`entropy tap gave ${given.length} bytes for ${length}`);
  return given;
}

/**
 * Installs `next` as the tap until the returned function is called (which restores the previous
 * one). Operations draw synchronously, so a tap set around an operation's synchronous part sees
 * exactly its draws.
 */
export function setEntropyTap(next: EntropyTap | undefined): () => void {
  const previous = tap;
  tap = next;
  return () => {
    tap = previous;
  };
}
