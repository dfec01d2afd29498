/**
 * The numbers of a k6 summary, checked against what k6 can produce: a summary whose numbers are out of
 * range (a negative percentile, a rate above 1, a negative check count) is not k6's output and is refused
 * rather than believed.
 */
import type { K6ThresholdExpression } from './k6-threshold';

type Json = Record<string, unknown>;

/** k6's four metric types. */
export type K6MetricKind = 'counter' | 'gauge' | 'rate' | 'trend';

// Built-in metrics whose values are durations or counts of things, so never negative. Custom trends,
// gauges and counters may hold any number.
const builtInTimes =
  /^(http_req_(duration|blocked|connecting|tls_handshaking|sending|waiting|receiving)|iteration_duration|group_duration)(\{|$)/;
const builtInCounts = /^(http_reqs|iterations|data_received|data_sent|dropped_iterations|vus|vus_max)(\{|$)/;
const percentileKey = /^p\((\d+(?:\.\d+)?)\)$/;

/** The type of a metric: from `type` in handleSummary; from the fields it holds in summary-export. */
export function k6MetricKind(stats: Json, declaredType: unknown): K6MetricKind | undefined {
  if (declaredType === 'counter' || declaredType === 'gauge' || declaredType === 'rate' || declaredType === 'trend')
    return declaredType;
  if ('passes' in stats && 'fails' in stats) return 'rate';
  if ('count' in stats) return 'counter';
  if ('avg' in stats || 'med' in stats || Object.keys(stats).some((k) => percentileKey.test(k))) return 'trend';
  if ('value' in stats) return 'gauge';
  return undefined;
}

/**
 * The statistic a threshold reads. A Rate metric's `rate` is `value` in summary-export; a counter's `rate`
 * is per second. Undefined when the summary does not hold it (k6 computes `p(99)` for a threshold without
 * writing it unless summaryTrendStats asks for it).
 */
export function thresholdStat(
  stats: Json,
  kind: K6MetricKind | undefined,
  threshold: K6ThresholdExpression,
): number | undefined {
  const direct = stats[threshold.stat];
  const value = direct === undefined && threshold.aggregation === 'rate' && kind === 'rate' ? stats.value : direct;
  return typeof value === 'number' ? value : undefined;
}

/** Every number of one metric that k6 could not have written; empty when all are in range. */
export function metricNumberProblems(
  metric: string,
  stats: Json,
  kind: K6MetricKind | undefined,
  contains?: unknown,
): string[] {
  const problems: string[] = [];
  const bad = (field: string, value: unknown, why: string) =>
    problems.push(`metric "${metric}" ${field} ${JSON.stringify(value)} ${why}`);
  const numbers: Record<string, number> = {};
  for (const [field, value] of Object.entries(stats)) {
    if (field === 'thresholds') continue;
    if (typeof value !== 'number' || !Number.isFinite(value)) bad(field, value, 'is not a number');
    else numbers[field] = value;
  }
  const nonNegative = (field: string) => {
    const v = numbers[field];
    if (v !== undefined && v < 0) bad(field, v, 'is negative');
  };
  const count = (field: string) => {
    const v = numbers[field];
    if (v !== undefined && (v < 0 || !Number.isInteger(v))) bad(field, v, 'is not a count (a whole number ≥ 0)');
  };
  if (kind === 'rate') {
    count('passes');
    count('fails');
    const rate = numbers.rate ?? numbers.value;
    const field = numbers.rate === undefined ? 'value' : 'rate';
    if (rate !== undefined && (rate < 0 || rate > 1)) bad(field, rate, 'is outside 0..1');
    const { passes, fails } = numbers;
    if (rate !== undefined && passes !== undefined && fails !== undefined && passes + fails > 0) {
      const counted = passes / (passes + fails);
      if (Math.abs(counted - rate) > 1e-9)
        bad(field, rate, `disagrees with its ${passes} of ${passes + fails} samples (${counted})`);
    }
  } else if (kind === 'counter') {
    if (builtInCounts.test(metric)) {
      nonNegative('count');
      nonNegative('rate');
    }
  } else if (kind === 'trend') {
    if (contains === 'time' || builtInTimes.test(metric)) for (const field of Object.keys(numbers)) nonNegative(field);
    const { min, max } = numbers;
    if (min !== undefined && max !== undefined) {
      if (min > max) bad('min', min, `is above max ${max}`);
      for (const [field, v] of Object.entries(numbers))
        if (field !== 'min' && field !== 'max' && (v < min - slack(min) || v > max + slack(max)))
          bad(field, v, `is outside min ${min} .. max ${max}`);
    }
    const percentiles = Object.entries(numbers)
      .flatMap(([field, v]) => {
        const n = percentileKey.exec(field)?.[1];
        return n === undefined ? [] : [{ field, n: Number(n), v }];
      })
      .sort((a, b) => a.n - b.n);
    for (let i = 1; i < percentiles.length; i++) {
      const [low, high] = [percentiles[i - 1]!, percentiles[i]!];
      if (high.v < low.v - slack(low.v)) bad(high.field, high.v, `is below ${low.field} ${low.v}`);
    }
  } else if (kind === 'gauge') {
    if (builtInCounts.test(metric)) for (const field of Object.keys(numbers)) count(field);
  }
  return problems;
}

/** Every check count in a root_group that is not a whole number ≥ 0. */
export function checkCountProblems(path: string, passes: number, fails: number): string[] {
  const problems: string[] = [];
  for (const [field, v] of [
    ['passes', passes],
    ['fails', fails],
  ] as const)
    if (v < 0 || !Number.isInteger(v))
      problems.push(`check "${path}" ${field} ${v} is not a count (a whole number ≥ 0)`);
  return problems;
}

// Averages and interpolated percentiles are computed in floating point; allow its rounding.
function slack(value: number): number {
  return 1e-9 * Math.max(1, Math.abs(value));
}
