import { describe, expect, it } from 'vitest';
import { ManualClock } from '@shipgate/model';
import type { SeedProgress } from './progress';
import { ProgressMeter } from './progress';

describe('ProgressMeter', () => {
  it('throttles by the clock, always reports the end of a table, and estimates rate and time left', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const seen: SeedProgress[] = [];
    const meter = new ProgressMeter(clock, 1_000, (p) => seen.push(p), 250);
    clock.advance(100);
    meter.advance('a', 100, 400, 100); // too soon: dropped
    clock.advance(150);
    meter.advance('a', 200, 400, 100); // 250 ms: reported
    clock.advance(50);
    meter.advance('a', 400, 400, 200, true); // end of table: reported regardless
    expect(seen).toEqual([
      {
        table: 'a',
        tableRows: 200,
        tableTotalRows: 400,
        rows: 200,
        totalRows: 1_000,
        rowsPerSecond: 800,
        etaSeconds: 1,
      },
      {
        table: 'a',
        tableRows: 400,
        tableTotalRows: 400,
        rows: 400,
        totalRows: 1_000,
        rowsPerSecond: 1_333,
        etaSeconds: 0.5,
      },
    ]);
    expect(meter.elapsedMs()).toBe(300);
  });
});
