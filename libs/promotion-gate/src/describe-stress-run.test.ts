import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeStressRun } from './describe-stress-run';
import { parseK6Summary, readK6Summary } from './parse-k6-summary';

const fixture = (name: string) => fileURLToPath(new URL(`./__fixtures__/k6/${name}`, import.meta.url));

describe('describeStressRun', () => {
  it('tells the real runs in numbers', async () => {
    expect(describeStressRun((await readK6Summary(fixture('k6-fail.handle-summary.json'))).summary)).toBe(
      '214 requests, 4.21% failed, peak 19 VUs, 5 of 7 thresholds failed',
    );
    expect(describeStressRun((await readK6Summary(fixture('k6-pass.summary-export.json'))).summary)).toBe(
      '220 requests, 0% failed, peak 19 VUs, 0 of 9 thresholds failed',
    );
  });

  it('says what a run without requests did not record, instead of "undefined" (#11.7)', () => {
    const empty = parseK6Summary({ root_group: { checks: [] }, metrics: {} });
    expect(describeStressRun(empty)).toBe('no HTTP requests recorded, peak VUs not recorded, no thresholds');
  });
});
