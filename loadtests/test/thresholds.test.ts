import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import thresholds from '../src/thresholds.json';

// The stress script's thresholds decide whether k6 passes; the production policy decides whether the
// gate passes. If they drift apart, a run can pass k6 and still be blocked (or worse, the reverse).

interface StressPolicy {
  maxFailedRequestRate?: number;
  maxP95Ms?: number;
  releaseCheck?: string;
}

function productionStressPolicy(): StressPolicy {
  const config = parse(readFileSync(new URL('../../shipgate.yaml', import.meta.url), 'utf8')) as {
    environments?: { production?: { promotion?: { stress?: StressPolicy } } };
  };
  const stress = config.environments?.production?.promotion?.stress;
  if (!stress) throw new Error('expected environments.production.promotion.stress in shipgate.yaml, found nothing');
  return stress;
}

/** The number in the one threshold expression of `metric` that has the form `<stat><op><number>`. */
function limit(expressions: string[], stat: string, op: '<' | '>'): number | undefined {
  const escaped = stat.replace(/[()]/g, '\\$&');
  for (const e of expressions) {
    const m = new RegExp(`^${escaped}\\s*${op}\\s*([0-9.]+)$`).exec(e.trim());
    if (m) return Number(m[1]);
  }
  return undefined;
}

describe('stress thresholds', () => {
  it('hold the production policy limits for failed requests and p95 latency', () => {
    const policy = productionStressPolicy();
    expect(limit(thresholds.http_req_failed, 'rate', '<')).toBe(policy.maxFailedRequestRate);
    expect(limit(thresholds.http_req_duration, 'p(95)', '<')).toBe(policy.maxP95Ms);
  });

  it('use the release check name the policy requires', () => {
    const source = readFileSync(new URL('../src/release-check.ts', import.meta.url), 'utf8');
    expect(source).toContain(`'${productionStressPolicy().releaseCheck}'`);
  });

  it('are exactly these values', () => {
    expect(thresholds).toEqual({
      http_req_failed: ['rate<0.01'],
      http_req_duration: ['p(95)<300', 'p(99)<800'],
      checks: ['rate>0.99'],
    });
  });

  it('would notice a drifted limit', () => {
    expect(limit(['rate<0.05'], 'rate', '<')).not.toBe(productionStressPolicy().maxFailedRequestRate);
    expect(limit(['p(90)<300'], 'p(95)', '<')).toBeUndefined();
  });
});
