// Did-you-mean for names a user mistyped: the allowed names nearest by edit distance.
// Transposed neighbours count as one edit (`patince` -> `patience`), and case, `_` and `-`
// are ignored, so `ring_period` and `ringperiod` both find `ringPeriod`.

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the swap rule looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      row[j] = best;
    }
    [before, prev, row] = [prev, row, before];
  }
  return prev[b.length]!;
}

function normalize(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

export interface SuggestOptions {
  /** At most this many, all tied for nearest. Default 2. */
  readonly limit?: number;
  /** Whether a start of a name counts as near (`expo` for `exponential`). Default false. */
  readonly prefixes?: boolean;
}

/**
 * The candidates nearest to `word` (all those tied for nearest, up to `limit`); empty when
 * none is near enough to be a plausible typo: about one edit in three characters, or, with
 * `prefixes`, a clear abbreviation.
 */
export function closestNames(word: string, candidates: Iterable<string>, options: SuggestOptions | number = {}): string[] {
  const { limit = 2, prefixes = false } = typeof options === 'number' ? { limit: options } : options;
  const w = normalize(word);
  const allowed = Math.max(1, Math.floor(word.length / 3));
  const scored: { name: string; d: number }[] = [];
  for (const name of candidates) {
    if (name === word) continue;
    const n = normalize(name);
    const d = editDistance(w, n);
    if (d <= allowed) scored.push({ name, d });
    else if (prefixes && w.length >= 3 && n.startsWith(w)) scored.push({ name, d: allowed + 1 });
  }
  const best = Math.min(...scored.map((s) => s.d));
  return scored
    .filter((s) => s.d === best)
    .sort((x, y) => x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** `did you mean \`patience\`?`, or undefined when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>, options: SuggestOptions = {}): string | undefined {
  const near = closestNames(word, candidates, options);
  if (near.length === 0) return undefined;
  return `did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?`;
}
