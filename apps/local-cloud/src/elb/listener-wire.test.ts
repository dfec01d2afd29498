/**
 * The listener proxy on the wire: raw TCP clients write exact bytes to a real listener and read exactly
 * what comes back, against `node:http` targets and raw-socket targets that misbehave on purpose.
 * Health checks go to a separate server (HealthCheckPort), so a target only ever sees proxied traffic.
 */
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DeregisterTargetsCommand,
  DescribeTargetHealthCommand,
  RegisterTargetsCommand,
  type ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../local-cloud';
import { createFastTargetGroup, sdkClients, waitFor } from '../test-support';
import {
  CRLF,
  dropOnReuse,
  type EchoReport,
  field,
  fieldValues,
  get,
  HOST,
  type HttpTarget,
  httpTargets,
  misbehave,
  patternBytes,
  patternHash,
  type RawTarget,
  rawTargets,
  sha256,
  sleep,
  startHttpTarget,
  startRawTarget,
  WireClient,
  type WireResponse,
} from './wire-test-support';

// ---------------------------------------------------------------------------------------------------
// Local cloud and listeners
// ---------------------------------------------------------------------------------------------------

let cloud: LocalCloud;
let elb: ElasticLoadBalancingV2Client;
let lbArn: string;
let healthServer: HttpServer;

/** A listener forwarding to one target group of one target. */
interface Route {
  tg: string;
  /** The port in CreateListener (what X-Forwarded-Port says). */
  port: number;
  /** The port the listener really listens on. */
  localPort: number;
  targetPort: number;
}

async function health(tg: string): Promise<TargetHealthDescription[]> {
  return (await elb.send(new DescribeTargetHealthCommand({ TargetGroupArn: tg }))).TargetHealthDescriptions!;
}

/** Creates a target group with `targetPort` registered and a listener on `port` forwarding to it; waits for healthy. */
async function routeTo(name: string, port: number, targetPort: number, deregistrationDelay?: number): Promise<Route> {
  const tg = await createFastTargetGroup(
    elb,
    name,
    { Port: 80, HealthCheckPort: String((healthServer.address() as AddressInfo).port) },
    deregistrationDelay,
  );
  await elb.send(new RegisterTargetsCommand({ TargetGroupArn: tg, Targets: [{ Id: '127.0.0.1', Port: targetPort }] }));
  const listener = await elb.send(
    new CreateListenerCommand({
      LoadBalancerArn: lbArn,
      Port: port,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tg }],
    }),
  );
  const arn = listener.Listeners![0]!.ListenerArn!;
  const localPort = cloud.listeners().find((l) => l.listenerArn === arn)!.localPort;
  await waitFor(`${name} healthy`, async () =>
    (await health(tg)).every((d) => d.TargetHealth!.State === 'healthy') ? true : undefined,
  );
  return { tg, port, localPort, targetPort };
}

let echo: HttpTarget;
let echoRoute: Route;
let misbehaving: RawTarget;
let misbehavingRoute: Route;
let keepAlive: HttpTarget;
let keepAliveRoute: Route;
let stale: HttpTarget;
let staleRoute: Route;
let dropping: RawTarget;
let droppingRoute: Route;
/** Two targets, each alone in a group with a 30 s deregistration delay, for the two client-abort tests. */
let drainingTargets: { target: HttpTarget; route: Route }[];

