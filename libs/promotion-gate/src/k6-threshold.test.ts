import { describe, expect, it } from 'vitest';
import { parseK6Threshold, thresholdHolds, verdictContradicts } from './k6-threshold';

// #11 item 9: one parser of k6 threshold expressions, as k6 parses them (metrics/thresholds_parser.go).
describe('parseK6Threshold', () => {
  it('reads every aggregation and operator k6 documents', () => {
    expect(parseK6Threshold('rate<0.01')).toEqual({ aggregation: 'rate', operator: '<', limit: 0.01, stat: 'rate' });
    expect(parseK6Threshold('p(95) < 300')).toEqual({
      aggregation: 'percentile',
      percentile: 95,
      operator: '<',
      limit: 300,
      stat: 'p(95)',
    });
    expect(parseK6Threshold('p(99.9)<=800')).toMatchObject({ percentile: 99.9, operator: '<=', stat: 'p(99.9)' });
    expect(parseK6Threshold('count>=10')).toMatchObject({ aggregation: 'count', operator: '>=', limit: 10 });
    expect(parseK6Threshold('avg>1')).toMatchObject({ aggregation: 'avg', operator: '>' });
    expect(parseK6Threshold('med===5')).toMatchObject({ aggregation: 'med', operator: '===' });
    expect(parseK6Threshold('max==5')).toMatchObject({ aggregation: 'max', operator: '==' });
    expect(parseK6Threshold('min!=0')).toMatchObject({ aggregation: 'min', operator: '!=', limit: 0 });
    expect(parseK6Threshold('value<100')).toMatchObject({ aggregation: 'value', limit: 100 });
  });

  it('refuses what k6 would refuse', () => {
    for (const bad of ['rate', 'rate<', 'rate<abc', 'mean<3', 'p(x)<3', 'p95<3', 'rate~0.1', '<5'])
      expect(parseK6Threshold(bad), bad).toBeUndefined();
  });
});

describe('thresholdHolds and verdictContradicts', () => {
  it('compare as k6 compares', () => {
    const t = (e: string) => parseK6Threshold(e)!;
    expect(thresholdHolds(t('rate<0.01'), 0.6)).toBe(false);
    expect(thresholdHolds(t('rate<0.01'), 0.009)).toBe(true);
    expect(thresholdHolds(t('count<=3'), 3)).toBe(true);
    expect(thresholdHolds(t('rate>0.99'), 0.99)).toBe(false);
    expect(thresholdHolds(t('rate>=0.99'), 0.99)).toBe(true);
    expect(thresholdHolds(t('rate==1'), 1)).toBe(true);
    expect(thresholdHolds(t('rate!=1'), 1)).toBe(false);
  });

  it('call a passed verdict over a crossed limit a contradiction, and a value at the limit too close to call', () => {
    const t = parseK6Threshold('rate<0.01')!;
    expect(verdictContradicts(t, 0.6, true)).toBe(true);
    expect(verdictContradicts(t, 0.6, false)).toBe(false);
    expect(verdictContradicts(t, 0.001, true)).toBe(false);
    expect(verdictContradicts(parseK6Threshold('rate<10')!, 10.05, true, 0.01)).toBe(false);
    expect(verdictContradicts(parseK6Threshold('rate<10')!, 10.5, true, 0.01)).toBe(true);
  });
});
