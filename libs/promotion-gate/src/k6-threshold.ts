/**
 * k6 threshold expressions (`rate<0.01`, `p(95)<300`, `count>=10`, `avg!=0`), parsed as k6 parses them:
 * `aggregation operator number`, the aggregation one of value, count, rate, avg, min, med, max or p(N).
 * The one parser of threshold expressions in shipgate; the gate uses it to recompute k6's verdicts.
 */

/** The comparison of a threshold. */
export type K6ThresholdOperator = '<=' | '<' | '>=' | '>' | '===' | '==' | '!=';

/** A parsed threshold expression. */
export interface K6ThresholdExpression {
  aggregation: 'value' | 'count' | 'rate' | 'avg' | 'min' | 'med' | 'max' | 'percentile';
  /** For `p(N)`: N. */
  percentile?: number;
  operator: K6ThresholdOperator;
  limit: number;
  /** The statistic's key in a k6 summary: `p(95)`, `rate`, `avg`. */
  stat: string;
}

// k6 splits at the first operator of this list that occurs, so the longer tokens come first.
const operators: K6ThresholdOperator[] = ['<=', '<', '>=', '>', '===', '==', '!='];
const aggregations = new Set(['value', 'count', 'rate', 'avg', 'min', 'med', 'max']);
const numberText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses `p(95) < 300`; undefined when the text is not a threshold expression k6 accepts. */
export function parseK6Threshold(expression: string): K6ThresholdExpression | undefined {
  for (const operator of operators) {
    const at = expression.indexOf(operator);
    if (at < 0) continue;
    const left = expression.slice(0, at).trim();
    const right = expression.slice(at + operator.length).trim();
    if (!numberText.test(right)) return undefined;
    const limit = Number(right);
    if (aggregations.has(left))
      return { aggregation: left as K6ThresholdExpression['aggregation'], operator, limit, stat: left };
    const percentile = /^p\((.*)\)$/.exec(left)?.[1]?.trim();
    if (percentile === undefined || !numberText.test(percentile)) return undefined;
    const n = Number(percentile);
    return { aggregation: 'percentile', percentile: n, operator, limit, stat: `p(${n})` };
  }
  return undefined;
}

/** Whether `observed` satisfies the threshold, compared as k6 compares. */
export function thresholdHolds(
  threshold: Pick<K6ThresholdExpression, 'operator' | 'limit'>,
  observed: number,
): boolean {
  const { operator, limit } = threshold;
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
    case '===':
      return observed === limit;
    case '!=':
      return observed !== limit;
  }
}

/**
 * Whether k6's verdict (`passed`) contradicts the observed number. Values within `tolerance` (relative) of
 * the limit never contradict: k6 may have evaluated a time-dependent statistic (a counter's per-second
 * rate) a moment before the summary was written.
 */
export function verdictContradicts(
  threshold: Pick<K6ThresholdExpression, 'operator' | 'limit'>,
  observed: number,
  passed: boolean,
  tolerance = 1e-9,
): boolean {
  if (thresholdHolds(threshold, observed) === passed) return false;
  return Math.abs(observed - threshold.limit) > tolerance * Math.max(1, Math.abs(threshold.limit));
}
