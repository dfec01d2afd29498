/**
 * Test support for the listener wire tests: a raw TCP client that reads exactly what comes back, a
 * `node:http` target that reports what it got, and raw-socket targets that misbehave on purpose.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import {
  connect,
  createServer as createNetServer,
  type AddressInfo,
  type Server as NetServer,
  type Socket,
} from 'node:net';

export const HOST = 'Host: wire.test\r\n';
const HEAD_END = Buffer.from('\r\n\r\n');
export const CRLF = Buffer.from('\r\n');
const READ_DEADLINE_MS = 10_000;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------------
// The raw client
// ---------------------------------------------------------------------------------------------------

/** A response as it came off the wire. */
export interface WireResponse {
  status: number;
  reason: string;
  /** The head exactly as received, status line to blank line. */
  head: string;
  fields: [string, string][];
  body: Buffer;
  /** Sizes of the chunks, when the body was chunked. */
  chunkSizes: number[];
}

/** Values of every field named `name` (case-insensitive), in order. */
export function fieldValues(res: Pick<WireResponse, 'fields'>, name: string): string[] {
  return res.fields.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
}

export function field(res: Pick<WireResponse, 'fields'>, name: string): string | undefined {
  return fieldValues(res, name)[0];
}

function parseResponseHead(head: string): Omit<WireResponse, 'body' | 'chunkSizes'> {
  const [statusLine = '', ...lines] = head.slice(0, -4).split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!m) throw new Error(`not a status line: ${JSON.stringify(statusLine)}`);
  const fields = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  return { status: Number(m[1]), reason: m[2]!, head, fields };
}

/**
 * A TCP connection to a listener: writes exact bytes, reads responses as they come. Reads wait with a
 * deadline and fail when the connection ends first; what was received stays queued until read.
 */