beforeAll(async () => {
  cloud = await startLocalCloud({ port: 0, allowFastHealthChecks: true, listenerPortOffset: 24000, seed: 11 });
  elb = sdkClients(cloud.endpoint).elb;
  lbArn = (await elb.send(new CreateLoadBalancerCommand({ Name: 'wire', Subnets: ['subnet-a'] }))).LoadBalancers![0]!
    .LoadBalancerArn!;
  healthServer = createHttpServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => healthServer.listen(0, '127.0.0.1', resolve));
  let drainingA: HttpTarget, drainingB: HttpTarget;
  [echo, misbehaving, keepAlive, stale, dropping, drainingA, drainingB] = await Promise.all([
    startHttpTarget(),
    startRawTarget(misbehave),
    startHttpTarget(),
    startHttpTarget({ keepAliveTimeout: 100 }),
    startRawTarget(dropOnReuse),
    startHttpTarget(),
    startHttpTarget(),
  ]);
  let drainingRouteA: Route, drainingRouteB: Route;
  [echoRoute, misbehavingRoute, keepAliveRoute, staleRoute, droppingRoute, drainingRouteA, drainingRouteB] =
    await Promise.all([
      routeTo('wire-echo', 101, echo.port),
      routeTo('wire-misbehaving', 102, misbehaving.port),
      routeTo('wire-keepalive', 103, keepAlive.port),
      routeTo('wire-stale', 104, stale.port),
      routeTo('wire-dropping', 105, dropping.port),
      routeTo('wire-draining-a', 106, drainingA.port, 30),
      routeTo('wire-draining-b', 107, drainingB.port, 30),
    ]);
  drainingTargets = [
    { target: drainingA, route: drainingRouteA },
    { target: drainingB, route: drainingRouteB },
  ];
});

afterAll(async () => {
  elb?.destroy();
  await cloud?.close();
  for (const t of rawTargets) for (const s of t.sockets) s.destroy();
  for (const t of httpTargets) t.server.closeAllConnections();
  healthServer?.closeAllConnections();
  await Promise.all([
    ...httpTargets.map((t) => new Promise((r) => t.server.close(r))),
    ...rawTargets.map((t) => new Promise((r) => t.server.close(r))),
    healthServer && new Promise((r) => healthServer.close(r)),
  ]);
});

/** A Root trace id as an ALB generates it: version 1, epoch seconds in 8 hex digits, 24 hex digits. */
const TRACE_ROOT = /^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/;
const fieldOf = (report: EchoReport, name: string) => report.headers.find(([n]) => n.toLowerCase() === name)?.[1];

const open = (route: Route) => WireClient.open(route.localPort);
const echoed = (res: WireResponse) => JSON.parse(res.body.toString()) as EchoReport;

/** The requests the echo target gets from the time this is called. */
function echoRequestsFromNow(): () => EchoReport[] {
  const from = echo.requests.length;
  return () => echo.requests.slice(from);
}

// ---------------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------------

describe('pipelining and keep-alive', () => {
  it('answers three GETs written in one TCP write with three responses, in order, on the same connection', async () => {
    const client = await open(echoRoute);
    // The first one is the slowest to answer: order must still be request order.
    await client.write(get('/echo?n=1&delay=50') + get('/echo?n=2') + get('/echo?n=3'));
    const responses = [await client.readResponse(), await client.readResponse(), await client.readResponse()];
    expect(responses.map((r) => [r.status, echoed(r).url, field(r, 'connection')])).toEqual([
      [200, '/echo?n=1&delay=50', 'keep-alive'],
      [200, '/echo?n=2', 'keep-alive'],
      [200, '/echo?n=3', 'keep-alive'],
    ]);
    await client.write(get('/echo?n=4'));
    expect(echoed(await client.readResponse()).url).toBe('/echo?n=4');
    client.destroy();
  });

  it('stops at a pipelined request that asks for Connection: close: the ones behind it never reach the target', async () => {
    const seen = echoRequestsFromNow();
    const client = await open(echoRoute);
    await client.write(get('/echo?n=1') + get('/echo?n=2', 'Connection: close\r\n') + get('/echo?n=3'));
    expect(field(await client.readResponse(), 'connection')).toBe('keep-alive');
    const last = await client.readResponse();
    expect([echoed(last).url, field(last, 'connection')]).toEqual(['/echo?n=2', 'close']);
    expect(await client.closedWithLeftover()).toBe('');
    expect(seen().map((r) => r.url)).toEqual(['/echo?n=1', '/echo?n=2']);
  });

  it('serves 50 sequential requests on one client connection over one target connection', async () => {
    const client = await open(keepAliveRoute);
    for (let i = 0; i < 50; i++) {
      await client.write(get(`/echo?i=${i}`));
      const res = await client.readResponse();
      expect([res.status, echoed(res).url]).toEqual([200, `/echo?i=${i}`]);
    }
    expect(keepAlive.connections).toBe(1);
    expect(new Set(keepAlive.requests.map((r) => r.connection))).toEqual(new Set([1]));
    client.destroy();
  });

  it('reads a request head that arrives in pieces, split inside its line endings', async () => {
    const client = await open(echoRoute);
    await client.writeInPieces(['GET /echo?pie', 'ces HTTP/1.1\r', '\nHost: wire', '.test\r\n', '\r', '\n']);
    expect(echoed(await client.readResponse()).url).toBe('/echo?pieces');
    client.destroy();
  });

  it('answers a client that half-closes (FIN) right after two pipelined requests, then closes', async () => {
    const client = await open(echoRoute);
    await client.write(get('/echo?n=1&delay=30') + get('/echo?n=2'));
    client.socket.end();
    expect(echoed(await client.readResponse()).url).toBe('/echo?n=1&delay=30');
    expect(echoed(await client.readResponse()).url).toBe('/echo?n=2');
    expect(await client.closedWithLeftover()).toBe('');
  });
});

