import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactDatabaseUrl, scrubSecret } from './parse-database-url';

// Every character that means something in a URL, and a space (#11.17).
const SPECIALS = ['@', '/', ':', '?', '#', '[', ']', '%', '+', '&', '=', ';', ',', ' '];
const passwords = SPECIALS.map((c) => `Zq${c}Xv${c}Wk`);

describe('database URLs: one parser, one redactor (#11.17, #11.18, #11.12)', () => {
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
    expect(redactDatabaseUrl('mysql://root@127.0.0.1:3306/test')).toBe('mysql://root@127.0.0.1:3306/test');
  });

  for (const [form, encode] of [
    ['raw', (p: string) => p],
    ['percent-encoded', encodeURIComponent],
  ] as const) {
    it(`never shows any part of a ${form} password holding a URL-special character`, () => {
      for (const password of passwords) {
        for (const scheme of ['postgres', 'mysql']) {
          const url = `${scheme}://app:${encode(password)}@db.internal:5432/shop`;
          const redacted = redactDatabaseUrl(url);
          expect(redacted, password).toBe(`${scheme}://app:***@db.internal:5432/shop`);
          const parsed = parseDatabaseUrl(url);
          expect(parsed, password).toMatchObject({
            user: 'app',
            password,
            host: 'db.internal',
            port: 5432,
            database: 'shop',
          });
          // The drivers get the percent-encoded form, which their own parsers read back exactly.
          const roundTrip = new URL(parsed.normalized);
          expect(decodeURIComponent(roundTrip.password), password).toBe(password);
          expect(roundTrip.hostname).toBe('db.internal');
          // A driver that echoes the URL, the password or its encoded form is scrubbed.
          const echoed = scrubSecret(
            `connect to ${url} (${parsed.normalized}) failed for password "${password}" / ${encodeURIComponent(password)}`,
            url,
          );
          for (const part of ['Zq', 'Xv', 'Wk']) expect(echoed, password).not.toContain(part);
          expect(echoed).toContain(redacted);
        }
      }
    });
  }

  it('reads the dialect from the scheme', () => {
    expect(parseDatabaseUrl('postgresql://u@h/d').dialect).toBe('postgres');
    expect(parseDatabaseUrl('mariadb://u@h/d').dialect).toBe('mysql');
    expect(parseDatabaseUrl('MySQL://u@h:3306/d')).toMatchObject({ dialect: 'mysql', port: 3306 });
    expect(parseDatabaseUrl('postgres://u@[::1]:5432/d')).toMatchObject({ host: '[::1]', port: 5432 });
  });

  it('refuses unsupported schemes and malformed URLs with DATABASE_URL_INVALID (exit 2), never showing the password', () => {
    const cases: [string, string][] = [
      ['sqlserver://sa:hunter2@db/x', 'unsupported scheme "sqlserver://"'],
      ['http://u:hunter2@db/x', 'unsupported scheme "http://"'],
      ['db.internal:5432/x?password=hunter2', 'without a scheme:// prefix'],
      ['postgres://u:hunter2@db:port/x', 'port "port"'],
      ['postgres://u:hunter2@db:70000/x', 'port 70000'],
      ['mysql://u:hunter2@/x', 'no host'],
      ['postgres://u:hunter2@db[1]/x', 'host part that cannot be read'],
    ];
    for (const [url, found] of cases) {
      let error: unknown;
      try {
        parseDatabaseUrl(url);
      } catch (e) {
        error = e;
      }
      expect(error, url).toMatchObject({ code: 'DATABASE_URL_INVALID', exitCode: 2 });
      expect((error as Error).message, url).toContain(found);
      expect(JSON.stringify(error) + (error as Error).message, url).not.toContain('hunter2');
    }
  });
});
