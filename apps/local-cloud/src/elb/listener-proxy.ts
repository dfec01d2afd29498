import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import {
  ChunkedBodyScanner,
  findHeadEnd,
  HttpFramingError,
  MAX_HEAD_BYTES,
  parseRequestHead,
  parseResponseHead,
  type RequestHead,
  type ResponseHead,
} from './http1-parse';
import { albErrorResponse, clientResponseHead, upstreamRequestHead } from './listener-messages';
import type { Target } from './model';
import type { UpstreamConnection, UpstreamHandler } from './upstream-pool';

/** Picks where one request goes: a target, or the status an ALB answers when there is none. */
export type RoutePicker = (head: RequestHead) => { target: Target } | { status: 503 };

/** A running listener server. */
export interface ListenerServer {
  localPort: number;
  close(): Promise<void>;
}

/** Listener settings beyond where it listens. */
export interface ListenerServerOptions {
  /**
   * ALB's connection idle timeout (default 60 s): a connection on which nothing moves either way for
   * this long is closed, and a request whose target sent nothing in that time is answered 504.
   */
  idleTimeoutMs?: number;
}

// Idle connections are found by one sweep per listener, not a socket timeout each (that is re-armed
// on every read and write, which costs measurably at tens of thousands of requests a second).
const SWEEP_MS = 1_000;
// Requests safe to send again when a reused connection turns out to have been closed by the target.
const RETRYABLE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);
// A response head and body that fit in one read go out in one write up to this size.
const COALESCE_BYTES = 64 * 1024;

/**
 * Starts an HTTP/1.1 listener on `host:port` (falling back to a free port when that one is taken or
 * privileged) that forwards each request to the target `pick` chooses for it. Bodies stream both
 * ways with backpressure and pass through byte for byte; connections to targets are kept alive.
 *
 * It works on sockets rather than through `node:http` for throughput: in the local-cloud bench a bare
 * `node:http` reverse proxy manages less than half of what this listener does, and only about a
 * quarter of what the task serves directly.
 */
export async function startListenerServer(
  host: string,
  port: number,
  listenerPort: number,
  pick: RoutePicker,
  options: ListenerServerOptions = {},
): Promise<ListenerServer> {
  const idleSweeps = Math.max(1, Math.ceil((options.idleTimeoutMs ?? 60_000) / SWEEP_MS));
  const sweepMs = Math.min(SWEEP_MS, options.idleTimeoutMs ?? SWEEP_MS);
  const connections = new Set<ProxiedConnection>();
  const context: ConnectionContext = { listenerPort, pick, traceId: traceIds() };
  // Half-open allowed: a client may send FIN after its request and still wait for the response.
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    const connection = new ProxiedConnection(socket, context);
    connections.add(connection);
    socket.once('close', () => connections.delete(connection));
  });
  const sweeper = setInterval(() => {
    for (const connection of connections) connection.sweep(idleSweeps);
  }, sweepMs).unref();
  const listen = (p: number) =>
    new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      server.once('error', onError);
      server.listen(p, host, () => {
        server.off('error', onError);
        resolve();
      });
    });
  try {
    await listen(port);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw e;
    await listen(0);
  }
  return {
    localPort: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(sweeper);
        server.close(() => resolve());
        for (const connection of connections) connection.destroy();
      }),
  };
}

/** What every connection of one listener shares. */
interface ConnectionContext {
  /** The port as CreateListener gave it (X-Forwarded-Port). */
  listenerPort: number;
  pick: RoutePicker;
  /** A new trace id for X-Amzn-Trace-Id. */
  traceId: () => string;
}

/**
 * Trace ids as an ALB makes them, `1-<epoch seconds in 8 hex>-<24 hex>`: a random prefix per listener
 * and a counter, which is unique without drawing random bytes for every request.
 */
function traceIds(): () => string {
  const prefix = randomBytes(6).toString('hex');
  let count = 0;
  let second = 0;
  let epochHex = '';
  return () => {
    const now = Math.floor(Date.now() / 1000);
    if (now !== second) {
      second = now;
      epochHex = now.toString(16).padStart(8, '0');
    }
    count = (count + 1) % 0x1000000000000;
    return `1-${epochHex}-${prefix}${count.toString(16).padStart(12, '0')}`;
  };
}

/**
 * One client connection: requests are read one at a time (pipelined ones wait in `pending`), each
 * forwarded to a target over a pooled connection, and its response relayed back before the next.
 */
