import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { customerOrders, listProducts, type ApiAnswer, type Queryable } from './catalog';
import type { ReleaseIdentity } from './identity';

/** How the service is put together; everything it reads from the outside comes in here. */
export interface SampleServiceOptions {
  identity: ReleaseIdentity;
  /** The seeded database, or undefined when DATABASE_URL is not set (the API then answers 503). */
  db?: Queryable;
  /** `never-healthy`: /health answers 503 forever (the rehearsal's deliberately broken release). */
  broken?: string;
  log?: (line: string) => void;
}

/** A running sample service. */
export interface SampleService {
  server: Server;
  port: number;
  /** Stop accepting, let in-flight requests finish (keep-alive sockets close after theirs), then resolve. */
  shutdown(deadlineMs?: number): Promise<void>;
}

/** Starts the service on `port` (0 for any free port). */
export async function startSampleService(
  options: SampleServiceOptions,
  port: number,
  host = '127.0.0.1',
): Promise<SampleService> {
  let shuttingDown = false;
  const log = options.log ?? (() => {});
  const server = createServer((req, res) => {
    res.setHeader('x-release-id', options.identity.release);
    // Once draining, every answer (also of requests that began before) tells the client to go elsewhere next.
    const reply = (answer: ApiAnswer) => {
      if (shuttingDown && !res.headersSent) res.setHeader('connection', 'close');
      send(res, answer);
    };
    handle(req, options, shuttingDown)
      .then(reply)
      .catch((error: unknown) => {
        log(`request ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
        reply({ status: 500, body: { error: 'internal', message: 'the request failed; see the service log' } });
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  log(
    `sample-service ${options.identity.release} listening on ${host}:${actualPort}${options.broken ? ` (broken: ${options.broken})` : ''}`,
  );

  const shutdown = (deadlineMs = 20_000): Promise<void> =>
    new Promise((resolve) => {
      shuttingDown = true;
      const timer = setTimeout(() => server.closeAllConnections(), deadlineMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
      // Idle keep-alive sockets close now; busy ones get `connection: close` on their current answer.
      server.closeIdleConnections();
    });
  return { server, port: actualPort, shutdown };
}

async function handle(req: IncomingMessage, options: SampleServiceOptions, shuttingDown: boolean): Promise<ApiAnswer> {
  const url = new URL(req.url ?? '/', 'http://service.local');
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return { status: 405, body: { error: 'method_not_allowed', message: `expected GET, found ${req.method}` } };
  const path = url.pathname;
  if (path === '/health') {
    if (options.broken === 'never-healthy')
      return { status: 503, body: { status: 'broken', reason: 'this build is deliberately never healthy' } };
    if (shuttingDown) return { status: 503, body: { status: 'draining' } };
    return { status: 200, body: { status: 'ok', release: options.identity.release } };
  }
  if (path === '/release') return { status: 200, body: { ...options.identity } };
  if (path === '/slow') {
    // A request that takes a while: lets tests and drills watch in-flight requests survive a drain.
    const ms = Math.min(Number(url.searchParams.get('ms') ?? 500) || 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { status: 200, body: { sleptMs: ms, release: options.identity.release } };
  }
  if (path.startsWith('/api/')) {
    if (!options.db)
      return {
        status: 503,
        body: {
          error: 'no_database',
          message: 'no database is configured for this service: set DATABASE_URL to the seeded PostgreSQL database',
        },
      };
    if (path === '/api/products') return listProducts(options.db, url.searchParams);
    const orders = /^\/api\/customers\/([^/]+)\/orders$/.exec(path);
    if (orders) return customerOrders(options.db, decodeURIComponent(orders[1]!));
  }
  return { status: 404, body: { error: 'not_found', message: `no route for ${path}` } };
}

function send(res: ServerResponse, answer: ApiAnswer): void {
  if (res.headersSent) return;
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
