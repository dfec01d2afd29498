import { describe, expect, it } from 'vitest';
import { findIbans } from './iban';
import { findSsns } from './national-ids';
import { findRealCardNumbers } from './payment-cards';
import { columnFlags, scanValue } from './scan-value';
import { isFictionalPhone, isReservedDomain } from './synthetic-rules';

describe('synthetic rules', () => {
  it('knows the reserved domains', () => {
    for (const d of ['example.com', 'mail.example.org', 'example.net', 'shop.test', 'x.invalid'])
      expect(isReservedDomain(d)).toBe(true);
    for (const d of ['gmail.com', 'example.co.uk', 'notexample.com', 'example.com.evil.io'])
      expect(isReservedDomain(d)).toBe(false);
  });

  it('knows the fictional phone ranges', () => {
    for (const p of [
      '(212) 555-0100',
      '+1 415 555 0199',
      '07700 900123',
      '+44 7700 900999',
      '020 7946 0042',
      '0161 496 0000',
    ])
      expect(isFictionalPhone(p)).toBe(true);
    for (const p of ['(212) 555-0200', '(212) 555-1234', '07700 901000', '+44 20 7123 4567', '0161 123 4567'])
      expect(isFictionalPhone(p)).toBe(false);
  });

  it('finds card numbers that pass Luhn in a network range, and lets documented test numbers through (#14.3)', () => {
    expect(findRealCardNumbers('paid with 4539 1488 0343 6467 yesterday')).toEqual([
      { match: '4539 1488 0343 6467', network: 'visa' },
    ]);
    expect(findRealCardNumbers('5425-2334-3010-9903 / 371449635398431 / 378282246310006')).toEqual([
      { match: '5425-2334-3010-9903', network: 'mastercard' },
    ]);
    expect(findRealCardNumbers('4111 1111 1111 1111, 4242424242424242, 5555555555554444')).toEqual([]); // test cards
    expect(findRealCardNumbers('4539148803436468')).toEqual([]); // Luhn fails
    expect(findRealCardNumbers('1234567812345670 and 9999999999999995')).toEqual([]); // Luhn passes, no network
    expect(findRealCardNumbers('45391488034364670000')).toEqual([]); // part of a longer digit run
  });

  it('finds US SSNs that could be issued, and none of the invalid or voided ones', () => {
    expect(findSsns('ssn 536-22-1234 on file', false)).toEqual(['536-22-1234']);
    expect(
      findSsns('000-12-1234 666-12-1234 900-12-1234 536-00-1234 536-22-0000 078-05-1120 219-09-9999', false),
    ).toEqual([]);
    expect(findSsns('536221234', false)).toEqual([]);
    expect(findSsns('536221234', true)).toEqual(['536221234']); // bare digits only in an ssn column
    expect(findSsns('2024-01-2025', false)).toEqual([]);
  });

  it('finds IBANs with a valid checksum, grouped or compact, and not ones with a wrong check digit', () => {
    expect(findIbans('pay to GB82 WEST 1234 5698 7654 32 please')).toEqual(['GB82 WEST 1234 5698 7654 32']);
    expect(findIbans('DE89370400440532013000')).toEqual(['DE89370400440532013000']);
    expect(findIbans('GB83WEST12345698765432 DE88370400440532013000')).toEqual([]);
    expect(findIbans('GB82WEST1234569876543')).toEqual([]); // one character short for GB
  });

  it('scans a value with every detector and masks what it reports', () => {
    const text = columnFlags('notes', true);
    expect(scanValue('write to jane.doe@gmail.com or jd@example.com', text)).toEqual([
      { detector: 'email-domain', masked: 'j***@gmail.com' },
    ]);
    expect(scanValue('+1 (212) 736-5000', text)).toEqual([{ detector: 'phone-range', masked: '*********00' }]);
    expect(scanValue('07700 900123', columnFlags('phone', true))).toEqual([]);
    expect(scanValue('12345', text)).toEqual([]);
    expect(scanValue('call 020 7123 4567 or (212) 555-0142 on 2024-03-05 10:22, total 1234.50', text)).toEqual([
      { detector: 'phone-range', masked: '*********67' },
    ]);
    expect(scanValue('ssn 536-22-1234', text)).toEqual([{ detector: 'us-ssn', masked: '*******34' }]);
    expect(scanValue('GB82 WEST 1234 5698 7654 32', text)).toEqual([{ detector: 'iban', masked: 'GB**…32' }]);
    expect(scanValue('4539148803436467', columnFlags('amount', false))).toEqual([
      { detector: 'card-number', masked: '************6467' },
    ]);
    expect(scanValue('someone@gmail.com', columnFlags('amount', false))).toEqual([]); // not a text column
    expect(
      scanValue(
        'pending',
        columnFlags('status', true, (v) => ['paid', 'placed'].includes(v)),
      ),
    ).toEqual([{ detector: 'dataset-generator', masked: 'p*** (7 characters)' }]);
  });
});
