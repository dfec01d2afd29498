import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration';

// #11 item 26: one parser and one formatter of durations, used by deploy, rollback, the gate and the CLI.
describe('parseDuration (#11.26)', () => {
  it('reads every unit shipgate.yaml allows', () => {
    expect(['500ms', '90s', '15m', '1.5h', '72h', '7d'].map(parseDuration)).toEqual([
      500, 90_000, 900_000, 5_400_000, 259_200_000, 604_800_000,
    ]);
  });

  it('refuses a duration without its unit, or with a space, with CONFIG_INVALID', () => {
    for (const text of ['72', '72 h', '1m30s', '-5s', ''])
      expect(() => parseDuration(text), text).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('formatDuration (#11.26)', () => {
  it('writes each range one way: ms, s with one decimal, min and s, h and min, d and h', () => {
    const cases: [number, string][] = [
      [0, '0 ms'],
      [850, '850 ms'],
      [4_200, '4.2 s'],
      [42_000, '42 s'],
      [59_940, '59.9 s'],
      [59_960, '1 min'],
      [180_000, '3 min'],
      [185_000, '3 min 5 s'],
      [3_599_600, '1 h'],
      [7_500_000, '2 h 5 min'],
      [288_000_000, '80 h'],
      [446_400_000, '5 d 4 h'],
      [-4_200, '-4.2 s'],
    ];
    expect(cases.map(([ms]) => formatDuration(ms))).toEqual(cases.map(([, text]) => text));
  });

  it('reads back what parseDuration read, for whole units', () => {
    expect(formatDuration(parseDuration('90s'))).toBe('1 min 30 s');
    expect(formatDuration(parseDuration('72h'))).toBe('72 h');
    expect(formatDuration(parseDuration('7d'))).toBe('7 d');
  });
});
