import { isSsnColumn, findSsns } from './national-ids';
import { findIbans } from './iban';
import { findRealCardNumbers } from './payment-cards';
import { findEmails, findPhones, isFictionalPhone, isReservedDomain } from './synthetic-rules';

/** The detectors `data verify` runs, each a kind of real-looking personal data. */
export type DetectorName = 'email-domain' | 'phone-range' | 'card-number' | 'us-ssn' | 'iban' | 'dataset-generator';

/** Every detector with what it looks for, as reports list them. */
export const DETECTORS: readonly { name: DetectorName; looksFor: string }[] = [
  {
    name: 'email-domain',
    looksFor: 'email addresses outside reserved domains (example.com/.net/.org, .test, .example, .invalid, .localhost)',
  },
  { name: 'phone-range', looksFor: 'phone numbers outside fictional ranges (NANP 555-0100..0199, UK drama ranges)' },
  {
    name: 'card-number',
    looksFor: 'payment card numbers passing Luhn in a card network range (documented test numbers allowed)',
  },
  {
    name: 'us-ssn',
    looksFor: 'US Social Security numbers that could be issued (area not 000/666/9xx, group not 00, serial not 0000)',
  },
  { name: 'iban', looksFor: 'IBANs of a known country length with a valid mod-97 checksum' },
  {
    name: 'dataset-generator',
    looksFor: "values of a dataset's columns that its declared generator could not have made",
  },
];

/** One offending value, already masked. */
export interface ValueFinding {
  detector: DetectorName;
  masked: string;
}

/** What the scanner knows about a column before reading its values. */
export interface ColumnFlags {
  /** Holds text (free-text detectors apply); numeric columns are only checked for card numbers. */
  textColumn: boolean;
  /** Holds phone numbers by its name: every value must be fictional, not only phone-shaped substrings. */
  phoneColumn: boolean;
  /** Holds SSNs by its name: nine bare digits count too. */
  ssnColumn: boolean;
  /** The dataset's generator for this column, when the column is one of the dataset's. */
  accepts?: (text: string) => boolean;
}

const PHONE_COLUMN = /(^|_)(phone|mobile|tel|telephone|fax|msisdn|cell)(_|$)/i;

/** The flags of a column by its name and whether it holds text. */
export function columnFlags(name: string, textColumn: boolean, accepts?: (text: string) => boolean): ColumnFlags {
  return {
    textColumn,
    phoneColumn: PHONE_COLUMN.test(name),
    ssnColumn: isSsnColumn(name),
    ...(accepts ? { accepts } : {}),
  };
}

/** Masks a value for a report: enough to find it, not enough to leak it. */
export function maskFinding(detector: DetectorName, value: string): string {
  if (detector === 'email-domain') return `${value.slice(0, 1)}***${value.slice(value.indexOf('@'))}`;
  if (detector === 'iban') return `${value.slice(0, 2)}**…${value.replace(/\s/g, '').slice(-2)}`;
  if (detector === 'dataset-generator') return `${value.slice(0, 1)}*** (${value.length} characters)`;
  const digits = value.replace(/\D/g, '');
  const shown = detector === 'card-number' ? 4 : 2;
  return `${'*'.repeat(Math.max(0, digits.length - shown))}${digits.slice(-shown)}`;
}

const NONE: readonly ValueFinding[] = Object.freeze([]);

/** Checks one value (as text) of a column with every detector. Pure. */
export function scanValue(value: string, flags: ColumnFlags): readonly ValueFinding[] {
  const generatorMiss = flags.accepts !== undefined && !flags.accepts(value);
  // Every detector but email needs digits: 9 for an SSN, 10 for a phone, 12 for a card, 2 and 15 characters
  // for an IBAN; a phone column's value 3. Counting them once, and looking for an '@', lets the names,
  // statuses, amounts and references that most columns hold return here, before any regex or allocation
  // (a third of data verify's time went to this function on the rehearsal's staging data before).
  const digits = digitCount(value);
  if (!generatorMiss && digits < 12) {
    if (!flags.textColumn) return NONE;
    if (digits < 2 && !flags.phoneColumn && !value.includes('@')) return NONE;
    if (digits < 9 && value.length < 15 && !flags.phoneColumn && !value.includes('@')) return NONE;
  }
  return detect(value, flags, digits, generatorMiss);
}

function detect(value: string, flags: ColumnFlags, digits: number, generatorMiss: boolean): ValueFinding[] {
  const findings: ValueFinding[] = [];
  const add = (detector: DetectorName, match: string): void => {
    findings.push({ detector, masked: maskFinding(detector, match) });
  };
  if (generatorMiss) add('dataset-generator', value);
  // What one detector claimed is cut out before the phone search: an IBAN's digit groups are not a phone number.
  let rest = value;
  const claim = (detector: DetectorName, match: string): void => {
    add(detector, match);
    rest = rest.split(match).join(' ');
  };
  if (digits >= 12) for (const card of findRealCardNumbers(value)) claim('card-number', card.match);
  if (!flags.textColumn) return findings;
  if (digits >= 2 && value.length >= 15 && /[A-Za-z]{2}\d{2}/.test(value))
    for (const iban of findIbans(value)) claim('iban', iban);
  if (digits >= 9) for (const ssn of findSsns(value, flags.ssnColumn)) claim('us-ssn', ssn);
  if (value.includes('@')) {
    for (const { email, domain } of findEmails(value)) if (!isReservedDomain(domain)) add('email-domain', email);
  }
  if (flags.phoneColumn) {
    if (/\d{3}/.test(value) && !isFictionalPhone(value)) add('phone-range', value);
  } else if (digits >= 10) {
    for (const phone of findPhones(rest)) if (!isFictionalPhone(phone)) add('phone-range', phone);
  }
  return findings;
}

function digitCount(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}