class ProxiedConnection implements UpstreamHandler {
  private readonly clientAddress: string;
  /** Client bytes not yet consumed: a partial head, or requests pipelined behind the current one. */
  private pending: Buffer | undefined;
  private closing = false;

  // The exchange in flight, if any.
  private request: RequestHead | undefined;
  private target: Target | undefined;
  private upstream: UpstreamConnection | undefined;
  private upstreamHead = '';
  private requestDone = false;
  private requestRemaining = 0;
  private requestScanner: ChunkedBodyScanner | undefined;
  private retried = false;
  private reusedUpstream = false;
  /** The client sent FIN: answer what it asked, then close. */
  private clientEnded = false;
  private responseHeadBytes: Buffer | undefined;
  private response: ResponseHead | undefined;
  private responseRemaining = 0;
  private responseScanner: ChunkedBodyScanner | undefined;
  private clientKeepAlive = false;
  private sentToClient = false;
  /** Whether bytes moved since the last idle sweep, and how many sweeps found none. */
  private touched = true;
  private quietSweeps = 0;

  constructor(
    private readonly client: Socket,
    private readonly context: ConnectionContext,
  ) {
    this.clientAddress = client.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
    client.on('data', (chunk: Buffer) => this.onClientData(chunk));
    client.on('drain', () => this.upstream?.socket.resume());
    client.on('end', () => {
      this.clientEnded = true;
      if (!this.request) this.client.end();
      // A body cut off by FIN can never be completed: give up on the request as if the client had gone.
      else if (!this.requestDone) this.destroy();
    });
    client.on('error', () => {});
    client.on('close', () => this.onClientClose());
  }

  /** Called by the listener's sweep: closes the connection, or times out its request, once idle too long. */
  sweep(idleSweeps: number): void {
    if (this.touched) {
      this.touched = false;
      this.quietSweeps = 0;
      return;
    }
    if (++this.quietSweeps < idleSweeps) return;
    // ALB answers 504 when the target sent nothing within the idle timeout; otherwise the connection just goes.
    if (this.request && !this.sentToClient) return this.upstreamFailed(504);
    this.destroy();
  }

  destroy(): void {
    this.closing = true;
    this.client.destroy();
  }

  private onClientData(chunk: Buffer): void {
    this.touched = true;
    if (this.closing) return;
    let rest: Buffer | undefined = chunk;
    if (this.request && !this.requestDone) {
      const used = this.forwardRequestBody(chunk);
      rest = used < chunk.length ? chunk.subarray(used) : undefined;
    }
    if (!rest) return;
    this.pending = this.pending ? Buffer.concat([this.pending, rest]) : rest;
    if (this.request) {
      // Pipelined requests wait for the current response; stop reading if they pile up.
      if (this.pending.length > MAX_HEAD_BYTES) this.client.pause();
      return;
    }
    this.startNext();
  }

  /** Starts the next buffered request, if a whole head has arrived. */
  private startNext(): void {
    const buf = this.pending;
    if (!buf || this.closing) return;
    let head: RequestHead;
    try {
      const end = findHeadEnd(buf, 0, 'request');
      if (end < 0) return;
      head = parseRequestHead(buf, 0, end);
      this.pending = end < buf.length ? buf.subarray(end) : undefined;
    } catch (e) {
      return this.refuse(e);
    }
    this.begin(head);
  }

  private begin(head: RequestHead): void {
    this.request = head;
    this.requestDone = head.framing === 'none';
    this.requestRemaining = head.contentLength;
    this.requestScanner = head.framing === 'chunked' ? new ChunkedBodyScanner(400) : undefined;
    this.retried = false;
    this.responseHeadBytes = undefined;
    this.response = undefined;
    this.sentToClient = false;
    this.clientKeepAlive = head.keepAlive;
    const route = this.context.pick(head);
    if ('status' in route) {
      // The body was not read: only a bodiless request leaves the connection usable.
      return this.answerError(route.status);
    }
    this.target = route.target;
    this.target.inFlight++;
    this.upstreamHead = upstreamRequestHead(
      head,
      this.clientAddress,
      this.context.listenerPort,
      this.context.traceId(),
    );
    this.upstream = this.target.pool.acquire(this);
    this.reusedUpstream = this.upstream.reused;
    this.upstream.socket.write(this.upstreamHead, 'latin1');
    const body = this.pending;
    if (this.requestDone || !body) return;
    this.pending = undefined;
    const used = this.forwardRequestBody(body);
    if (used < body.length) this.pending = body.subarray(used);
  }