describe('request bodies', () => {
  it('passes a chunked body, sent in awkward pieces with a chunk extension and a trailer, to the target intact', async () => {
    const first = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    const second = patternBytes(0, 16_384);
    const client = await open(echoRoute);
    await client.writeInPieces([
      `POST /echo HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n`,
      '1',
      'a;name=val',
      'ue\r',
      '\n',
      first.subarray(0, 10),
      Buffer.concat([first.subarray(10), Buffer.from('\r\n4000\r\n'), second.subarray(0, 5000)]),
      second.subarray(5000),
      '\r\n0\r\nX-Check',
      // The end of the body and the next request in one write: the listener must split them.
      `sum: 42\r\n\r\n${get('/echo?after-chunked')}`,
    ]);
    const res = echoed(await client.readResponse());
    expect(res).toMatchObject({
      method: 'POST',
      bytes: first.length + second.length,
      sha256: sha256(Buffer.concat([first, second])),
      trailers: [['X-Checksum', '42']],
    });
    expect(res.headers).toContainEqual(['Transfer-Encoding', 'chunked']);
    expect(echoed(await client.readResponse())).toMatchObject({ method: 'GET', url: '/echo?after-chunked', bytes: 0 });
    client.destroy();
  });

  it('relays 100 Continue from the target before the client sends the body, then the final response', async () => {
    const seen = echoRequestsFromNow();
    const body = patternBytes(0, 50_000);
    const client = await open(echoRoute);
    await client.write(`PUT /echo HTTP/1.1\r\n${HOST}Expect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`);
    const interim = await client.readResponse('PUT');
    expect(interim.head).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    // The target has the head, and nothing of the body yet.
    expect(seen().map((r) => [r.method, r.bytes])).toEqual([['PUT', 0]]);
    await client.write(body);
    const final = await client.readResponse('PUT');
    expect([final.status, echoed(final).bytes, echoed(final).sha256]).toEqual([200, body.length, sha256(body)]);
    await client.write(get('/echo?after-continue'));
    expect(echoed(await client.readResponse()).url).toBe('/echo?after-continue');
    client.destroy();
  });

  it('refuses a chunked body whose framing breaks midway with 400, and closes the connection', async () => {
    const seen = echoRequestsFromNow();
    const client = await open(echoRoute);
    await client.writeInPieces([
      `POST /echo HTTP/1.1\r\n${HOST}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n`,
      `zz\r\nGET /smuggled HTTP/1.1\r\n${HOST}\r\n`,
    ]);
    const res = await client.readResponse();
    expect([res.status, field(res, 'server'), field(res, 'connection')]).toEqual([400, 'awselb/2.0', 'close']);
    expect(await client.closedWithLeftover()).toBe('');
    // The target got the head (forwarded before the body), then lost the connection: nothing after the bad chunk.
    await waitFor('the target to get the POST', () => (seen().length > 0 ? true : undefined));
    expect(seen().map((r) => [r.method, r.url])).toEqual([['POST', '/echo']]);
  });

  it.each([
    ['resets the connection (RST)', (client: WireClient) => void client.socket.resetAndDestroy()],
    ['closes the connection (FIN)', (client: WireClient) => client.destroy()],
  ])('lets a draining target leave at once after a client %s mid-body', async (_how, leave) => {
    const { target, route } = drainingTargets.shift()!;
    const client = await open(route);
    await client.write(`POST /hold HTTP/1.1\r\n${HOST}Content-Length: 1000000\r\n\r\n${'a'.repeat(1000)}`);
    await waitFor('the target to get the request', () => (target.requests.length === 1 ? true : undefined));
    leave(client);
    // The listener drops its target connection when the client goes: the request is aborted there.
    const abortedAtTarget = await waitFor('the abort', () => (target.abortedRequests === 1 ? true : undefined), 3000)
      .then(() => true)
      .catch(() => false);
    await elb.send(
      new DeregisterTargetsCommand({
        TargetGroupArn: route.tg,
        Targets: [{ Id: '127.0.0.1', Port: route.targetPort }],
      }),
    );
    // With a request still counted in flight it would be `draining` for the 30 s deregistration delay.
    const states = (await health(route.tg)).map((d) => d.TargetHealth!.State);
    expect({ abortedAtTarget, states }).toEqual({ abortedAtTarget: true, states: [] });
  });
});

