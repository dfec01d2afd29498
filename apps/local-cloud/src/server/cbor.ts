import { AwsError } from '../contract';

/**
 * The part of CBOR (RFC 8949) that Smithy RPC v2 CBOR uses: integers, floats, byte and text strings, arrays, maps
 * with text keys, booleans, null, and tag 1 (epoch-seconds timestamps, decoded to Date). Definite and indefinite
 * lengths are read; definite lengths are written.
 */
export function decodeCbor(bytes: Uint8Array): unknown {
  const reader = { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at: 0 };
  const value = readItem(reader);
  if (value === BREAK) throw malformed('unexpected break');
  if (reader.at !== bytes.length) throw malformed(`${bytes.length - reader.at} bytes after the top-level item`);
  return value;
}

/** Encodes a plain value: undefined members of objects are left out, Dates become tag 1 with epoch seconds. */
export function encodeCbor(value: unknown): Buffer {
  const chunks: Buffer[] = [];
  writeItem(chunks, value);
  return Buffer.concat(chunks);
}

interface Reader {
  bytes: Uint8Array;
  view: DataView;
  at: number;
}

const BREAK = Symbol('break');

function malformed(why: string): AwsError {
  return new AwsError('SerializationException', `The request body is not valid CBOR: ${why}.`);
}

function need(r: Reader, n: number): void {
  if (r.at + n > r.bytes.length) throw malformed('it ends in the middle of an item');
}

// Additional information 24..27 says the argument follows in 1, 2, 4 or 8 bytes: where they start, and how many.
function take(r: Reader, info: number, otherwise: string): [number, number] {
  const size = info >= 24 && info <= 27 ? 2 ** (info - 24) : 0;
  if (size === 0) throw malformed(`${otherwise} ${info}`);
  need(r, size);
  r.at += size;
  return [r.at - size, size];
}

// The argument of a head: the count, length or value its additional information says; undefined for indefinite.
function readArgument(r: Reader, info: number): number | undefined {
  if (info < 24) return info;
  if (info === 31) return undefined;
  const [at, size] = take(r, info, 'reserved additional information');
  if (size === 1) return r.view.getUint8(at);
  if (size === 2) return r.view.getUint16(at);
  if (size === 4) return r.view.getUint32(at);
  const big = r.view.getBigUint64(at);
  if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('an integer beyond 2^53');
  return Number(big);
}

function readItem(r: Reader): unknown {
  need(r, 1);
  const head = r.view.getUint8(r.at++);
  const major = head >> 5;
  const info = head & 31;
  if (major === 7) return readSimple(r, info);
  const arg = readArgument(r, info);
  switch (major) {
    case 0:
      return definite(arg);
    case 1:
      return -1 - definite(arg);
    case 2:
    case 3: {
      const bytes = arg === undefined ? readChunks(r, major) : readBytes(r, arg);
      return major === 2 ? bytes : bytes.toString('utf8');
    }
    case 4: {
      const items: unknown[] = [];
      for (let i = 0; arg === undefined || i < arg; i++) {
        const item = readItem(r);
        if (item === BREAK && arg === undefined) break;
        if (item === BREAK) throw malformed('unexpected break');
        items.push(item);
      }
      return items;
    }
    case 5: {
      const map: Record<string, unknown> = {};
      for (let i = 0; arg === undefined || i < arg; i++) {
        const key = readItem(r);
        if (key === BREAK && arg === undefined) break;
        if (typeof key !== 'string') throw malformed('a map key that is not a text string');
        const value = readItem(r);
        if (value === BREAK) throw malformed('unexpected break');
        Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
      }
      return map;
    }
    default: {
      const inner = readItem(r);
      if (definite(arg) === 1 && typeof inner === 'number') return new Date(inner * 1000);
      return inner;
    }
  }
}

function definite(arg: number | undefined): number {
  if (arg === undefined) throw malformed('an indefinite length on an integer or tag');
  return arg;
}

function readBytes(r: Reader, length: number): Buffer {
  need(r, length);
  const bytes = Buffer.from(r.bytes.subarray(r.at, r.at + length));
  r.at += length;
  return bytes;
}

function readChunks(r: Reader, major: number): Buffer {
  const chunks: Buffer[] = [];
  for (;;) {
    need(r, 1);
    const head = r.view.getUint8(r.at++);
    if (head === 0xff) return Buffer.concat(chunks);
    if (head >> 5 !== major) throw malformed('a chunk of another type inside an indefinite string');
    chunks.push(readBytes(r, definite(readArgument(r, head & 31))));
  }
}

function readSimple(r: Reader, info: number): unknown {
  if (info === 20) return false;
  if (info === 21) return true;
  if (info === 22 || info === 23) return null;
  if (info === 31) return BREAK;
  const [at, size] = take(r, info, 'unsupported simple value');
  if (size === 1) throw malformed(`unsupported simple value ${info}`);
  if (size === 4) return r.view.getFloat32(at);
  if (size === 8) return r.view.getFloat64(at);
  return halfFloat(r.view.getUint16(at));
}

function halfFloat(bits: number): number {
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  const sign = bits & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function writeHead(chunks: Buffer[], major: number, n: number): void {
  const m = major << 5;
  if (n < 24) chunks.push(Buffer.of(m | n));
  else if (n < 0x100) chunks.push(Buffer.of(m | 24, n));
  else if (n < 0x10000) chunks.push(Buffer.of(m | 25, n >> 8, n & 0xff));
  else if (n < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = m | 26;
    b.writeUInt32BE(n, 1);
    chunks.push(b);
  } else {
    const b = Buffer.alloc(9);
    b[0] = m | 27;
    b.writeBigUInt64BE(BigInt(n), 1);
    chunks.push(b);
  }
}

function writeNumber(chunks: Buffer[], n: number): void {
  if (Number.isSafeInteger(n)) return n >= 0 ? writeHead(chunks, 0, n) : writeHead(chunks, 1, -1 - n);
  const b = Buffer.alloc(9);
  b[0] = 0xfb;
  b.writeDoubleBE(n, 1);
  chunks.push(b);
}

function writeItem(chunks: Buffer[], value: unknown): void {
  if (value === null || value === undefined) return void chunks.push(Buffer.of(0xf6));
  if (typeof value === 'boolean') return void chunks.push(Buffer.of(value ? 0xf5 : 0xf4));
  if (typeof value === 'number') return writeNumber(chunks, value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    writeHead(chunks, 3, bytes.length);
    return void chunks.push(bytes);
  }
  if (value instanceof Date) {
    chunks.push(Buffer.of(0xc1));
    return writeNumber(chunks, value.getTime() / 1000);
  }
  if (value instanceof Uint8Array) {
    writeHead(chunks, 2, value.length);
    return void chunks.push(Buffer.from(value));
  }
  if (Array.isArray(value)) {
    writeHead(chunks, 4, value.length);
    for (const item of value) writeItem(chunks, item);
    return;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  writeHead(chunks, 5, entries.length);
  for (const [key, v] of entries) {
    writeItem(chunks, key);
    writeItem(chunks, v);
  }
}
