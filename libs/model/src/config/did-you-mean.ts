/** Edit distance between two short strings (Levenshtein). */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest candidate to a mistyped word, if one is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(word.length / 3));
  return bestDistance <= limit ? best : undefined;
}

/**
 * A did-you-mean that stops suggesting after `budget` comparisons in total: a typo has a handful of
 * candidates, but a config with thousands of unknown names against thousands of declared ones would
 * otherwise cost their product (#11 item 14).
 */
export function boundedDidYouMean(budget: number): (word: string, candidates: readonly string[]) => string | undefined {
  let left = budget;
  return (word, candidates) => {
    if (candidates.length > left) return undefined;
    left -= candidates.length;
    return didYouMean(word, candidates);
  };
}

/** `a, b, c` or, past `max` names, `a, b, c, … (1,234 more)`: a message stays short however many there are. */
export function listNames(names: readonly string[], max = 12): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, … (${(names.length - max).toLocaleString('en-US')} more)`;
}
