import type { Clock, Random } from '@shipgate/model';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * A fresh record id that sorts by creation time: `dep-20260101T120000Z-k3j2a9x1`. The random tail
 * keeps ids made in the same second by different processes apart.
 */
export function newRecordId(prefix: string, clock: Clock, random: Random): string {
  const stamp = clock
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let tail = '';
  for (let i = 0; i < 8; i++) tail += alphabet[random.int(alphabet.length)];
  return `${prefix}-${stamp}-${tail}`;
}
