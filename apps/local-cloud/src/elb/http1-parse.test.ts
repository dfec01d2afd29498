import { describe, expect, it } from 'vitest';
import {
  ChunkedBodyScanner,
  findHeadEnd,
  HttpFramingError,
  parseRequestHead,
  parseResponseHead,
  type RequestHead,
  type ResponseHead,
} from './http1-parse';

function request(text: string): RequestHead {
  const buf = Buffer.from(text, 'latin1');
  const end = findHeadEnd(buf, 0, 'request');
  if (end < 0) throw new Error('incomplete head');
  return parseRequestHead(buf, 0, end);
}

function response(text: string, method = 'GET'): ResponseHead {
  const buf = Buffer.from(text, 'latin1');
  const end = findHeadEnd(buf, 0, 'response');
  if (end < 0) throw new Error('incomplete head');
  return parseResponseHead(buf, 0, end, method);
}

/** The status a refused request head gets, and why. */
function refusal(text: string): { status: number; message: string } {
  try {
    request(text);
  } catch (e) {
    if (e instanceof HttpFramingError) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error('accepted');
}

describe('request heads', () => {
  it('reads method, target, version, framing and keep-alive, and keeps end-to-end fields byte for byte', () => {
    const head = request(
      'POST /orders?x=1 HTTP/1.1\r\nHost: shop\r\nContent-Length: 12\r\nX-Custom:  spaced value \r\nCookie: a=b\r\n\r\n',
    );
    expect(head).toMatchObject({
      method: 'POST',
      target: '/orders?x=1',
      minor: 1,
      framing: 'length',
      contentLength: 12,
      keepAlive: true,
      forwardedFor: undefined,
    });
    expect(head.forwardFields).toBe('Host: shop\r\nContent-Length: 12\r\nX-Custom:  spaced value \r\nCookie: a=b\r\n');
    expect(head.headLength).toBe(Buffer.byteLength('POST /orders?x=1 HTTP/1.1\r\n') + head.forwardFields.length + 2);
  });

  it('drops hop-by-hop fields, the ones Connection names, and the X-Forwarded-* fields it sets itself', () => {
    const head = request(
      'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, X-Secret\r\nKeep-Alive: timeout=5\r\nUpgrade: websocket\r\n' +
        'TE: trailers\r\nProxy-Connection: x\r\nX-Secret: 1\r\nX-Forwarded-For: 203.0.113.1\r\nx-forwarded-for: 10.0.0.1\r\n' +
        'X-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nX-Amzn-Trace-Id: Root=1-2-3\r\nAccept: */*\r\n\r\n',
    );
    expect(head.forwardFields).toBe('Host: a\r\nAccept: */*\r\n');
    expect(head.forwardedFor).toBe('203.0.113.1, 10.0.0.1');
    expect(head.traceId).toBe('Root=1-2-3');
    expect(head.keepAlive).toBe(true);
  });

  it('keeps framing fields and Host even when Connection names them, so framing cannot be stripped', () => {
    const head = request(
      'POST / HTTP/1.1\r\nHost: a\r\nConnection: content-length, host, transfer-encoding\r\nContent-Length: 3\r\n\r\n',
    );
    expect(head.forwardFields).toBe('Host: a\r\nContent-Length: 3\r\n');
    expect(head.framing).toBe('length');
    const res = response('HTTP/1.1 200 OK\r\nConnection: Content-Length\r\nContent-Length: 5\r\n\r\n');
    expect(res.forwardFields).toBe('Content-Length: 5\r\n');
  });

  it('follows HTTP/1.0 and HTTP/1.1 connection defaults', () => {
    expect(request('GET / HTTP/1.0\r\n\r\n').keepAlive).toBe(false);
    expect(request('GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n').keepAlive).toBe(true);
    expect(request('GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n').keepAlive).toBe(false);
  });

  it('accepts chunked bodies, repeated identical Content-Lengths, and one leading empty line', () => {
    expect(request('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n').framing).toBe('chunked');
    expect(request('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\nContent-Length: 5\r\n\r\n')).toMatchObject({
      framing: 'length',
      contentLength: 5,
    });
    expect(request('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n').framing).toBe('none');
    expect(request('\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n').target).toBe('/');
  });

  it.each([
    ['both Content-Length and Transfer-Encoding', 'Content-Length: 5\r\nTransfer-Encoding: chunked', 400, /both/],
    ['conflicting Content-Lengths', 'Content-Length: 5\r\nContent-Length: 6', 400, /conflicting/],
    ['a Content-Length that is not a number', 'Content-Length: +5', 400, /invalid Content-Length/],
    ['a Content-Length with NBSP', 'Content-Length: 5\xa0', 400, /invalid Content-Length/],
    ['a coding other than chunked', 'Transfer-Encoding: gzip, chunked', 501, /unsupported/],
    ['obsolete line folding', 'X-A: 1\r\n  continued', 400, /folding/],
    ['whitespace before the colon', 'X-A : 1', 400, /malformed header line/],
    ['a control character in a value', 'X-A: 1\x01', 400, /control character/],
    ['a bare CR in a value', 'X-A: 1\r2', 400, /control character/],
    ['a name that is not a token', 'X(A): 1', 400, /malformed header line/],
  ])('refuses %s', (_what, fields, status, message) => {
    const refused = refusal(`POST / HTTP/1.1\r\nHost: a\r\n${fields}\r\n\r\n`);
    expect(refused.status).toBe(status);
    expect(refused.message).toMatch(message);
  });

  it('refuses a missing or doubled Host in HTTP/1.1, Transfer-Encoding in 1.0, other versions and bad request lines', () => {
    expect(refusal('GET / HTTP/1.1\r\n\r\n')).toEqual({ status: 400, message: 'missing Host header' });
    expect(refusal('GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n').message).toBe('more than one Host header');
    expect(refusal('POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n').status).toBe(400);
    expect(refusal('GET / HTTP/2.0\r\nHost: a\r\n\r\n').status).toBe(505);
    expect(refusal('GET  / HTTP/1.1\r\nHost: a\r\n\r\n').status).toBe(400);
    expect(refusal('GET /a b HTTP/1.1\r\nHost: a\r\n\r\n').status).toBe(400);
    expect(refusal('G@T / HTTP/1.1\r\nHost: a\r\n\r\n').status).toBe(400);
  });
});

describe('finding the end of a head', () => {
  it('waits for more bytes, then finds the blank line wherever the head starts', () => {
    const buf = Buffer.from('junkGET / HTTP/1.1\r\nHost: a\r\n\r\nbody');
    expect(findHeadEnd(buf.subarray(0, 20), 4, 'request')).toBe(-1);
    expect(findHeadEnd(buf, 4, 'request')).toBe(buf.length - 4);
  });

  it('refuses bare-LF heads at once and heads over 64 KiB', () => {
    expect(() => findHeadEnd(Buffer.from('GET / HTTP/1.1\nHost: a\n\n'), 0, 'request')).toThrow(/bare LF/);
    const huge = Buffer.from(`GET / HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(70_000)}`);
    expect(() => findHeadEnd(huge, 0, 'request')).toThrow(expect.objectContaining({ status: 400 }));
    expect(() => findHeadEnd(huge, 0, 'response')).toThrow(expect.objectContaining({ status: 502 }));
  });

  it('refuses a header line over 16 KiB', () => {
    expect(refusal(`GET / HTTP/1.1\r\nHost: a\r\nX-Long: ${'b'.repeat(17_000)}\r\n\r\n`).message).toMatch(/16 KiB/);
  });
});

describe('response heads', () => {
  it('frames by Content-Length, chunked, or the connection closing, and strips hop-by-hop fields', () => {
    const chunked = response(
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nConnection: keep-alive\r\nKeep-Alive: timeout=65\r\nTransfer-Encoding: chunked\r\n\r\n',
    );
    expect(chunked).toMatchObject({ status: 200, reason: 'OK', framing: 'chunked', keepAlive: true });
    expect(chunked.forwardFields).toBe('content-type: application/json\r\nTransfer-Encoding: chunked\r\n');
    expect(response('HTTP/1.1 201 Created\r\nContent-Length: 3\r\n\r\n')).toMatchObject({
      framing: 'length',
      contentLength: 3,
    });
    expect(response('HTTP/1.1 200 OK\r\n\r\n')).toMatchObject({ framing: 'close', keepAlive: false });
    expect(response('HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n').framing).toBe('close');
    expect(response('HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n').keepAlive).toBe(false);
    expect(response('HTTP/1.1 200\r\nContent-Length: 1\r\n\r\n').reason).toBe('');
  });

  it('knows which responses have no body: to HEAD, 1xx, 204 and 304', () => {
    expect(response('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n', 'HEAD').framing).toBe('none');
    expect(response('HTTP/1.1 100 Continue\r\n\r\n').framing).toBe('none');
    expect(response('HTTP/1.1 204 No Content\r\n\r\n').framing).toBe('none');
    expect(response('HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n').framing).toBe('none');
  });

  it('answers 502 for a target that frames ambiguously or speaks something else', () => {
    expect(() => response('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n')).toThrow(
      expect.objectContaining({ status: 502 }),
    );
    expect(() => response('HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n')).toThrow(
      expect.objectContaining({ status: 502 }),
    );
    expect(() => response('SSH-2.0-OpenSSH\r\n\r\n')).toThrow(expect.objectContaining({ status: 502 }));
  });
});

describe('chunked bodies', () => {
  const body = Buffer.from('5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: t\r\n\r\nNEXT');

  it('finds the end of the body however the reads split it', () => {
    const end = body.length - 4;
    for (let cut = 0; cut <= body.length; cut++) {
      const scanner = new ChunkedBodyScanner(400);
      const first = scanner.scan(body.subarray(0, cut), 0);
      if (first >= 0) {
        expect(first).toBe(end);
        continue;
      }
      expect(scanner.scan(body.subarray(cut), 0) + cut).toBe(end);
    }
  });

  it('works byte by byte, and from an offset', () => {
    const scanner = new ChunkedBodyScanner(400);
    let at = -1;
    for (let i = 0; i < body.length && at < 0; i++) at = scanner.scan(body.subarray(i, i + 1), 0) >= 0 ? i : -1;
    expect(at).toBe(body.length - 5);
    expect(scanner.done).toBe(true);
    const prefixed = Buffer.concat([Buffer.from('xyz'), body]);
    expect(new ChunkedBodyScanner(400).scan(prefixed, 3)).toBe(prefixed.length - 4);
  });

  it.each([
    ['a size that is not hex', 'zz\r\n'],
    ['a missing size', '\r\n'],
    ['space before CRLF', '5 \r\nhello\r\n0\r\n\r\n'],
    ['data longer than its size', '2\r\nhello\r\n0\r\n\r\n'],
    ['a bare LF after the size', '5\nhello\r\n0\r\n\r\n'],
    ['a size past 2^52', 'fffffffffffffff\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => new ChunkedBodyScanner(400).scan(Buffer.from(text), 0)).toThrow(HttpFramingError);
  });
});
