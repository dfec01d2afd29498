import { connect, type Socket } from 'node:net';

/**
 * How long an idle connection to a target is kept: 3.5–4 s. Below Node's default server keep-alive
 * timeout (5 s), so the listener drops an idle connection before a Node target does, which keeps the
 * race of reusing a connection that the target is closing at that very moment rare.
 */
const IDLE_SWEEP_MS = 500;
const IDLE_SWEEPS = 8;
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/** What the proxy does with a connection's events while it holds the connection. */
export interface UpstreamHandler {
  onUpstreamData(chunk: Buffer): void;
  /** The connection closed or failed; `error` is set when it failed. */
  onUpstreamGone(error: Error | undefined): void;
  onUpstreamDrain(): void;
}

/**
 * One connection to a target. Its listeners are attached once and call whoever holds it, which is
 * cheaper than adding and removing listeners for every request.
 */
export class UpstreamConnection {
  readonly socket: Socket;
  handler: UpstreamHandler | undefined;
  /** Whether it served an earlier request (and so may have been closed by the target meanwhile). */
  reused = false;
  /** The pool's sweep count when it went idle. */
  idleSince = 0;
  private failure: Error | undefined;

  constructor(host: string, port: number) {
    const socket = connect({
      host,
      port,
      noDelay: true,
      // Reads land in one shared buffer and skip the stream machinery: cheaper per response than
      // 'data' events, each of which allocates a fresh 64 KiB buffer. The copy keeps what the proxy holds.
      onread: {
        buffer: READ_BUFFER,
        callback: (bytes: number, buf: Uint8Array) => {
          this.received(Buffer.from(buf.subarray(0, bytes)));
          return true;
        },
      },
    });
    this.socket = socket;
    socket.on('drain', () => this.handler?.onUpstreamDrain());
    socket.on('error', (e) => (this.failure = e));
    socket.on('close', () => {
      const handler = this.handler;
      this.handler = undefined;
      handler?.onUpstreamGone(this.failure);
    });
  }

  /** Bytes from the target: for the holder, or, on an idle connection, a sign it can't be trusted any more. */
  private received(chunk: Buffer): void {
    if (this.handler) this.handler.onUpstreamData(chunk);
    else this.socket.destroy();
  }
}

/**
 * Keep-alive connections from a listener to one target. A connection serves one request at a time;
 * the proxy gives it back with `release` once its response ended cleanly, or destroys it.
 *
 * Idle connections are swept by one timer per pool rather than a socket timeout each: a socket
 * timeout is re-armed on every read and write, which costs measurably at tens of thousands of
 * requests a second.
 */
export class UpstreamPool {
  private readonly idle: UpstreamConnection[] = [];
  private readonly all = new Set<UpstreamConnection>();
  private closed = false;
  private sweeps = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** An idle connection (unless `fresh`), or a new one (connecting; writes queue until it is up). */
  acquire(handler: UpstreamHandler, fresh = false): UpstreamConnection {
    let conn = fresh ? undefined : this.idle.pop();
    while (conn && (conn.socket.destroyed || !conn.socket.writable)) conn = this.idle.pop();
    if (!conn) {
      const created = new UpstreamConnection(this.host, this.port);
      this.all.add(created);
      created.socket.once('close', () => {
        this.all.delete(created);
        const at = this.idle.indexOf(created);
        if (at >= 0) this.idle.splice(at, 1);
      });
      if (this.closed) created.socket.destroy();
      conn = created;
    } else {
      conn.reused = true;
    }
    conn.handler = handler;
    return conn;
  }

  /** Takes a connection back for reuse. Its response must have been read to the end. */
  release(conn: UpstreamConnection): void {
    conn.handler = undefined;
    if (this.closed || conn.socket.destroyed) return void conn.socket.destroy();
    // If the target closes it while idle (its own keep-alive timeout), 'close' takes it out of the pool.
    conn.idleSince = this.sweeps;
    this.idle.push(conn);
    this.sweeper ??= setInterval(() => this.sweep(), IDLE_SWEEP_MS).unref();
  }

  /** Closes every connection, idle or in use: the target has left its group. */
  destroy(): void {
    this.closed = true;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    for (const conn of this.all) conn.socket.destroy();
    this.idle.length = 0;
  }

  private sweep(): void {
    this.sweeps++;
    // The idle list is in release order, so the stale ones are at its start.
    let stale = 0;
    while (stale < this.idle.length && this.sweeps - this.idle[stale]!.idleSince >= IDLE_SWEEPS) stale++;
    for (const conn of this.idle.splice(0, stale)) conn.socket.destroy();
    if (this.idle.length === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }
}