describe('response bodies', () => {
  it('streams a 2 MiB chunked response written in 512 pieces intact, and keeps the connection', async () => {
    const total = 2 * 1024 * 1024;
    const client = await open(echoRoute);
    await client.write(get(`/stream?bytes=${total}&piece=4096`));
    const res = await client.readResponse();
    expect([res.status, field(res, 'transfer-encoding'), field(res, 'connection')]).toEqual([
      200,
      'chunked',
      'keep-alive',
    ]);
    // Passed through as the target framed it: every one of its writes is a chunk.
    expect(res.chunkSizes).toEqual(Array.from({ length: 512 }, () => 4096));
    expect(sha256(res.body)).toBe(patternHash(total));
    await client.write(get('/echo?after-stream'));
    expect(echoed(await client.readResponse()).url).toBe('/echo?after-stream');
    client.destroy();
  });

  it('holds the target back while the client does not read (backpressure), and delivers every byte', async () => {
    const total = 128 * 1024 * 1024;
    const client = await open(echoRoute);
    client.socket.pause();
    await client.write(get(`/big?bytes=${total}`));
    await waitFor('the target to wait for drain', () => (echo.big?.waitingForDrain ? true : undefined));
    // A listener that buffered instead would take everything; with backpressure the target cannot finish.
    await sleep(500);
    expect(echo.big).toMatchObject({ finished: false, waitingForDrain: true });
    expect(echo.big!.sent).toBeLessThan(total);
    client.socket.resume();
    const head = await client.readHead();
    expect([head.status, field(head, 'content-length')]).toEqual([200, String(total)]);
    const hash = createHash('sha256');
    await client.stream(total, (piece) => hash.update(piece), Date.now() + 60_000);
    expect(hash.digest('hex')).toBe(patternHash(total));
    expect(echo.big!.finished).toBe(true);
    client.destroy();
  }, 60_000);

  it('forwards no body for HEAD, 204 and 304, even with a Content-Length, and the connection goes on', async () => {
    const client = await open(echoRoute);
    await client.write(
      `HEAD /resource HTTP/1.1\r\n${HOST}\r\n` + get('/status/204') + get('/status/304') + get('/resource'),
    );
    const head = await client.readResponse('HEAD');
    expect([head.status, field(head, 'content-length')]).toEqual([200, '11']);
    const noContent = await client.readResponse();
    expect([noContent.status, field(noContent, 'x-status')]).toEqual([204, '204']);
    const notModified = await client.readResponse();
    expect([notModified.status, field(notModified, 'etag'), field(notModified, 'content-length')]).toEqual([
      304,
      '"v1"',
      '10',
    ]);
    // Had any of those carried body bytes, this response would not parse.
    const resource = await client.readResponse();
    expect([resource.status, resource.body.toString()]).toEqual([200, 'hello world']);
    client.destroy();
  });

  it('relays a close-delimited response with Connection: close, then closes without forwarding what was pipelined', async () => {
    const from = misbehaving.requests.length;
    const client = await open(misbehavingRoute);
    await client.write(get('/close-delimited') + get('/ok'));
    expect(await client.closedWithLeftover()).toBe(
      'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nfirst part, second part',
    );
    expect(misbehaving.requests.slice(from).map((r) => r.path)).toEqual(['/close-delimited']);
  });

  it('relays an interim 103 Early Hints to an HTTP/1.1 client, and not to an HTTP/1.0 one', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/early-hints'));
    const hints = await client.readResponse();
    expect(hints.head).toBe('HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n');
    const final = await client.readResponse();
    expect([final.status, final.body.toString()]).toEqual([200, 'ok']);
    client.destroy();
    const old = await open(misbehavingRoute);
    await old.write('GET /early-hints HTTP/1.0\r\n\r\n');
    const only = await old.readResponse();
    expect([only.status, only.body.toString(), field(only, 'connection')]).toEqual([200, 'ok', 'close']);
    expect(await old.closedWithLeftover()).toBe('');
  });
});