export class WireClient {
  private chunks: Buffer[] = [];
  private ended = false;
  private wake: (() => void) | undefined;
  /** The socket error, if the connection failed (ECONNRESET and the like). */
  error: Error | undefined;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.wake?.();
    });
    socket.on('end', () => this.markEnded());
    socket.on('error', (e) => {
      this.error = e;
      this.markEnded();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => (this.markEnded(), resolve())));
  }

  static open(port: number): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new WireClient(socket));
      });
    });
  }

  private markEnded(): void {
    this.ended = true;
    this.wake?.();
  }

  /** Writes `data` (a string is taken byte for byte, as latin1) and waits until the kernel has it. */
  write(data: string | Buffer): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    return new Promise((resolve, reject) => this.socket.write(bytes, (e) => (e ? reject(e) : resolve())));
  }

  /** Writes each piece separately, with a pause between, so that they reach the listener as separate reads. */
  async writeInPieces(pieces: (string | Buffer)[]): Promise<void> {
    for (const piece of pieces) {
      await this.write(piece);
      await sleep(15);
    }
  }

  private get queued(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  /** Waits for more bytes (or the end); throws if the connection had already ended or the deadline passes. */
  private async more(what: string, deadline: number): Promise<void> {
    if (this.ended) {
      const received = Buffer.concat(this.chunks).toString('latin1');
      throw new Error(
        `the connection ended while waiting for ${what} (${this.error?.message ?? 'clean end'}); queued: ${JSON.stringify(received.slice(0, 300))}`,
      );
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        reject(new Error(`timed out waiting for ${what}`));
      }, deadline - Date.now());
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  /** The next `n` queued bytes (there must be that many), copying no more than those. */
  private take(n: number): Buffer {
    const parts: Buffer[] = [];
    for (let need = n; need > 0;) {
      const first = this.chunks.shift()!;
      if (first.length > need) this.chunks.unshift(first.subarray(need));
      parts.push(first.subarray(0, need));
      need -= parts[parts.length - 1]!.length;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  /** Reads through the first `delimiter`, inclusive. */
  async readThrough(delimiter: Buffer, what: string, deadline = Date.now() + READ_DEADLINE_MS): Promise<Buffer> {
    for (;;) {
      // Merge chunks only as far as needed to find the delimiter: bodies queued behind stay as they are.
      while (this.chunks.length > 0) {
        const first = this.chunks[0]!;
        const at = first.indexOf(delimiter);
        if (at >= 0) {
          this.chunks[0] = first.subarray(at + delimiter.length);
          if (this.chunks[0].length === 0) this.chunks.shift();
          return first.subarray(0, at + delimiter.length);
        }
        if (this.chunks.length === 1) break;
        this.chunks.splice(0, 2, Buffer.concat([first, this.chunks[1]!]));
      }
      await this.more(what, deadline);
    }
  }

  async readExactly(n: number, what: string, deadline = Date.now() + READ_DEADLINE_MS): Promise<Buffer> {
    while (this.queued < n) await this.more(what, deadline);
    return this.take(n);
  }

  /** Passes the next `n` bytes to `sink` as they arrive, without keeping them. */
  async stream(n: number, sink: (piece: Buffer) => void, deadline = Date.now() + READ_DEADLINE_MS): Promise<void> {
    let remaining = n;
    while (remaining > 0) {
      const first = this.chunks.shift();
      if (!first) {
        await this.more(`${remaining} more body bytes`, deadline);
        continue;
      }
      const piece = first.subarray(0, remaining);
      if (piece.length < first.length) this.chunks.unshift(first.subarray(piece.length));
      remaining -= piece.length;
      sink(piece);
    }
  }

  /** Everything until the listener closes the connection. */
  async readToEnd(deadline = Date.now() + READ_DEADLINE_MS): Promise<Buffer> {
    while (!this.ended) await this.more('the end of the connection', deadline);
    return this.take(this.queued);
  }

  async readHead(): Promise<Omit<WireResponse, 'body' | 'chunkSizes'>> {
    return parseResponseHead((await this.readThrough(HEAD_END, 'a response head')).toString('latin1'));
  }

  /** Reads one response (an interim 1xx one too), framed as RFC 9112 says for a request with `method`. */
  async readResponse(method = 'GET'): Promise<WireResponse> {
    const head = await this.readHead();
    const bodiless = head.status < 200 || head.status === 204 || head.status === 304 || method === 'HEAD';
    if (bodiless) return { ...head, body: Buffer.alloc(0), chunkSizes: [] };
    if (field(head, 'transfer-encoding')?.toLowerCase() === 'chunked')
      return { ...head, ...(await this.readChunked()) };
    const length = field(head, 'content-length');
    if (length !== undefined)
      return { ...head, body: await this.readExactly(Number(length), 'the body'), chunkSizes: [] };
    return { ...head, body: await this.readToEnd(), chunkSizes: [] };
  }

  private async readChunked(): Promise<{ body: Buffer; chunkSizes: number[] }> {
    const parts: Buffer[] = [];
    const chunkSizes: number[] = [];
    for (;;) {
      const sizeLine = (await this.readThrough(CRLF, 'a chunk size')).toString('latin1');
      const size = parseInt(sizeLine.split(';')[0]!, 16);
      if (Number.isNaN(size)) throw new Error(`bad chunk size line ${JSON.stringify(sizeLine)}`);
      if (size === 0) break;
      chunkSizes.push(size);
      parts.push(await this.readExactly(size, 'chunk data'));
      const end = await this.readExactly(2, 'the CRLF after chunk data');
      if (!end.equals(CRLF)) throw new Error(`chunk data not followed by CRLF: ${JSON.stringify(end.toString())}`);
    }
    // Trailers, up to the blank line.
    while ((await this.readThrough(CRLF, 'a trailer line')).length > 2);
    return { body: Buffer.concat(parts), chunkSizes };
  }

  /** Waits for the listener to close the connection; returns whatever came that was not read. */
  async closedWithLeftover(): Promise<string> {
    const leftover = await this.readToEnd();
    await this.closed;
    return leftover.toString('latin1');
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\n${HOST}${extra}\r\n`;

// ---------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------

/** What the echo target reports about a request it got. */
export interface EchoReport {
  method: string;
  url: string;
  version: string;
  /** Header fields as the target received them, in order, names as sent. */
  headers: [string, string][];
  bytes: number;
  sha256: string;
  trailers: [string, string][];
  /** Which of the target's connections carried the request (1 = the first it accepted). */
  connection: number;
}

function pairs(raw: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < raw.length; i += 2) out.push([raw[i]!, raw[i + 1]!]);
  return out;
}

/** A prime-length pattern, so that the bytes of a long body depend on where they are in it. */
const PATTERN = Buffer.from(Array.from({ length: 65_521 }, (_, i) => (i * 31 + 7) % 251));

/** `n` bytes of the pattern, starting at absolute offset `from`. */
export function patternBytes(from: number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let filled = 0; filled < n;) {
    const at = (from + filled) % PATTERN.length;
    filled += PATTERN.copy(out, filled, at, Math.min(PATTERN.length, at + n - filled));
  }
  return out;
}

export function patternHash(total: number, piece = 65_536): string {
  const hash = createHash('sha256');
  for (let sent = 0; sent < total; sent += piece) hash.update(patternBytes(sent, Math.min(piece, total - sent)));
  return hash.digest('hex');
}

/** How far a `/big` response has got at the target. */
interface BigProgress {
  total: number;
  sent: number;
  waitingForDrain: boolean;
  finished: boolean;
}

/** A `node:http` target that records every request and connection it gets. */
export interface HttpTarget {
  server: HttpServer;
  port: number;
  /** Requests in arrival order; a report is filled in once the body has been read. */
  requests: EchoReport[];
  connections: number;
  /** Connections that have closed (either side). */
  closedConnections: number;
  /** Requests whose connection closed before their response was sent. */
  abortedRequests: number;
  big: BigProgress | undefined;
}

export const httpTargets: HttpTarget[] = [];

/**
 * Starts the echo target. Routes:
 * - `/echo…` (any method): the request as the target saw it, as JSON (`?delay=ms` waits first);
 * - `/stream?bytes=N&piece=M`: N pattern bytes in writes of M (chunked for HTTP/1.1, with backpressure);
 * - `/big?bytes=N`: N pattern bytes with a Content-Length, progress in `big`;
 * - `/resource`: `hello world` with its Content-Length, also for HEAD;
 * - `/status/204`, `/status/304`: those statuses (304 with a Content-Length, as RFC 9110 allows);
 * - `/hold`: never answers (the request body is read and counted).
 */
export async function startHttpTarget(options: { keepAliveTimeout?: number } = {}): Promise<HttpTarget> {
  const server = createHttpServer();
  if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
  const target: HttpTarget = {
    server,
    port: 0,
    requests: [],
    connections: 0,
    closedConnections: 0,
    abortedRequests: 0,
    big: undefined,
  };
  const connectionOf = new WeakMap<Socket, number>();
  server.on('connection', (socket: Socket) => {
    connectionOf.set(socket, ++target.connections);
    socket.on('close', () => target.closedConnections++);
  });
  server.on('request', (req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://target');
    const report: EchoReport = {
      method: req.method ?? '',
      url: req.url ?? '',
      version: req.httpVersion,
      headers: pairs(req.rawHeaders),
      bytes: 0,
      sha256: '',
      trailers: [],
      connection: connectionOf.get(req.socket) ?? 0,
    };
    target.requests.push(report);
    res.on('close', () => {
      if (!res.writableFinished) target.abortedRequests++;
    });
    const hash = createHash('sha256');
    req.on('data', (chunk: Buffer) => {
      report.bytes += chunk.length;
      hash.update(chunk);
    });
    req.on('end', () => {
      report.sha256 = hash.digest('hex');
      report.trailers = pairs(req.rawTrailers);
      const n = (name: string) => Number(url.searchParams.get(name) ?? 0);
      if (url.pathname === '/hold') return;
      if (url.pathname === '/stream') return void streamPattern(res, n('bytes'), n('piece'));
      if (url.pathname === '/big') return void sendBig(target, res, n('bytes'));
      if (url.pathname === '/resource') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '11' });
        return void res.end(req.method === 'HEAD' ? undefined : 'hello world');
      }
      if (url.pathname === '/status/204') return void res.writeHead(204, { 'x-status': '204' }).end();
      if (url.pathname === '/status/304')
        return void res.writeHead(304, { etag: '"v1"', 'content-length': '10' }).end();
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(report));
      }, n('delay'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  target.port = (server.address() as AddressInfo).port;
  httpTargets.push(target);
  return target;
}

async function streamPattern(res: ServerResponse, total: number, piece: number): Promise<void> {
  res.writeHead(200);
  for (let sent = 0; sent < total; sent += piece) {
    const ok = res.write(patternBytes(sent, Math.min(piece, total - sent)));
    // Yield between writes, so that the pieces go out as many separate writes.
    await (ok ? new Promise((resolve) => setImmediate(resolve)) : once(res, 'drain'));
  }
  res.end();
}

async function sendBig(target: HttpTarget, res: ServerResponse, total: number): Promise<void> {
  const progress: BigProgress = { total, sent: 0, waitingForDrain: false, finished: false };
  target.big = progress;
  res.writeHead(200, { 'content-length': String(total) });
  const piece = 65_536;
  while (progress.sent < total) {
    const n = Math.min(piece, total - progress.sent);
    const ok = res.write(patternBytes(progress.sent, n));
    progress.sent += n;
    if (!ok) {
      progress.waitingForDrain = true;
      await once(res, 'drain');
      progress.waitingForDrain = false;
    }
  }
  progress.finished = true;
  res.end();
}

/** A request head as a raw target saw it. */
interface RawRequest {
  line: string;
  method: string;
  path: string;
  /** 1 for the target's first connection, and so on. */
  connection: number;
  /** 0 for the first request on its connection. */
  indexOnConnection: number;
}

/** A target on raw sockets: `respond` gets each request head and writes whatever bytes it likes. */
export interface RawTarget {
  server: NetServer;
  port: number;
  requests: RawRequest[];
  connections: number;
  /** Sockets a handler kept open to act on later. */
  held: Socket[];
  sockets: Set<Socket>;
}

export const rawTargets: RawTarget[] = [];

export async function startRawTarget(respond: (request: RawRequest, socket: Socket, target: RawTarget) => void) {
  const target: RawTarget = {
    server: createNetServer(),
    port: 0,
    requests: [],
    connections: 0,
    held: [],
    sockets: new Set(),
  };
  target.server.on('connection', (socket: Socket) => {
    const connection = ++target.connections;
    target.sockets.add(socket);
    socket.on('close', () => target.sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    let skip = 0;
    let index = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (!socket.destroyed) {
        const dropped = Math.min(skip, buffered.length);
        buffered = buffered.subarray(dropped);
        skip -= dropped;
        const end = buffered.indexOf(HEAD_END);
        if (skip > 0 || end < 0) return;
        const head = buffered.subarray(0, end).toString('latin1');
        buffered = buffered.subarray(end + 4);
        skip = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        const line = head.split('\r\n')[0]!;
        const [method = '', path = ''] = line.split(' ');
        const request = { line, method, path, connection, indexOnConnection: index++ };
        target.requests.push(request);
        respond(request, socket, target);
      }
    });
  });
  await new Promise<void>((resolve) => target.server.listen(0, '127.0.0.1', resolve));
  target.port = (target.server.address() as AddressInfo).port;
  rawTargets.push(target);
  return target;
}

/** The misbehaving target: what it does depends on the path. */
export function misbehave(request: RawRequest, socket: Socket, target: RawTarget): void {
  switch (request.path) {
    case '/close-delimited':
      socket.write('HTTP/1.1 200 OK\r\n\r\n');
      socket.write('first part, ');
      setTimeout(() => socket.end('second part'), 20);
      return;
    case '/reset-before-response':
      return void socket.resetAndDestroy();
    case '/reset-mid-body':
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n${'x'.repeat(1000)}`);
      return void target.held.push(socket);
    case '/reset-mid-chunks':
      socket.write(`HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n${'y'.repeat(1000)}\r\n`);
      return void target.held.push(socket);
    case '/broken-chunks':
      // The head and a chunk size that is not hex, in one write.
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n');
      return void target.held.push(socket);
    case '/broken-chunks-later':
      socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
      return void target.held.push(socket);
    case '/early-hints':
      socket.end(
        'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n' +
          'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok',
      );
      return;
    case '/length-and-chunked':
      socket.write('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
      return void target.held.push(socket);
    case '/names-content-length':
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: content-length\r\n\r\nhello');
      return;
    default:
      socket.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
  }
}

/** Answers the first request on each connection (keep-alive), and drops the connection at the next one. */
export function dropOnReuse(request: RawRequest, socket: Socket): void {
  if (request.indexOnConnection > 0) return void socket.destroy();
  const body = `conn ${request.connection}`;
  socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}
