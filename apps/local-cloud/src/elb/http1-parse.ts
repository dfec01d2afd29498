/**
 * HTTP/1.1 message framing for the listener proxy (RFC 9112): request and response heads, and where
 * a chunked body ends. The proxy forwards bodies byte for byte, so it only needs to know where each
 * message stops; it never decodes them.
 *
 * Parsing is strict on purpose, like an ALB in its `strictest` desync-mitigation mode: anything that
 * two HTTP implementations could frame differently (both Content-Length and Transfer-Encoding,
 * differing Content-Lengths, obsolete line folding, whitespace before a colon, bare LF) is refused
 * rather than guessed at, so a request cannot be smuggled past the listener to a target.
 */

/** A message the listener refuses, with the status an ALB answers it with. */
export class HttpFramingError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 501 | 502 | 505 = 400,
  ) {
    super(message);
    this.name = 'HttpFramingError';
  }
}

/** How a message's body is delimited. */
export type BodyFraming = 'none' | 'length' | 'chunked' | 'close';

interface HeadCommon {
  /** Minor version of HTTP/1.x: 0 or 1. */
  minor: 0 | 1;
  /**
   * The header lines the listener passes on, exactly as received, each ending in CRLF: every field but
   * the hop-by-hop ones (RFC 9110 7.6.1, and any the Connection header names) and, in a request, the
   * X-Forwarded-* and X-Amzn-Trace-Id fields that the listener sets itself.
   */
  forwardFields: string;
  framing: BodyFraming;
  /** Body length when `framing` is `length`. */
  contentLength: number;
  /** Whether the sender lets the connection stay open after this message. */
  keepAlive: boolean;
  /** Bytes the head takes, including the blank line that ends it. */
  headLength: number;
}

/** A parsed request head. */
export interface RequestHead extends HeadCommon {
  method: string;
  target: string;
  /** The X-Forwarded-For values the client sent, joined with ", "; undefined when it sent none. */
  forwardedFor: string | undefined;
  /** The X-Amzn-Trace-Id the client sent, if any (the listener forwards it updated). */
  traceId: string | undefined;
}

/** A parsed response head. */
export interface ResponseHead extends HeadCommon {
  status: number;
  reason: string;
}

/** ALB's limits: 64 KiB for a whole head, 16 KiB for the request line or any one header line. */
export const MAX_HEAD_BYTES = 64 * 1024;
export const MAX_LINE_BYTES = 16 * 1024;

const CRLFCRLF = Buffer.from('\r\n\r\n');
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e]+) HTTP\/1\.([01])$/;
const ANY_VERSION = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+ [\x21-\x7e]+ HTTP\/\d\.\d$/;
const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: ([\t\x20-\x7e\x80-\xff]*))?$/;
// A whole header block in one pass: token names, a colon right after, values of visible characters,
// spaces, tabs and obs-text, CRLF after each line. Sticky, so it runs on the head text in place.
const FIELD_BLOCK = /(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+:[\t\x20-\x7e\x80-\xff]*\r\n)*/y;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const DIGITS = /^\d{1,15}$/;

/**
 * Finds where the head at `start` ends. Returns the index just past its blank line, or -1 when more
 * bytes are needed. Throws when the head grows past the limit or uses bare LF line endings.
 */
export function findHeadEnd(buf: Buffer, start: number, what: 'request' | 'response'): number {
  const end = buf.indexOf(CRLFCRLF, start);
  const limitStatus = what === 'request' ? 400 : 502;
  if (end >= 0) {
    if (end - start > MAX_HEAD_BYTES) throw new HttpFramingError(`${what} head is over 64 KiB`, limitStatus);
    return end + 4;
  }
  if (buf.length - start > MAX_HEAD_BYTES) throw new HttpFramingError(`${what} head is over 64 KiB`, limitStatus);
  // A head ended by bare LFs would never show CRLFCRLF: refuse it now instead of waiting for the limit.
  const lflf = buf.indexOf('\n\n', start, 'latin1');
  if (lflf >= 0) throw new HttpFramingError(`${what} head uses bare LF line endings`, limitStatus);
  return -1;
}

