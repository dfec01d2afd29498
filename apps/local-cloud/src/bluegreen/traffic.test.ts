import { describe, expect, it } from 'vitest';
import { shiftSteps, splitWeights } from './traffic';

describe('shiftSteps', () => {
  it('counts ECS 0.1-multiples in tenths: a 3.3 % linear shift ends at 99 %, then 100 %, without drift', () => {
    const steps = shiftSteps({ type: 'linear', percent: 3.3, waitMinutes: 1 });
    expect(steps.slice(0, 3).map((s) => s.replacementPercent)).toEqual([3.3, 6.6, 9.9]);
    expect(steps.at(-2)).toEqual({ replacementPercent: 99, waitMinutesAfter: 1 });
    expect(steps.at(-1)).toEqual({ replacementPercent: 100, waitMinutesAfter: 0 });
    expect(steps).toHaveLength(31);
  });

  it('a canary takes its share and waits, then all; all-at-once is one step', () => {
    expect(shiftSteps({ type: 'canary', percent: 0.5, waitMinutes: 10 })).toEqual([
      { replacementPercent: 0.5, waitMinutesAfter: 10 },
      { replacementPercent: 100, waitMinutesAfter: 0 },
    ]);
    expect(shiftSteps({ type: 'all-at-once' })).toEqual([{ replacementPercent: 100, waitMinutesAfter: 0 }]);
  });
});

describe('splitWeights', () => {
  it('gives whole percentages as weights out of 100 and fractional ones in tenths (ELBv2 weights stop at 999)', () => {
    expect(splitWeights('blue', 'green', 30)).toEqual([
      { targetGroupArn: 'blue', weight: 70 },
      { targetGroupArn: 'green', weight: 30 },
    ]);
    expect(splitWeights('blue', 'green', 0.1)).toEqual([
      { targetGroupArn: 'blue', weight: 999 },
      { targetGroupArn: 'green', weight: 1 },
    ]);
    expect(splitWeights('blue', 'green', 100).map((w) => w.weight)).toEqual([0, 100]);
  });
});
