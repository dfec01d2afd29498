// OpenSSH's pattern lists (ssh_config(5) PATTERNS), as allowed-signers principals and namespaces use
// them: comma-separated glob patterns with `*` and `?`; a matching `!pattern` refuses outright.

/** 1 when `value` matches a positive pattern of the list and no negated one, -1 when a negated one matches, else 0. */
export function matchPatternList(value: string, list: string): 1 | 0 | -1 {
  let positive = false;
  for (const entry of list.split(',')) {
    const negated = entry.startsWith('!');
    const pattern = negated ? entry.slice(1) : entry;
    if (!matchPattern(value, pattern)) continue;
    if (negated) return -1;
    positive = true;
  }
  return positive ? 1 : 0;
}

/** Glob match of the whole string: `*` any run (also empty), `?` one character. */
export function matchPattern(value: string, pattern: string): boolean {
  // Iterative with one backtrack point (the last `*`): linear in practice, no recursion to blow up.
  let v = 0;
  let p = 0;
  let starP = -1;
  let starV = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starV = v;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      v++;
      p++;
    } else if (starP >= 0) {
      p = starP + 1;
      v = ++starV;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
