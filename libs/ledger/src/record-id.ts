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

const stampPattern = /^[a-z]+-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-z]+$/;

/**
 * When a record id from newRecordId was made (ms since the epoch, to the second), or undefined for an
 * id of another shape: the inverse of newRecordId's stamp.
 */
export function recordIdTime(id: string): number | undefined {
  const m = stampPattern.exec(id);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  // Date.UTC rolls a 13th month or a 61st second over; a stamp newRecordId made reads back the same.
  const back = new Date(t);
  return back.getUTCFullYear() === y &&
    back.getUTCMonth() === mo! - 1 &&
    back.getUTCDate() === d &&
    back.getUTCHours() === h &&
    back.getUTCMinutes() === mi &&
    back.getUTCSeconds() === s
    ? t
    : undefined;
}
