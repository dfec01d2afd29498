import { describe, expect, it } from 'vitest';
import { redactDatabaseUrl, scrubSecret } from './redact-database-url';
import { scanValue } from './scan-value';
import { findCardNumbers, isFictionalPhone, isReservedDomain, maskValue } from './synthetic-rules';

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

  it('finds Luhn-valid card numbers anywhere in a value, and masks them to the last 4', () => {
    expect(findCardNumbers('paid with 4111 1111 1111 1111 yesterday')).toEqual(['4111 1111 1111 1111']);
    expect(findCardNumbers('4111111111111112')).toEqual([]);
    expect(findCardNumbers('order 1234 at 2024-03-05 10:22:33')).toEqual([]);
    expect(maskValue('card', '4111-1111-1111-1111')).toBe('************1111');
  });

  it('scans a value for every rule', () => {
    expect(
      scanValue('write to jane.doe@gmail.com or jd@example.com', { phoneColumn: false, textColumn: true }),
    ).toEqual([{ rule: 'email-domain', masked: 'j***@gmail.com' }]);
    expect(scanValue('+1 (212) 736-5000', { phoneColumn: false, textColumn: true })).toEqual([
      { rule: 'phone-range', masked: '*********00' },
    ]);
    expect(scanValue('07700 900123', { phoneColumn: true, textColumn: true })).toEqual([]);
    expect(scanValue('12345', { phoneColumn: false, textColumn: true })).toEqual([]);
    expect(
      scanValue('call 020 7123 4567 or (212) 555-0142 on 2024-03-05 10:22, total 1234.50', {
        phoneColumn: false,
        textColumn: true,
      }),
    ).toEqual([{ rule: 'phone-range', masked: '*********67' }]);
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactDatabaseUrl('postgres://app:s3cr%40t@db.internal:5432/shop?sslmode=require')).toBe(
      'postgres://app:***@db.internal:5432/shop?sslmode=require',
    );
    expect(redactDatabaseUrl('postgresql://db/shop?user=app&password=hunter2')).toBe(
      'postgresql://db/shop?user=app&password=***',
    );
    expect(redactDatabaseUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(
      'postgres://postgres@127.0.0.1:5432/test',
    );
  });

  it('scrubs a password, raw or encoded, from any text', () => {
    const url = 'postgres://app:s3cr%40t@db:5432/shop';
    expect(scrubSecret(`failed for ${url}: auth s3cr@t`, url)).toBe(
      'failed for postgres://app:***@db:5432/shop: auth ***',
    );
  });
});
