/**
 * The names nearest to `wanted` by edit distance (case-insensitive), for a
 * "did you mean" hint on a key that does not exist. Only names within a third
 * of the wanted name's length (at least 2 edits) count as a likely typo;
 * nearest first, then alphabetical, at most `max`.
 *
 * @public
 */
export function closestNames(
  wanted: string,
  candidates: Iterable<string>,
  max = 3,
): string[] {
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  const scored: [string, number][] = [];
  for (const name of new Set(candidates)) {
    if (name === wanted) continue;
    const distance = editDistance(wanted.toLowerCase(), name.toLowerCase());
    if (distance <= limit) scored.push([name, distance]);
  }
  return scored
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([name]) => name);
}

/** Levenshtein distance with one rolling row. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      next[j] = Math.min(row[j] + 1, next[j - 1] + 1, substitution);
    }
    row = next;
  }
  return row[b.length];
}
