import { ManualClock, seededRandom } from '@shipgate/model';
import { describe, expect, it } from 'vitest';
import { newRecordId, recordIdTime } from './record-id';

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

describe('recordIdTime', () => {
  it('reads back the second newRecordId stamped, and nothing from an id of another shape', () => {
    const id = newRecordId('dep', new ManualClock('2026-05-04T03:02:01.999Z'), seededRandom(2));
    expect(recordIdTime(id)).toBe(Date.parse('2026-05-04T03:02:01Z'));
    for (const other of ['dep-1-production', 'legacy', 'dep-20261304T000000Z-abc', 'dep-20260504T030201Z-'])
      expect(recordIdTime(other), other).toBeUndefined();
  });
});
