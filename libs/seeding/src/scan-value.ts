import {
  findCardNumbers,
  findEmails,
  findPhones,
  isFictionalPhone,
  isReservedDomain,
  maskValue,
} from './synthetic-rules';

/** The kinds of value that cannot be proven made-up. */
export type SyntheticRule = 'email-domain' | 'phone-range' | 'card-number';

/** One offending value, already masked. */
export interface ValueFinding {
  rule: SyntheticRule;
  masked: string;
}

const PHONE_COLUMN = /(^|_)(phone|mobile|tel|telephone|fax|msisdn|cell)(_|$)/i;

/** True for a column that holds phone numbers by its name. */
export function isPhoneColumn(column: string): boolean {
  return PHONE_COLUMN.test(column);
}

/**
 * Checks one value (as text) of a column: every email must be on a reserved domain, every phone in a fictional
 * range, and no card-number-shaped digit run may pass Luhn. Pure.
 */
export function scanValue(value: string, options: { phoneColumn: boolean; textColumn: boolean }): ValueFinding[] {
  const findings: ValueFinding[] = [];
  if (options.textColumn && value.includes('@')) {
    for (const { email, domain } of findEmails(value)) {
      if (!isReservedDomain(domain)) findings.push({ rule: 'email-domain', masked: maskValue('email', email) });
    }
  }
  if (options.textColumn && options.phoneColumn) {
    if (/\d{3}/.test(value) && !isFictionalPhone(value))
      findings.push({ rule: 'phone-range', masked: maskValue('phone', value) });
  } else if (options.textColumn) {
    for (const phone of findPhones(value)) {
      if (!isFictionalPhone(phone)) findings.push({ rule: 'phone-range', masked: maskValue('phone', phone) });
    }
  }
  for (const card of findCardNumbers(value)) findings.push({ rule: 'card-number', masked: maskValue('card', card) });
  return findings;
}
