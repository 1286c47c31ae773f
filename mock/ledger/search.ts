/**
 * The first position in `[lo, hi)` at which `isBelow(position)` is false, for a range sorted so that
 * it is true up to some position and false from there on (binary search, O(log n)). The journal's
 * index columns and the billing family's time-ordered lists both search with it.
 */
export function lowerBound(lo: number, hi: number, isBelow: (position: number) => boolean): number {
  let low = lo;
  let high = hi;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (isBelow(mid)) low = mid + 1;
    else high = mid;
  }
  return low;
}
