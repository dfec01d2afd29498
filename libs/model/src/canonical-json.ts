import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal content always hashes the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/**
 * The canonical JSON as UTF-8 bytes: what a signature covers. Canonical because object keys are
 * sorted (by UTF-16 code unit, as RFC 8785 sorts them) at every level, undefined members are dropped,
 * there is no whitespace, strings and numbers are written as ECMAScript's JSON.stringify writes them
 * (the serialisation RFC 8785 adopts), and the text is encoded as UTF-8. Numbers JSON cannot carry
 * exactly (NaN, ±Infinity, which JSON.stringify would silently turn into null) are refused, so that a
 * signed record never means something other than what was signed.
 */
export function canonicalJsonBytes(value: unknown): Uint8Array {
  assertJsonNumbers(value, '$');
  return new TextEncoder().encode(canonicalJson(value));
}

function assertJsonNumbers(value: unknown, path: string): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new TypeError(`canonical JSON: expected a finite number at ${path}, found ${value}`);
  }
  if (Array.isArray(value)) value.forEach((v, i) => assertJsonNumbers(v, `${path}[${i}]`));
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) assertJsonNumbers(v, `${path}.${k}`);
  }
}

/** sha256 hex of a string or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** sha256 hex of the canonical JSON of a value. */
export function contentHash(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}
