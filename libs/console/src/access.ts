import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ShipgateError } from '@shipgate/model';

/** True for an address only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '');
  if (h === 'localhost') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  return h === '::1';
}

/**
 * Where the console may listen. Loopback needs nothing; any other address serves the ledger to the
 * network, so it is refused without an access token (and a short token is no protection).
 */
export function checkListenAddress(host: string, token: string | undefined): void {
  if (!isLoopback(host) && token === undefined)
    throw new ShipgateError(
      'USAGE',
      `console: expected --token (or SHIPGATE_CONSOLE_TOKEN) to listen on ${host}, which other machines can reach; found none`,
      { hint: 'Keep the default --host 127.0.0.1, or give an access token: --token "$(openssl rand -hex 24)".' },
    );
  if (token !== undefined && token.length < 16)
    throw new ShipgateError(
      'USAGE',
      `console: expected an access token of 16 characters or more, found ${token.length}`,
      {
        hint: 'Generate one: --token "$(openssl rand -hex 24)".',
      },
    );
}

/** Compares a presented token with the expected one in constant time. */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(presented).digest();
  return timingSafeEqual(a, b);
}

/**
 * The Host headers a request may carry. On loopback, only loopback names: a page elsewhere that
 * points its own domain name at 127.0.0.1 (DNS rebinding) is refused, and so cannot read the ledger.
 */
export function allowedHost(listenHost: string, port: number, header: string | undefined): boolean {
  if (!header) return false;
  if (!isLoopback(listenHost)) return true; // the token guards it
  const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header.trim().toLowerCase());
  if (!m) return false;
  return isLoopback(m[1]!) && (m[2] === undefined ? port === 80 : Number(m[2]) === port);
}

/** The headers every answer carries: nothing from outside this server, nothing inline, no framing. */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};
