// The "did you mean" of every refusal that names a known key: seeds, CLI variables, matchers. A
// module of its own, so the matchers' entry point loads no schema.

/** Edit distance (insert, delete, substitute one character), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[y.length] ?? 0;
}

/**
 * The known key nearest to `key`, when it is near enough to be a typo: within a third of the key's
 * length in edits (at least 2), ties going to the first listed.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * {@link closestKey}, or else the one known key that starts with `key` or that `key` starts with
 * (`advance` for `advanceSeconds`), or else the one known key that holds `key`'s letters in order
 * (`opId` for `operationId`): what a caller most likely meant.
 */
export function closestName(key: string, known: readonly string[]): string | undefined {
  const near = closestKey(key, known);
  if (near !== undefined || key.length < 3) return near;
  const lower = key.toLowerCase();
  const only = (test: (candidate: string) => boolean) => {
    const found = known.filter((name) => test(name.toLowerCase()));
    return found.length === 1 ? found[0] : undefined;
  };
  return (
    only((candidate) => candidate.startsWith(lower) || lower.startsWith(candidate)) ??
    only((candidate) => isSubsequence(lower, candidate))
  );
}

function isSubsequence(short: string, long: string): boolean {
  let at = 0;
  for (const char of long) if (char === short[at]) at += 1;
  return at === short.length;
}

/** `a, b` as `"a", "b"`. */
export const quoted = (keys: readonly string[]): string => keys.map((k) => `"${k}"`).join(', ');