  /** Sends the start of `buf` that belongs to the current request's body; returns where it stopped. */
  private forwardRequestBody(buf: Buffer): number {
    let end: number;
    if (this.requestScanner) {
      try {
        end = this.requestScanner.scan(buf, 0);
      } catch (e) {
        return (this.abortRequest(e), buf.length);
      }
      if (end < 0) end = buf.length;
      else this.requestDone = true;
    } else {
      end = Math.min(buf.length, this.requestRemaining);
      this.requestRemaining -= end;
      if (this.requestRemaining === 0) this.requestDone = true;
    }
    if (end > 0 && !this.upstream!.socket.write(end === buf.length ? buf : buf.subarray(0, end))) this.client.pause();
    return end;
  }

  onUpstreamDrain(): void {
    if (!this.closing) this.client.resume();
  }

  onUpstreamData(chunk: Buffer): void {
    this.touched = true;
    if (this.response) return this.relayResponseBody(chunk);
    const buf = this.responseHeadBytes ? Buffer.concat([this.responseHeadBytes, chunk]) : chunk;
    let start = 0;
    for (;;) {
      let res: ResponseHead;
      try {
        const end = findHeadEnd(buf, start, 'response');
        if (end < 0) {
          this.responseHeadBytes = start === 0 ? buf : buf.subarray(start);
          return;
        }
        res = parseResponseHead(buf, start, end, this.request!.method);
        if (res.status === 101) throw new HttpFramingError('target switched protocols unasked', 502);
        if (res.status < 200) {
          // Interim responses (100 Continue, 103 Early Hints) go to HTTP/1.1 clients as they are.
          if (this.request!.minor === 1) {
            this.client.write(buf.subarray(start, end));
            this.sentToClient = true;
          }
          start = end;
          continue;
        }
        if (res.framing === 'chunked' && this.request!.minor === 0)
          throw new HttpFramingError('target sent a chunked body to an HTTP/1.0 request', 502);
        this.responseHeadBytes = undefined;
        start = end;
      } catch {
        return this.upstreamFailed(502);
      }
      this.response = res;
      break;
    }
    const res = this.response;
    // A response that comes before the request body is complete ends the connection afterwards.
    this.clientKeepAlive = this.clientKeepAlive && this.requestDone && res.framing !== 'close' && !this.closing;
    if (!this.clientKeepAlive) this.closing = true;
    this.responseRemaining = res.contentLength;
    this.responseScanner = res.framing === 'chunked' ? new ChunkedBodyScanner(502) : undefined;
    const head = clientResponseHead(res, this.clientKeepAlive);
    const bodyBytes = buf.length - start;
    if (res.framing === 'none' || bodyBytes === 0) {
      this.sentToClient = true;
      this.client.write(head, 'latin1');
      if (res.framing === 'none') return this.responseComplete(bodyBytes > 0);
      return;
    }
    const bodyEnd = this.bodyEnd(buf, start);
    if (bodyEnd < 0) return;
    this.sentToClient = true;
    if (bodyEnd - start + head.length <= COALESCE_BYTES) {
      // One write, one syscall: the usual case of a small response in one read.
      const out = Buffer.allocUnsafe(head.length + bodyEnd - start);
      out.write(head, 0, 'latin1');
      buf.copy(out, head.length, start, bodyEnd);
      this.client.write(out);
    } else {
      this.client.write(head, 'latin1');
      this.client.write(buf.subarray(start, bodyEnd));
    }
    if (this.responseDone()) this.responseComplete(bodyEnd < buf.length);
    else this.applyClientBackpressure();
  }

  /** Where the response body in `buf` from `start` stops within `buf` (-1 after a framing error). */
  private bodyEnd(buf: Buffer, start: number): number {
    const res = this.response!;
    if (res.framing === 'close') return buf.length;
    if (this.responseScanner) {
      try {
        const end = this.responseScanner.scan(buf, start);
        return end < 0 ? buf.length : end;
      } catch {
        this.upstreamFailed(502);
        return -1;
      }
    }
    const end = Math.min(buf.length, start + this.responseRemaining);
    this.responseRemaining -= end - start;
    return end;
  }

