import { describe, expect, it } from 'vitest';
import { formatIso, parseIso } from './fast-format';
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
});
