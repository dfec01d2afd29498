import { createServer, request, type ClientRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Target } from './model';

/** Picks where one request goes: a target, or the status an ALB answers when there is none. */
export type RoutePicker = () => { target: Target } | { status: 503 };

const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'proxy-authorization',
  'proxy-authenticate',
]);

/** A running listener server. */
export interface ListenerServer {
  localPort: number;
  close(): Promise<void>;
}

/**
 * Starts an HTTP server on `host:port` (falling back to a free port when that one is taken or
 * privileged) that forwards each request to the target `pick` chooses, streaming both ways.
 */
export async function startListenerServer(
  host: string,
  port: number,
  listenerPort: number,
  pick: RoutePicker,
): Promise<ListenerServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => forward(req, res, listenerPort, pick));
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
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
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function forward(req: IncomingMessage, res: ServerResponse, listenerPort: number, pick: RoutePicker): void {
  const route = pick();
  if ('status' in route) return albError(res, 503, 'Service Temporarily Unavailable');
  const target = route.target;
  target.inFlight++;
  let done = false;
  const finish = () => {
    if (done) return;
    done = true;
    target.inFlight--;
    if (target.state === 'draining' && target.inFlight === 0) target.markRemoved();
  };
  const upstream = request(
    {
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: req.url,
      headers: forwardHeaders(req, listenerPort),
      agent: target.agent,
    },
    (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.statusMessage, withoutHopByHop(upRes.rawHeaders));
      relay(upRes, res);
      upRes.once('end', finish);
      upRes.once('error', () => {
        res.destroy();
        finish();
      });
    },
  );
  upstream.once('error', () => {
    if (!res.headersSent) albError(res, 502, 'Bad Gateway');
    else res.destroy();
    finish();
  });
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
    finish();
  });
  // Most requests carry no body: end at once instead of piping an empty stream.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
    upstream.end();
    req.resume();
  } else {
    relay(req, upstream);
  }
}

/**
 * Streams `from` into `to` with backpressure. Cheaper than `pipe()` per request, which matters
 * because every proxied request pays it twice.
 */
function relay(from: IncomingMessage, to: ServerResponse | ClientRequest): void {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) {
      from.pause();
      to.once('drain', () => from.resume());
    }
  });
  from.once('end', () => to.end());
}

// Raw header pairs, in order, as Node accepts them for writeHead and request options.
function withoutHopByHop(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  return out;
}

function forwardHeaders(req: IncomingMessage, listenerPort: number): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let prior: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (name === 'x-forwarded-for') prior = prior ? `${prior}, ${raw[i + 1]!}` : raw[i + 1]!;
    else if (name === 'transfer-encoding' || !HOP_BY_HOP.has(name)) out.push(raw[i]!, raw[i + 1]!);
  }
  const client = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  out.push(
    'X-Forwarded-For',
    prior ? `${prior}, ${client}` : client,
    'X-Forwarded-Proto',
    'http',
    'X-Forwarded-Port',
    String(listenerPort),
  );
  return out;
}

// The bodies an Application Load Balancer answers with when it cannot forward.
function albError(res: ServerResponse, status: number, text: string): void {
  const body = `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
  res.writeHead(status, {
    server: 'awselb/2.0',
    'content-type': 'text/html',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
