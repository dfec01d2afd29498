import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseK6Threshold } from './k6-threshold';

// The stress script's thresholds (loadtests/src/thresholds.json) decide whether k6 passes; the production
// policy decides whether the gate passes. If they drift apart, a run can pass k6 and still be blocked (or
// worse, the reverse). Read with the gate's own threshold parser, the one parser of k6 expressions.
const repo = new URL('../../../', import.meta.url);
const thresholds = JSON.parse(readFileSync(new URL('loadtests/src/thresholds.json', repo), 'utf8')) as Record<
  string,
  string[]
>;

interface StressPolicy {
  maxFailedRequestRate?: number;
  maxP95Ms?: number;
  releaseCheck?: string;
}

function productionStressPolicy(): StressPolicy {
  const config = parse(readFileSync(new URL('shipgate.yaml', repo), 'utf8')) as {
    environments?: { production?: { promotion?: { stress?: StressPolicy } } };
  };
  const stress = config.environments?.production?.promotion?.stress;
  if (!stress) throw new Error('expected environments.production.promotion.stress in shipgate.yaml, found nothing');
  return stress;
}

/** The limit of the one expression of a metric that reads `stat` with `operator`. */
function limit(expressions: string[] | undefined, stat: string, operator: '<' | '>'): number | undefined {
  for (const e of expressions ?? []) {
    const parsed = parseK6Threshold(e);
    if (parsed?.stat === stat && parsed.operator === operator) return parsed.limit;
  }
  return undefined;
}

describe('the load tests’ stress thresholds', () => {
  it('hold the production policy limits for failed requests and p95 latency', () => {
    const policy = productionStressPolicy();
    expect(limit(thresholds.http_req_failed, 'rate', '<')).toBe(policy.maxFailedRequestRate);
    expect(limit(thresholds.http_req_duration, 'p(95)', '<')).toBe(policy.maxP95Ms);
  });

  it('use the release check name the policy requires', () => {
    const source = readFileSync(new URL('loadtests/src/release-check.ts', repo), 'utf8');
    expect(source).toContain(`'${productionStressPolicy().releaseCheck}'`);
  });

  it('are exactly these values, each an expression k6 accepts', () => {
    expect(thresholds).toEqual({
      http_req_failed: ['rate<0.01'],
      http_req_duration: ['p(95)<300', 'p(99)<800'],
      checks: ['rate>0.99'],
    });
    for (const e of Object.values(thresholds).flat()) expect(parseK6Threshold(e), e).toBeDefined();
  });

  it('would notice a drifted limit', () => {
    expect(limit(['rate<0.05'], 'rate', '<')).not.toBe(productionStressPolicy().maxFailedRequestRate);
    expect(limit(['p(90)<300'], 'p(95)', '<')).toBeUndefined();
  });
});