describe('HTTP/1.0 clients', () => {
  it('forwards a request without Host as HTTP/1.0 asking the target for keep-alive, answers unchunked and closes', async () => {
    const client = await open(echoRoute);
    await client.write('GET /echo?v=1.0 HTTP/1.0\r\n\r\n');
    // Node answers HTTP/1.0 close-delimited; the client reads to the end of the connection.
    const res = await client.readResponse();
    expect([res.status, field(res, 'connection'), field(res, 'transfer-encoding')]).toEqual([200, 'close', undefined]);
    expect(echoed(res)).toMatchObject({
      version: '1.0',
      headers: [
        ['X-Forwarded-For', '127.0.0.1'],
        ['X-Forwarded-Proto', 'http'],
        ['X-Forwarded-Port', '101'],
        ['X-Amzn-Trace-Id', expect.stringMatching(TRACE_ROOT)],
        ['Connection', 'keep-alive'],
      ],
    });
    expect(await client.closedWithLeftover()).toBe('');
  });

  it('keeps the connection of an HTTP/1.0 client that asks for keep-alive when the response has a Content-Length', async () => {
    const client = await open(echoRoute);
    for (let n = 0; n < 2; n++) {
      await client.write('GET /resource HTTP/1.0\r\nConnection: keep-alive\r\n\r\n');
      const res = await client.readResponse();
      expect([res.body.toString(), field(res, 'connection'), field(res, 'transfer-encoding')]).toEqual([
        'hello world',
        'keep-alive',
        undefined,
      ]);
    }
    client.destroy();
  });

  it('gives an HTTP/1.0 client a streamed response close-delimited, never chunked', async () => {
    const total = 100_000;
    const client = await open(echoRoute);
    await client.write(`GET /stream?bytes=${total}&piece=1000 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`);
    const res = await client.readResponse();
    expect([res.status, field(res, 'connection'), field(res, 'transfer-encoding')]).toEqual([200, 'close', undefined]);
    expect(sha256(res.body)).toBe(patternHash(total));
    await client.closed;
  });
});

