import type { GeneratorContext, ReferenceSpec, ValueFn } from './generator';
import { affinePermutation } from './prng';

/**
 * A sampler of ranks in [0, n) with P(rank r) ∝ 1/(r+1)^s, by inverting the continuous power-law CDF:
 * O(1) per row and no table of weights, so parents with millions of rows cost nothing to hold.
 */
export function zipfRank(n: number, s: number): (u: number) => number {
  if (Math.abs(s - 1) < 1e-9) {
    const logSpan = Math.log(n + 1);
    return (u) => Math.min(n - 1, Math.floor(Math.exp(u * logSpan)) - 1);
  }
  const a = 1 - s;
  const span = (n + 1) ** a - 1;
  return (u) => Math.min(n - 1, Math.floor((span * u + 1) ** (1 / a)) - 1);
}

/**
 * Compiles a foreign-key column: the parent's key is `keyStart + index`, so a child only needs the parent's
 * volume, never its rows. Zipf ranks are scattered over parent ids by a permutation, so the heavy parents are
 * not simply ids 1, 2, 3.
 */
export function compileReference(ctx: GeneratorContext, spec: ReferenceSpec): ValueFn {
  const parent = ctx.tableInfo(spec.table);
  const n = parent.volume;
  const start = parent.keyStart;
  const presence = spec.presence;
  // Grouped: the rows of each parent are laid out together, so the parent is known from the row number.
  if (spec.perParent) return (row) => start + row.parentIndex;
  if (spec.among !== undefined) return compileAmong(spec.among, spec.table, start, presence);
  if (n === 0) return () => null;
  let pickIndex: (u: number, index: number) => number;
  switch (spec.distribution.kind) {
    case 'sequential':
      pickIndex = (_u, index) => index % n;
      break;
    case 'uniform':
      pickIndex = (u) => Math.floor(u * n);
      break;
    case 'zipf': {
      const rank = zipfRank(n, spec.distribution.exponent);
      const perm = affinePermutation(n, ctx.prngFor('zipf'));
      pickIndex = (u) => perm(rank(u));
      break;
    }
  }
  if (presence >= 1) return (row) => start + pickIndex(row.rng.next(), row.index);
  return (row) => {
    // Draw both numbers every row so the stream of draws does not depend on which rows are NULL.
    const present = row.rng.next() < presence;
    const index = pickIndex(row.rng.next(), row.index);
    return present ? start + index : null;
  };
}

/**
 * A key of one of the `table` rows that belong to the row `via` references (an address of the order's
 * customer): `table` is generated grouped by that row's table, so its rows are a contiguous range.
 * NULL when the owner has none, or with probability 1 - presence.
 */
function compileAmong(via: string, table: string, keyStart: number, presence: number): ValueFn {
  return (row) => {
    const present = row.rng.next() < presence;
    const u = row.rng.next();
    const owner = row.ref(via);
    if (!present || !owner) return null;
    const rows = owner.children(table);
    return rows.count === 0 ? null : keyStart + rows.start + Math.floor(u * rows.count);
  };
}
