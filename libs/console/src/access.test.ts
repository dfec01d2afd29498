import { describe, expect, it } from 'vitest';
import { allowedHost, checkListenAddress, isLoopback, tokenMatches } from './access';

describe('who may reach the console', () => {
  it('listens on loopback without a token; refuses another address without one', () => {
    expect(() => checkListenAddress('127.0.0.1', undefined)).not.toThrow();
    expect(() => checkListenAddress('::1', undefined)).not.toThrow();
    expect(() => checkListenAddress('0.0.0.0', undefined)).toThrow(/expected --token .* to listen on 0\.0\.0\.0/);
    expect(() => checkListenAddress('192.0.2.10', 'short')).toThrow(/16 characters or more/);
    expect(() => checkListenAddress('0.0.0.0', 'a'.repeat(24))).not.toThrow();
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('10.0.0.1')).toBe(false);
  });

  it('on loopback, accepts only loopback Host headers for its own port (no DNS rebinding)', () => {
    expect(allowedHost('127.0.0.1', 8790, '127.0.0.1:8790')).toBe(true);
    expect(allowedHost('127.0.0.1', 8790, 'localhost:8790')).toBe(true);
    expect(allowedHost('127.0.0.1', 8790, '[::1]:8790')).toBe(true);
    expect(allowedHost('127.0.0.1', 8790, 'attacker.example:8790')).toBe(false);
    expect(allowedHost('127.0.0.1', 8790, '127.0.0.1:9999')).toBe(false);
    expect(allowedHost('127.0.0.1', 8790, undefined)).toBe(false);
  });

  it('compares tokens whole', () => {
    expect(tokenMatches('s3cret-token-0123456', 's3cret-token-0123456')).toBe(true);
    expect(tokenMatches('s3cret-token-0123456', 's3cret-token-012345')).toBe(false);
    expect(tokenMatches('s3cret-token-0123456', undefined)).toBe(false);
  });
});