/** Parses the request head in `buf[start, end)` (`end` from `findHeadEnd`). Throws `HttpFramingError`. */
export function parseRequestHead(buf: Buffer, start: number, end: number): RequestHead {
  // latin1 maps each byte to one char, so bytes pass through unchanged when written back the same way.
  const text = buf.toString('latin1', start, end - 2);
  let from = 0;
  // RFC 9112 2.2: a server should ignore at least one empty line before a request line.
  while (text.startsWith('\r\n', from)) from += 2;
  const lineEnd = text.indexOf('\r\n', from);
  const requestLine = text.slice(from, lineEnd);
  const m = REQUEST_LINE.exec(requestLine);
  if (!m) {
    if (ANY_VERSION.test(requestLine)) throw new HttpFramingError('HTTP version not supported', 505);
    if (requestLine.length > MAX_LINE_BYTES) throw new HttpFramingError('the request line is over 16 KiB', 400);
    throw new HttpFramingError('malformed request line', 400);
  }
  const minor = m[3] === '1' ? 1 : 0;
  const fields = scanFields(text, lineEnd + 2, 400, true);
  if (minor === 1 && fields.hostCount !== 1)
    throw new HttpFramingError(fields.hostCount === 0 ? 'missing Host header' : 'more than one Host header', 400);
  let framing: BodyFraming = 'none';
  if (fields.transferEncoding !== undefined) {
    if (fields.contentLength !== undefined)
      throw new HttpFramingError('both Content-Length and Transfer-Encoding', 400);
    if (minor === 0) throw new HttpFramingError('Transfer-Encoding in an HTTP/1.0 request', 400);
    if (fields.transferEncoding.toLowerCase() !== 'chunked')
      throw new HttpFramingError(`unsupported Transfer-Encoding "${fields.transferEncoding}"`, 501);
    framing = 'chunked';
  } else if (fields.contentLength !== undefined && fields.contentLength > 0) {
    framing = 'length';
  }
  return {
    method: m[1]!,
    target: m[2]!,
    minor,
    forwardFields: fields.forward,
    forwardedFor: fields.forwardedFor,
    traceId: fields.traceId,
    framing,
    contentLength: fields.contentLength ?? 0,
    keepAlive: keepsAlive(minor, fields.connectionTokens),
    headLength: end - start,
  };
}

/**
 * Parses the response head in `buf[start, end)` to a request with `requestMethod`. Throws
 * `HttpFramingError` with status 502: a target that answers nonsense is a bad gateway.
 */
export function parseResponseHead(buf: Buffer, start: number, end: number, requestMethod: string): ResponseHead {
  const text = buf.toString('latin1', start, end - 2);
  const lineEnd = text.indexOf('\r\n');
  const m = STATUS_LINE.exec(text.slice(0, lineEnd));
  if (!m) throw new HttpFramingError('malformed status line from the target', 502);
  const minor = m[1] === '1' ? 1 : 0;
  const status = Number(m[2]);
  const fields = scanFields(text, lineEnd + 2, 502, false);
  let framing: BodyFraming;
  if (requestMethod === 'HEAD' || status < 200 || status === 204 || status === 304) framing = 'none';
  else if (fields.transferEncoding !== undefined) {
    if (fields.contentLength !== undefined)
      throw new HttpFramingError('target sent both Content-Length and Transfer-Encoding', 502);
    // RFC 9112 6.3: chunked must be the final coding; any other coding is read until the connection closes.
    const codings = fields.transferEncoding.toLowerCase();
    const last = codings.includes(',') ? trimOws(codings.slice(codings.lastIndexOf(',') + 1)) : codings;
    framing = last === 'chunked' ? 'chunked' : 'close';
  } else if (fields.contentLength !== undefined) framing = fields.contentLength > 0 ? 'length' : 'none';
  else framing = 'close';
  return {
    status,
    reason: m[3] ?? '',
    minor,
    forwardFields: fields.forward,
    framing,
    contentLength: fields.contentLength ?? 0,
    keepAlive: framing !== 'close' && keepsAlive(minor, fields.connectionTokens),
    headLength: end - start,
  };
}

interface Fields {
  forward: string;
  forwardedFor: string | undefined;
  traceId: string | undefined;
  contentLength: number | undefined;
  transferEncoding: string | undefined;
  connectionTokens: string[];
  hostCount: number;
}

// By name length, whether a field may be one the scan must look at; any other is passed on unread.
const NOTABLE = [2, 4, 7, 10, 14, 15, 16, 17, 19].reduce<boolean[]>((table, n) => ((table[n] = true), table), []);

const enum Kind {
  Other,
  /** Read, and forwarded. */
  Framing,
  /** Read, and not forwarded. */
  Dropped,
}

// What the scan does with a field, by lower-cased name. Hop-by-hop fields (RFC 9110 7.6.1) are dropped;
// Transfer-Encoding is not among them here, since chunked bodies pass through as they are. A switch
// rather than Set lookups: it compares the fresh lower-cased name without hashing it.
function fieldKind(name: string, request: boolean): Kind {
  switch (name) {
    case 'host':
    case 'content-length':
    case 'transfer-encoding':
      return Kind.Framing;
    case 'connection':
    case 'keep-alive':
    case 'proxy-connection':
    case 'te':
    case 'upgrade':
    case 'proxy-authorization':
      return Kind.Dropped;
    case 'x-forwarded-for':
    case 'x-forwarded-proto':
    case 'x-forwarded-port':
    case 'x-amzn-trace-id':
      return request ? Kind.Dropped : Kind.Other;
    default:
      return Kind.Other;
  }
}

