/**
 * Whether `given` equals the secret `expected`, in time that depends on `expected`'s length only:
 * every character is compared, so how long a refusal takes says nothing about how much of a guess
 * was right. Plain JavaScript (no `node:crypto`'s `timingSafeEqual`), so the browser entry can use it.
 */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  let difference = given.length ^ expected.length;
  // Past the end of a shorter `given`, charCodeAt is NaN, which `^` reads as 0: still a difference
  // (the lengths already differ), and still one step per character of `expected`.
  for (let i = 0; i < expected.length; i++) difference |= given.charCodeAt(i) ^ expected.charCodeAt(i);
  return difference === 0;
}
