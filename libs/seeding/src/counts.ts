/**
 * How many children each parent row has (orders per customer, items per order): P(min), …, P(max). A
 * child table that declares one is generated grouped by that parent, and its volume is the sum of the
 * counts drawn (see child-layout.ts).
 */
export interface CountDistribution {
  readonly kind: 'counts';
  /** Shown in errors and docs: `weighted(1..5)`. */
  readonly description: string;
  readonly min: number;
  readonly max: number;
  /** P(min + k) for k = 0 … max - min; they sum to 1. */
  readonly probabilities: readonly number[];
}

function fromWeights(description: string, min: number, weights: readonly number[]): CountDistribution {
  const total = weights.reduce((a, b) => a + b, 0);
  return {
    kind: 'counts',
    description,
    min,
    max: min + weights.length - 1,
    probabilities: weights.map((w) => (total > 0 ? w / total : 0)),
  };
}

/** Count distribution constructors for `gen.ref(parent, { perParent })`. */
export const counts = {
  /** Every parent has exactly `n` children. */
  exactly: (n: number): CountDistribution => fromWeights(`exactly(${n})`, n, [1]),
  /** Each count in [min, max] equally likely. */
  uniform: (min: number, max: number): CountDistribution =>
    fromWeights(
      `uniform(${min}, ${max})`,
      min,
      Array.from({ length: Math.max(0, max - min + 1) }, () => 1),
    ),
  /** P(min + k) ∝ weights[k]: `weighted([35, 30, 20, 10, 5], { min: 1 })` gives 1 to 5 items, 1 most often. */
  weighted: (weights: readonly number[], options: { min?: number } = {}): CountDistribution =>
    fromWeights(`weighted(${options.min ?? 0}..${(options.min ?? 0) + weights.length - 1})`, options.min ?? 0, weights),
  /**
   * A long tail: P(min + k) ∝ 1/(k+1)^exponent for counts in [min, max], so most parents have few children
   * and a few have very many (the customers who order every week).
   */
  powerLaw: (options: { min?: number; max: number; exponent: number }): CountDistribution => {
    const min = options.min ?? 0;
    const weights = Array.from(
      { length: Math.max(0, options.max - min + 1) },
      (_, k) => 1 / (k + 1) ** options.exponent,
    );
    return fromWeights(`powerLaw(${min}..${options.max}, s=${options.exponent})`, min, weights);
  },
};

/** Mean children per parent. */
export function meanCount(d: CountDistribution): number {
  return d.probabilities.reduce((sum, p, k) => sum + p * (d.min + k), 0);
}

/** Declaration problems of a count distribution (for validateDataset). */
export function countProblems(d: CountDistribution): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(d.min) || d.min < 0)
    problems.push(`perParent minimum must be a whole number >= 0, found ${d.min}`);
  if (d.probabilities.length === 0 || !d.probabilities.every((p) => Number.isFinite(p) && p >= 0))
    problems.push(`perParent ${d.description} needs at least one count and weights >= 0`);
  else if (!(d.probabilities.reduce((a, b) => a + b, 0) > 0))
    problems.push(`perParent ${d.description} has weights summing to 0`);
  return problems;
}

/** Inverse CDF: a uniform u in [0, 1) to a count; O(log(max - min)). */
export function countSampler(d: CountDistribution): (u: number) => number {
  const cumulative = new Float64Array(d.probabilities.length);
  let sum = 0;
  d.probabilities.forEach((p, k) => (cumulative[k] = sum += p));
  const last = cumulative.length - 1;
  if (last <= 0) return () => d.min;
  return (u) => {
    const target = u * sum;
    let lo = 0;
    let hi = last;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return d.min + lo;
  };
}