describe('strict parsing (desync mitigation)', () => {
  const bigHead = `GET /echo HTTP/1.1\r\n${HOST}${Array.from({ length: 70 }, (_, i) => `X-Filler-${i}: ${'f'.repeat(1000)}\r\n`).join('')}\r\n`;
  const smuggled = get('/smuggled');
  it.each([
    [
      'both Content-Length and Transfer-Encoding',
      400,
      `POST /echo HTTP/1.1\r\n${HOST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
    ],
    [
      'two different Content-Lengths',
      400,
      `POST /echo HTTP/1.1\r\n${HOST}Content-Length: 5\r\nContent-Length: 44\r\n\r\nhello${smuggled}`,
    ],
    ['Transfer-Encoding: gzip', 501, `POST /echo HTTP/1.1\r\n${HOST}Transfer-Encoding: gzip\r\n\r\n${smuggled}`],
    ['obsolete line folding', 400, `GET /echo HTTP/1.1\r\n${HOST}X-Folded: a\r\n b\r\n\r\n`],
    ['whitespace before the colon (Host :x)', 400, 'GET /echo HTTP/1.1\r\nHost :x\r\n\r\n'],
    [
      'whitespace before the colon of Transfer-Encoding',
      400,
      `POST /echo HTTP/1.1\r\n${HOST}Transfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${smuggled}`,
    ],
    ['no Host in HTTP/1.1', 400, 'GET /echo HTTP/1.1\r\n\r\n'],
    ['two Host fields', 400, `GET /echo HTTP/1.1\r\n${HOST}Host: other.test\r\n\r\n`],
    ['bare LF line endings', 400, 'GET /echo HTTP/1.1\nHost: wire.test\n\n'],
    ['a control character in a value', 400, `GET /echo HTTP/1.1\r\n${HOST}X-Bad: a\x01b\r\n\r\n`],
    ['HTTP/2.0 on the request line', 505, `GET / HTTP/2.0\r\n${HOST}\r\n`],
    ['a head over 64 KiB', 400, bigHead],
  ] as const)('refuses %s with %i and closes; the target never sees it', async (_what, status, request) => {
    const seen = echoRequestsFromNow();
    const client = await open(echoRoute);
    await client.write(request);
    const res = await client.readResponse();
    expect([res.status, field(res, 'server'), field(res, 'connection')]).toEqual([status, 'awselb/2.0', 'close']);
    expect(res.body.toString()).toContain(`<h1>${status} ${res.reason}</h1>`);
    expect(await client.closedWithLeftover()).toBe('');
    expect(seen()).toEqual([]);
  });

  it('answers a valid request, then refuses a malformed one pipelined behind it and closes', async () => {
    const seen = echoRequestsFromNow();
    const client = await open(echoRoute);
    await client.write(get('/echo?valid') + `GET /echo HTTP/2.0\r\n${HOST}\r\n`);
    expect((await client.readResponse()).status).toBe(200);
    expect((await client.readResponse()).status).toBe(505);
    expect(await client.closedWithLeftover()).toBe('');
    expect(seen().map((r) => r.url)).toEqual(['/echo?valid']);
  });

  it.each([
    ['Content-Length', `Content-Length: ${smuggled.length}\r\nConnection: content-length\r\n\r\n${smuggled}`],
    [
      'Transfer-Encoding',
      `Transfer-Encoding: chunked\r\nConnection: transfer-encoding\r\n\r\n${smuggled.length.toString(16)}\r\n${smuggled}\r\n0\r\n\r\n`,
    ],
  ])(
    'does not let Connection strip %s from a request: its body reaches the target as a body, never as a request',
    async (_framing, rest) => {
      const seen = echoRequestsFromNow();
      const client = await open(echoRoute);
      await client.write(`POST /echo HTTP/1.1\r\n${HOST}${rest}`);
      const status = await client.readResponse().then(
        (r) => r.status,
        (e: Error) => e.message,
      );
      client.destroy();
      // The target answers once it has read the body, so by now it has seen everything it is going to.
      expect(seen().map((r) => [r.method, r.url, r.bytes])).toEqual([['POST', '/echo', smuggled.length]]);
      expect(status).toBe(200);
    },
  );

  it('does not let a target strip Content-Length from its response through Connection', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/names-content-length'));
    const head = await client.readHead();
    expect([head.status, field(head, 'content-length')]).toEqual([200, '5']);
    expect((await client.readExactly(5, 'the body')).toString()).toBe('hello');
    client.destroy();
  });
});

describe('header rewriting', () => {
  it('drops hop-by-hop fields and sets X-Forwarded-*, as an ALB does', async () => {
    const client = await open(echoRoute);
    await client.write(
      'GET /echo?hop HTTP/1.1\r\n' +
        HOST +
        'Connection: keep-alive, x-secret\r\n' +
        'Keep-Alive: timeout=5\r\n' +
        'Upgrade: websocket\r\n' +
        'TE: trailers\r\n' +
        'Proxy-Connection: keep-alive\r\n' +
        'X-Secret: hush\r\n' +
        'X-Forwarded-Proto: https\r\n' +
        'X-Forwarded-Port: 443\r\n' +
        'X-Forwarded-For: 198.51.100.1\r\n' +
        'X-Kept: yes\r\n\r\n',
    );
    const res = await client.readResponse();
    expect(echoed(res).headers).toEqual([
      ['Host', 'wire.test'],
      ['X-Kept', 'yes'],
      ['X-Forwarded-For', '198.51.100.1, 127.0.0.1'],
      ['X-Forwarded-Proto', 'http'],
      // The listener's port in CreateListener, not the one it really listens on.
      ['X-Forwarded-Port', String(echoRoute.port)],
      ['X-Amzn-Trace-Id', expect.stringMatching(TRACE_ROOT)],
    ]);
    expect(echoRoute.localPort).not.toBe(echoRoute.port);
    // And in the response: the target's Connection and Keep-Alive give way to the listener's one Connection.
    expect(fieldValues(res, 'connection')).toEqual(['keep-alive']);
    expect(fieldValues(res, 'keep-alive')).toEqual([]);
    client.destroy();
  });

  it('adds X-Amzn-Trace-Id with a new Root to each request, and a Self before a Root the client sent', async () => {
    const client = await open(echoRoute);
    const trace = async (extra = '') => {
      await client.write(get('/echo?trace', extra));
      return fieldOf(echoed(await client.readResponse()), 'x-amzn-trace-id');
    };
    const [first, second] = [await trace(), await trace()];
    expect([first, second]).toEqual([expect.stringMatching(TRACE_ROOT), expect.stringMatching(TRACE_ROOT)]);
    expect(first).not.toBe(second);
    const root = 'Root=1-67891233-abcdef012345678912345678';
    expect(await trace(`X-Amzn-Trace-Id: ${root};CalledFrom=app\r\n`)).toMatch(
      new RegExp(`^Self=1-[0-9a-f]{8}-[0-9a-f]{24};${root};CalledFrom=app$`),
    );
    client.destroy();
  });

  it('appends the client address to X-Forwarded-For when the client sent it twice', async () => {
    const client = await open(echoRoute);
    await client.write(get('/echo?xff', 'X-Forwarded-For: 203.0.113.1\r\nX-Forwarded-For: 203.0.113.2, 10.0.0.1\r\n'));
    const forwardedFor = echoed(await client.readResponse()).headers.filter(([n]) => n === 'X-Forwarded-For');
    expect(forwardedFor).toEqual([['X-Forwarded-For', '203.0.113.1, 203.0.113.2, 10.0.0.1, 127.0.0.1']]);
    client.destroy();
  });
});

describe('misbehaving targets', () => {
  it('closes the client connection when the target resets in the middle of a Content-Length body', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/reset-mid-body'));
    const head = await client.readHead();
    expect([head.status, field(head, 'content-length')]).toEqual([200, '100000']);
    expect((await client.readExactly(1000, 'the first 1000 bytes')).toString()).toBe('x'.repeat(1000));
    misbehaving.held.pop()!.resetAndDestroy();
    // Cut off: nothing more comes (no error page glued to the body), and the connection is gone.
    expect(await client.closedWithLeftover()).toBe('');
  });

  it('closes the client connection when the target resets in the middle of a chunked body', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/reset-mid-chunks'));
    const head = await client.readHead();
    expect([head.status, field(head, 'transfer-encoding')]).toEqual([200, 'chunked']);
    expect((await client.readThrough(CRLF, 'a chunk size')).toString()).toBe('3e8\r\n');
    expect((await client.readExactly(1002, 'the chunk')).toString()).toBe(`${'y'.repeat(1000)}\r\n`);
    misbehaving.held.pop()!.resetAndDestroy();
    // No last chunk: the client sees the response was cut off.
    expect(await client.closedWithLeftover()).toBe('');
  });

  it('answers 502 from awselb when the target resets before any response byte, and keeps the client connection', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/reset-before-response'));
    const res = await client.readResponse();
    expect([res.status, res.reason, field(res, 'server'), field(res, 'connection')]).toEqual([
      502,
      'Bad Gateway',
      'awselb/2.0',
      'keep-alive',
    ]);
    expect(res.body.toString()).toContain('<h1>502 Bad Gateway</h1>');
    await client.write(get('/ok'));
    const ok = await client.readResponse();
    expect([ok.status, ok.body.toString(), field(ok, 'connection')]).toEqual([200, 'ok', 'keep-alive']);
    client.destroy();
  });

  it('answers 502 when the first bytes of a chunked response body already break its framing', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/broken-chunks'));
    const outcome = await client.readResponse().then(
      (r) => `${r.status} from ${field(r, 'server')}`,
      (e: Error) => e.message,
    );
    expect(outcome).toBe('502 from awselb/2.0');
    client.destroy();
  });

  it('answers 502 to a response with both Content-Length and Transfer-Encoding', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/length-and-chunked'));
    const res = await client.readResponse();
    expect([res.status, field(res, 'server'), field(res, 'connection')]).toEqual([502, 'awselb/2.0', 'keep-alive']);
    client.destroy();
  });

  it('cuts the client connection when chunked framing breaks after the head went out', async () => {
    const client = await open(misbehavingRoute);
    await client.write(get('/broken-chunks-later'));
    const head = await client.readHead();
    expect(head.status).toBe(200);
    expect((await client.readExactly(10, 'the first chunk')).toString()).toBe('5\r\nhello\r\n');
    misbehaving.held.pop()!.write('zz\r\n');
    expect(await client.closedWithLeftover()).toBe('');
  });

  it('does not fail a GET on a pooled connection the target closed while idle (keepAliveTimeout 100 ms)', async () => {
    const client = await open(staleRoute);
    const statuses: number[] = [];
    for (let round = 1; round <= 3; round++) {
      await client.write(get(`/echo?round=${round}`));
      statuses.push((await client.readResponse()).status);
      // Node closes an idle connection some time after keepAliveTimeout (20.x adds a second): wait until it has,
      // then ask again at once, while the listener may still hold the closing connection in its pool.
      await waitFor('the target to close the idle connection', () =>
        stale.closedConnections === round ? true : undefined,
      );
    }
    await client.write(get('/echo?last'));
    statuses.push((await client.readResponse()).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    // Each request after an idle close went out on a new connection (directly, or as the retry).
    expect(stale.requests.map((r) => r.connection)).toEqual([1, 2, 3, 4]);
    client.destroy();
  });

  it('sends a GET again on a new connection when a reused one drops it, but answers 502 to a POST', async () => {
    const client = await open(droppingRoute);
    const bodies: string[] = [];
    for (let i = 0; i < 3; i++) {
      await client.write(get(`/get-${i}`));
      const res = await client.readResponse();
      expect(res.status).toBe(200);
      bodies.push(res.body.toString());
    }
    // Each GET after the first went out on the pooled connection, was dropped, and was sent again on a new one.
    expect(bodies).toEqual(['conn 1', 'conn 2', 'conn 3']);
    await client.write(`POST /post HTTP/1.1\r\n${HOST}Content-Length: 4\r\n\r\nbody`);
    const post = await client.readResponse();
    expect([post.status, field(post, 'server')]).toEqual([502, 'awselb/2.0']);
    // Not sent twice: a POST may have had an effect.
    expect(dropping.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
    await client.write(get('/after-post'));
    expect((await client.readResponse()).body.toString()).toBe('conn 4');
    expect(dropping.requests.map((r) => [r.path, r.connection])).toEqual([
      ['/get-0', 1],
      ['/get-1', 1],
      ['/get-1', 2],
      ['/get-2', 2],
      ['/get-2', 3],
      ['/post', 3],
      ['/after-post', 4],
    ]);
    client.destroy();
  });
});