/**
 * Reads the header block of `text` from `from` (each line ending CRLF) in one pass: validates it,
 * picks out the fields that frame the message, and keeps the rest, untouched, for forwarding.
 */
function scanFields(text: string, from: number, status: 400 | 502, request: boolean): Fields {
  FIELD_BLOCK.lastIndex = from;
  if (!FIELD_BLOCK.test(text) || FIELD_BLOCK.lastIndex !== text.length) failField(text, from, status);
  const checkLines = text.length - from > MAX_LINE_BYTES;
  const fields: Fields = {
    forward: '',
    forwardedFor: undefined,
    traceId: undefined,
    contentLength: undefined,
    transferEncoding: undefined,
    connectionTokens: [],
    hostCount: 0,
  };
  let keptFrom = from;
  let pos = from;
  while (pos < text.length) {
    const eol = text.indexOf('\r\n', pos);
    if (checkLines && eol - pos > MAX_LINE_BYTES) throw new HttpFramingError('a header line is over 16 KiB', status);
    const colon = text.indexOf(':', pos);
    const length = colon - pos;
    if (length < NOTABLE.length && NOTABLE[length]) {
      const name = text.slice(pos, colon).toLowerCase();
      const kind = fieldKind(name, request);
      if (kind !== Kind.Other) noteField(fields, name, trimOws(text.slice(colon + 1, eol)), status);
      const drop = kind === Kind.Dropped;
      if (drop) {
        fields.forward += text.slice(keptFrom, pos);
        keptFrom = eol + 2;
      }
    }
    pos = eol + 2;
  }
  fields.forward += text.slice(keptFrom);
  // Connection may not take away the fields that frame the message or name its host: dropping them
  // while framing by them would let a request be smuggled, or leave a response without an end.
  const named = fields.connectionTokens.length > 0 ? namedFields(fields.connectionTokens, request) : undefined;
  if (named) fields.forward = withoutFields(fields.forward, named);
  return fields;
}

// The fields Connection names for dropping. Tokens naming fields the scan reads (hop-by-hop ones are
// dropped anyway) are ignored, as is "close".
function namedFields(tokens: string[], request: boolean): string[] | undefined {
  let named: string[] | undefined;
  for (const token of tokens)
    if (token !== 'close' && fieldKind(token, request) === Kind.Other) (named ??= []).push(token);
  return named;
}

function noteField(fields: Fields, name: string, value: string, status: 400 | 502): void {
  switch (name) {
    case 'host':
      fields.hostCount++;
      break;
    case 'connection':
      if (!value.includes(',')) {
        if (value) fields.connectionTokens.push(value.toLowerCase());
        break;
      }
      for (const token of value.split(',')) {
        const t = trimOws(token).toLowerCase();
        if (t) fields.connectionTokens.push(t);
      }
      break;
    case 'content-length':
      fields.contentLength = mergeLength(fields.contentLength, value, status);
      break;
    case 'transfer-encoding':
      fields.transferEncoding = fields.transferEncoding === undefined ? value : `${fields.transferEncoding}, ${value}`;
      break;
    case 'x-forwarded-for':
      fields.forwardedFor = fields.forwardedFor === undefined ? value : `${fields.forwardedFor}, ${value}`;
      break;
    case 'x-amzn-trace-id':
      fields.traceId = value;
      break;
  }
}

// Fields the Connection header names are hop-by-hop for this message too (rare, so a second pass is fine).
function withoutFields(block: string, names: string[]): string {
  return block
    .split('\r\n')
    .filter((line) => line !== '' && !names.includes(line.slice(0, line.indexOf(':')).toLowerCase()))
    .map((line) => `${line}\r\n`)
    .join('');
}

// Explains why a header block failed validation: the first line at fault and what is wrong with it.
function failField(text: string, from: number, status: 400 | 502): never {
  for (let pos = from; pos < text.length;) {
    const eol = text.indexOf('\r\n', pos);
    const line = text.slice(pos, eol < 0 ? text.length : eol);
    if (line.startsWith(' ') || line.startsWith('\t'))
      throw new HttpFramingError('obsolete line folding in a header', status);
    const colon = line.indexOf(':');
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon)))
      throw new HttpFramingError(`malformed header line "${line.slice(0, 40)}"`, status);
    if (CONTROL.test(line) || eol < 0)
      throw new HttpFramingError(`a control character, bare CR or bare LF in header ${line.slice(0, colon)}`, status);
    pos = eol + 2;
  }
  throw new HttpFramingError('malformed header block', status);
}

