import { describe, expect, it } from 'vitest';
import { formatIso, formatUnits, parseIso } from './fast-format';
import { prngFor } from './prng';

describe('fast formats', () => {
  it('write timestamps exactly as toISOString and read them back exactly as Date.parse', () => {
    const rng = prngFor(1, 'iso');
    const lo = Date.parse('1900-01-01T00:00:00Z');
    const hi = Date.parse('2199-12-31T23:59:59.999Z');
    const edges = [
      0,
      -1,
      951_782_400_000 /* 2000-02-29 */,
      4_107_542_399_999,
      lo,
      hi,
      Date.parse('1969-12-31T23:59:59.999Z'),
    ];
    for (let i = 0; i < 50_000; i++) edges.push(lo + Math.floor(rng.next() * (hi - lo)));
    const wrong = edges.filter((ms) => formatIso(ms) !== new Date(ms).toISOString() || parseIso(formatIso(ms)) !== ms);
    expect(wrong).toEqual([]);
    expect(parseIso('2024-05-06 07:08:09+00')).toBe(Date.parse('2024-05-06 07:08:09+00'));
    expect(parseIso('2024-05-0xT07:08:09.000Z')).toBeNaN();
  });

  it('write decimals exactly as toFixed', () => {
    const rng = prngFor(2, 'units');
    const units = Array.from({ length: 50_000 }, () => rng.range(-2_000_000, 2_000_000));
    const wrong = units.filter(
      (u) => formatUnits(u, 2) !== (u / 100).toFixed(2) || formatUnits(u, 3) !== (u / 1000).toFixed(3),
    );
    expect(wrong).toEqual([]);
    expect(formatUnits(0, 2)).toBe('0.00');
    expect(formatUnits(5, 2)).toBe('0.05');
    expect(formatUnits(-5, 2)).toBe('-0.05');
  });
});
