import { ManualClock, seededRandom } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { newRecordId } from './record-id';

describe('newRecordId', () => {
  it('stamps the time, sorts by it and differs within one second', () => {
    const clock = new ManualClock('2026-05-04T03:02:01.999Z');
    const random = seededRandom(1);
    const a = newRecordId('dep', clock, random);
    const b = newRecordId('dep', clock, random);
    clock.advance(1);
    const c = newRecordId('dep', clock, random);
    expect(a).toMatch(/^dep-20260504T030201Z-[0-9a-z]{8}$/);
    expect(b).not.toBe(a);
    expect(c.startsWith('dep-20260504T030202Z-')).toBe(true);
    expect([c, a].sort()[1]).toBe(c);
  });
});