// Repeated Content-Length fields (or a list in one) are accepted only when they all agree (RFC 9110 8.6).
function mergeLength(prior: number | undefined, value: string, status: 400 | 502): number {
  let length = prior;
  for (const part of value.split(',')) {
    const digits = trimOws(part);
    if (!DIGITS.test(digits)) throw new HttpFramingError(`invalid Content-Length "${value}"`, status);
    const n = Number(digits);
    if (length !== undefined && length !== n) throw new HttpFramingError('conflicting Content-Length values', status);
    length = n;
  }
  return length!;
}

// Optional whitespace is spaces and tabs only (RFC 9110 5.6.3); String.trim would also take NBSP and more.
function trimOws(value: string): string {
  let from = 0;
  let to = value.length;
  while (from < to && (value.charCodeAt(from) === 0x20 || value.charCodeAt(from) === 0x09)) from++;
  while (to > from && (value.charCodeAt(to - 1) === 0x20 || value.charCodeAt(to - 1) === 0x09)) to--;
  return from === 0 && to === value.length ? value : value.slice(from, to);
}

function keepsAlive(minor: 0 | 1, tokens: string[]): boolean {
  if (tokens.includes('close')) return false;
  return minor === 1 || tokens.includes('keep-alive');
}

const enum Chunk {
  Size,
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  Trailer,
  TrailerLf,
  EndLf,
  Done,
}

/**
 * Follows a chunked body through the bytes that carry it, wherever the reads split them, to find
 * where it ends. `scan` returns the index just past the end of the body, or -1 when it needs more.
 */
export class ChunkedBodyScanner {
  private state = Chunk.Size;
  private size = 0;
  private digits = 0;
  private remaining = 0;
  private trailerBytes = 0;

  constructor(private readonly errorStatus: 400 | 502) {}

  /** Whether the final chunk and trailers have been seen. */
  get done(): boolean {
    return this.state === Chunk.Done;
  }

  scan(buf: Buffer, start: number): number {
    let i = start;
    const n = buf.length;
    while (i < n) {
      switch (this.state) {
        case Chunk.Data: {
          const take = Math.min(this.remaining, n - i);
          this.remaining -= take;
          i += take;
          if (this.remaining === 0) this.state = Chunk.DataCr;
          continue;
        }
        case Chunk.Size: {
          const c = buf[i]!;
          const hex = hexValue(c);
          if (hex >= 0) {
            if (++this.digits > 13) this.fail('chunk size is too large');
            this.size = this.size * 16 + hex;
          } else if (this.digits === 0) this.fail('chunk size expected');
          else if (c === 0x3b /* ; */) this.state = Chunk.Extension;
          else if (c === 0x0d) this.state = Chunk.SizeLf;
          else this.fail('invalid character in chunk size');
          break;
        }
        case Chunk.Extension: {
          const c = buf[i]!;
          if (c === 0x0d) this.state = Chunk.SizeLf;
          else if (c === 0x0a || (c < 0x20 && c !== 0x09) || c === 0x7f) this.fail('invalid chunk extension');
          break;
        }
        case Chunk.SizeLf:
          if (buf[i] !== 0x0a) this.fail('chunk size line must end with CRLF');
          if (this.size === 0) this.state = Chunk.TrailerStart;
          else {
            this.remaining = this.size;
            this.state = Chunk.Data;
          }
          this.size = 0;
          this.digits = 0;
          break;
        case Chunk.DataCr:
          if (buf[i] !== 0x0d) this.fail('chunk data must end with CRLF');
          this.state = Chunk.DataLf;
          break;
        case Chunk.DataLf:
          if (buf[i] !== 0x0a) this.fail('chunk data must end with CRLF');
          this.state = Chunk.Size;
          break;
        case Chunk.TrailerStart:
          if (buf[i] === 0x0d) this.state = Chunk.EndLf;
          else {
            this.state = Chunk.Trailer;
            continue;
          }
          break;
        case Chunk.Trailer: {
          const c = buf[i]!;
          if (++this.trailerBytes > MAX_HEAD_BYTES) this.fail('trailers are over 64 KiB');
          if (c === 0x0d) this.state = Chunk.TrailerLf;
          else if (c === 0x0a || c === 0) this.fail('invalid trailer line');
          break;
        }
        case Chunk.TrailerLf:
          if (buf[i] !== 0x0a) this.fail('trailer line must end with CRLF');
          this.state = Chunk.TrailerStart;
          break;
        case Chunk.EndLf:
          if (buf[i] !== 0x0a) this.fail('chunked body must end with CRLF');
          this.state = Chunk.Done;
          return i + 1;
        case Chunk.Done:
          return i;
      }
      i++;
    }
    return this.state === Chunk.Done ? i : -1;
  }

  private fail(message: string): never {
    throw new HttpFramingError(message, this.errorStatus);
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}
