/**
 * US Social Security numbers that could be issued: area not 000, 666 or 900-999, group not 00, serial not
 * 0000 (SSA rules), and not one of the numbers the SSA lists as used in advertising and voided.
 */
const VOIDED_SSNS = new Set(['078051120', '219099999', '123456789']);

/** True when nine digits could be a real SSN. */
export function isPossibleSsn(digits: string): boolean {
  if (!/^\d{9}$/.test(digits) || VOIDED_SSNS.has(digits)) return false;
  const area = Number(digits.slice(0, 3));
  return area !== 0 && area !== 666 && area < 900 && digits.slice(3, 5) !== '00' && digits.slice(5) !== '0000';
}

const SSN_COLUMN = /(^|_)(ssn|social_security(_number)?|tax_id|tin)(_|$)/i;

/** True for a column that holds SSNs by its name (there, nine bare digits count too). */
export function isSsnColumn(column: string): boolean {
  return SSN_COLUMN.test(column);
}

/** SSN-shaped values: `123-45-6789` (or with spaces) anywhere; nine bare digits only in an SSN column. */
export function findSsns(text: string, ssnColumn: boolean): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?<![0-9-])(\d{3})([- ])(\d{2})\2(\d{4})(?![0-9-])/g)) {
    if (isPossibleSsn(`${m[1]}${m[3]}${m[4]}`)) found.push(m[0]);
  }
  if (ssnColumn && found.length === 0) {
    const digits = text.trim();
    if (isPossibleSsn(digits)) found.push(digits);
  }
  return found;
}
