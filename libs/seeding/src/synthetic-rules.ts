/**
 * What "provably made-up" means, shared by the generators (which only produce such values) and by
 * verifySynthetic (which flags anything else). Pure functions over strings.
 */

/** Second-level domains reserved for documentation (RFC 2606 / RFC 6761). */
const RESERVED_DOMAINS = ['example.com', 'example.net', 'example.org'];
/** Top-level names reserved so that they never resolve. */
const RESERVED_TLDS = ['test', 'example', 'invalid', 'localhost'];

/** True when an email domain (or host) can never belong to a real mailbox. */
export function isReservedDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (RESERVED_DOMAINS.some((r) => d === r || d.endsWith(`.${r}`))) return true;
  const tld = d.slice(d.lastIndexOf('.') + 1);
  return RESERVED_TLDS.includes(tld);
}

/** Every email-shaped substring of a value, with its domain. */
export function findEmails(text: string): { email: string; domain: string }[] {
  const found: { email: string; domain: string }[] = [];
  for (const m of text.matchAll(/[A-Za-z0-9._%+'-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g)) {
    found.push({ email: m[0], domain: m[1] as string });
  }
  return found;
}

/** UK drama ranges (Ofcom): national-format prefixes followed by three free digits. */
const UK_FICTIONAL_PREFIXES = [
  '07700900', // mobile 07700 900000–900999
  '02079460', // London 020 7946 0000–0999
  '01134960',
  '01144960',
  '01154960',
  '01164960',
  '01174960',
  '01184960', // Leeds … Reading 011x 496 0xxx
  '01214960',
  '01314960',
  '01414960',
  '01514960',
  '01614960', // Birmingham … Manchester 01x1 496 0xxx
  '02920180', // Cardiff 029 2018 0xxx
  '02890180', // Belfast 028 9018 0xxx
  '03069990', // UK-wide 03069 990xxx
  '08081570', // freephone 08081 570xxx
  '09098790', // premium 0909 879 0xxx
];

/** True when a phone number is in a range reserved for fiction: NANP 555-0100..0199 or a UK drama range. */
export function isFictionalPhone(value: string): boolean {
  let digits = value.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length === 10 && !value.trim().startsWith('0')) {
    const exchange = digits.slice(3, 6);
    const line = Number(digits.slice(6));
    if (exchange === '555' && line >= 100 && line <= 199) return true;
  }
  let uk = digits;
  if (uk.startsWith('44')) uk = `0${uk.slice(2)}`;
  return uk.length === 11 && UK_FICTIONAL_PREFIXES.some((p) => uk.startsWith(p));
}

/**
 * Phone-number-shaped substrings of free text: groups of digits with separators, 10 to 15 digits in all
 * ("(212) 736-5000", "+44 20 7123 4567", "020 7123 4567"). Dates and decimals do not have this shape.
 */
export function findPhones(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)|\d{2,5})(?:[\s.-]\d{3,6}){1,3}\b/g)) {
    const digitCount = m[0].replace(/\D/g, '').length;
    if (digitCount >= 10 && digitCount <= 15) found.push(m[0]);
  }
  return found;
}

/** Luhn checksum over a string of digits. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
