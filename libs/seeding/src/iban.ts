/** IBAN lengths by country (the SWIFT IBAN registry), so that only a well-formed IBAN is checked. */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MR: 27,
  MT: 31,
  MU: 30,
  NL: 18,
  NO: 15,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  SA: 24,
  SC: 31,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
};

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 must be 1. */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

/**
 * IBANs with a valid checksum, written compact or in groups of four: from each country code + check digits,
 * exactly the country's length is read (skipping single spaces), so trailing words do not hide one.
 */
export function findIbans(text: string): string[] {
  const found: string[] = [];
  const upper = text.toUpperCase();
  for (const m of upper.matchAll(/(?<![A-Z0-9])([A-Z]{2})\d{2}/g)) {
    const length = IBAN_LENGTHS[m[1] as string];
    if (!length) continue;
    let compact = '';
    let end = m.index;
    while (end < upper.length && compact.length < length) {
      const ch = upper[end] as string;
      if (/[A-Z0-9]/.test(ch)) compact += ch;
      else if (!(ch === ' ' && compact.length % 4 === 0 && /[A-Z0-9]/.test(upper[end + 1] ?? ''))) break;
      end++;
    }
    if (compact.length === length && !/[A-Z0-9]/.test(upper[end] ?? '') && ibanChecksumValid(compact))
      found.push(text.slice(m.index, end));
  }
  return found;
}
