import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startListenerServer, type ListenerServer } from './listener-proxy';
import type { Target } from './model';
import { UpstreamPool } from './upstream-pool';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A target process stand-in: a node:http server on loopback, counting the connections it accepts. */
async function targetServer(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ port: number; connections: () => number; open: Set<Socket> }> {
  const server: Server = createServer(handler);
  let connections = 0;
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections++;
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, connections: () => connections, open };
}

/** A healthy target record as the load balancer keeps it, with its own connection pool. */
function targetRecord(port: number): Target {
  const pool = new UpstreamPool('127.0.0.1', port);
  cleanups.push(() => pool.destroy());
  return {
    id: '127.0.0.1',
    port,
    state: 'healthy',
    reason: undefined,
    description: undefined,
    consecutiveOk: 0,
    consecutiveFail: 0,
    inFlight: 0,
    pool,
    stopChecks: undefined,
    removed: Promise.resolve(),
    markRemoved: () => {},
    drainTimer: undefined,
  };
}

async function listener(target: Target, idleTimeoutMs?: number): Promise<ListenerServer> {
  const server = await startListenerServer('127.0.0.1', 0, 80, () => ({ target }), { idleTimeoutMs });
  cleanups.push(() => server.close());
  return server;
}

/** Sends raw bytes on a new connection and collects everything until the listener closes it. */
function exchange(port: number, bytes: string): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve({ text, closedAfterMs: Date.now() - started }));
  });
}

describe('listener idle timeout', () => {
  it('answers 504 when the target sends nothing within it, and the target is no longer in flight', async () => {
    const target = targetRecord((await targetServer(() => {})).port);
    const { localPort } = await listener(target, 300);
    const { text } = await exchange(localPort, 'GET /hang HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 504 Gateway Time-out\r\n/);
    expect(text).toContain('Server: awselb/2.0\r\n');
    expect(text).toContain('<h1>504 Gateway Time-out</h1>');
    expect(target.inFlight).toBe(0);
  });

  it('closes a client connection on which nothing moves', async () => {
    const target = targetRecord((await targetServer((_req, res) => res.end('ok'))).port);
    const { localPort } = await listener(target, 300);
    const { text, closedAfterMs } = await exchange(localPort, 'GET / HTTP/1.1\r\nHost: a\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Content-Length: 2\r\nConnection: keep-alive\r\n\r\nok$/);
    expect(closedAfterMs).toBeGreaterThanOrEqual(300);
  });
});

describe('connections to targets', () => {
  it('are reused across requests and closed after about 4 s idle, before a Node target would close them', async () => {
    const served = await targetServer((_req, res) => res.end('ok'));
    const target = targetRecord(served.port);
    const { localPort } = await listener(target);
    const body = await new Promise<string>((resolve, reject) => {
      const socket = connect(localPort, '127.0.0.1');
      let text = '';
      let sent = 0;
      const send = () => socket.write('GET / HTTP/1.1\r\nHost: a\r\n\r\n');
      socket.setEncoding('latin1').on('data', (chunk: string) => {
        text += chunk;
        if (!text.endsWith('\r\n\r\nok')) return;
        if (++sent < 20) send();
        else if (sent === 20) {
          socket.end();
          resolve(text);
        }
      });
      socket.once('error', reject);
      send();
    });
    expect(body.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(20);
    expect(served.connections()).toBe(1);
    expect(served.open.size).toBe(1);
    const deadline = Date.now() + 6_000;
    while (served.open.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(served.open.size).toBe(0);
  }, 10_000);
});