  private responseDone(): boolean {
    if (this.response!.framing === 'close') return false;
    return this.responseScanner ? this.responseScanner.done : this.responseRemaining === 0;
  }

  private relayResponseBody(chunk: Buffer): void {
    const end = this.bodyEnd(chunk, 0);
    if (end < 0) return;
    if (end > 0) this.client.write(end === chunk.length ? chunk : chunk.subarray(0, end));
    if (this.responseDone()) this.responseComplete(end < chunk.length);
    else this.applyClientBackpressure();
  }

  private applyClientBackpressure(): void {
    if (this.client.writableNeedDrain) this.upstream?.socket.pause();
  }

  /** The response was relayed whole: give the target connection back and move to the next request. */
  private responseComplete(upstreamSentExtra: boolean): void {
    const upstream = this.upstream!;
    if (this.requestDone && this.response!.keepAlive && !upstreamSentExtra) {
      this.upstream = undefined;
      upstream.socket.resume();
      this.target!.pool.release(upstream);
    } else {
      this.dropUpstream();
    }
    this.endExchange();
  }

  private endExchange(): void {
    this.finishTarget();
    this.request = undefined;
    this.response = undefined;
    this.responseScanner = undefined;
    this.requestScanner = undefined;
    if (this.closing) {
      this.client.end();
      return;
    }
    this.client.resume();
    this.startNext();
    if (this.clientEnded && !this.request) this.client.end();
  }

  private finishTarget(): void {
    const target = this.target;
    if (!target) return;
    this.target = undefined;
    target.inFlight--;
    if (target.state === 'draining' && target.inFlight === 0) target.markRemoved();
  }

  onUpstreamGone(error: Error | undefined): void {
    if (!this.request) return;
    const res = this.response;
    if (res && res.framing === 'close' && !error) {
      // A body delimited by the connection closing has ended.
      this.upstream = undefined;
      return this.endExchange();
    }
    this.upstream = undefined;
    // The response is cut off: the client must see that, so the connection goes too.
    if (this.sentToClient) return this.cutClient();
    const req = this.request;
    if (this.reusedUpstream && !this.retried && !res && req.framing === 'none' && RETRYABLE.has(req.method)) {
      this.retried = true;
      // A keep-alive connection the target closed as the request went out: send it again on a new one.
      this.upstream = this.target!.pool.acquire(this, true);
      this.reusedUpstream = false;
      this.upstream.socket.write(this.upstreamHead, 'latin1');
      return;
    }
    this.answerError(502);
  }

  private upstreamFailed(status: 502 | 504): void {
    this.dropUpstream();
    if (this.sentToClient) return this.cutClient();
    this.answerError(status);
  }

  /** Answers the current request with an ALB error page instead of a target's response. */
  private answerError(status: 502 | 503 | 504): void {
    if (!this.requestDone) this.closing = true;
    const keepAlive = this.clientKeepAlive && !this.closing;
    if (!keepAlive) this.closing = true;
    this.client.write(albErrorResponse(status, keepAlive, new Date()), 'latin1');
    this.endExchange();
  }

  /** A malformed request: answered, and the connection closed, since where it ends is unknown. */
  private refuse(e: unknown): void {
    const status = e instanceof HttpFramingError ? e.status : 400;
    this.closing = true;
    this.pending = undefined;
    this.client.end(albErrorResponse(status === 502 ? 400 : status, false, new Date()), 'latin1');
  }

  /** A request body that breaks chunked framing mid-stream. */
  private abortRequest(e: unknown): void {
    this.requestDone = true;
    if (this.sentToClient) return this.cutClient();
    this.abandonExchange();
    this.refuse(e);
  }

  private onClientClose(): void {
    this.closing = true;
    this.pending = undefined;
    this.abandonExchange();
  }

  /** Ends the client connection abruptly, with the exchange in flight: how a client learns a response was cut. */
  private cutClient(): void {
    this.abandonExchange();
    this.destroy();
  }

  /** Forgets the exchange in flight: its target connection is closed and the target no longer counts it. */
  private abandonExchange(): void {
    this.dropUpstream();
    this.finishTarget();
    this.request = undefined;
  }

  private dropUpstream(): void {
    const upstream = this.upstream;
    this.upstream = undefined;
    if (!upstream) return;
    upstream.handler = undefined;
    upstream.socket.destroy();
  }
}
