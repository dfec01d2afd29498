import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AwsError } from '../contract';
import type { Faults } from '../faults/faults';
import { requestId as newRequestId } from '../ids';
import { cborRoute, parseCborRequest, writeCbor, writeCborError } from './cbor-protocol';
import { asAwsError, parseJsonRequest, writeJson, writeJsonError, type JsonServiceBinding } from './json-protocol';
import { parseQueryParams } from './query-params';
import { writeQueryError, writeQueryResult, type QueryServiceBinding } from './query-protocol';
import { withRequestContext } from './request-context';
import { parseSigV4 } from './sigv4';

/** Handles `/_local-cloud/...` (loopback callers only). */
export type ControlHandler = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<void>;

/** What the API server serves. */
export interface ApiServerOptions {
  host: string;
  port: number;
  defaultRegion: string;
  json: JsonServiceBinding[];
  query: QueryServiceBinding[];
  faults: Faults;
  control?: ControlHandler;
}

/** The running API endpoint. */
export interface ApiServer {
  endpoint: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;

/** Starts the one endpoint that serves every service, routed by `X-Amz-Target` or the Query `Action`. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    handle(options, req, res).catch((e: unknown) => {
      if (!res.headersSent) writeJsonError(res, asAwsError(e), '1.1', newRequestId());
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${options.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

async function handle(options: ApiServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = await readBody(req);
  const url = new URL(req.url ?? '/', 'http://local');
  if (url.pathname.startsWith('/_local-cloud/')) {
    if (!isLoopback(req.socket.remoteAddress) || !options.control) return void res.writeHead(404).end();
    return options.control(req, res, body.toString('utf8'));
  }
  const requestId = newRequestId();
  const target = header(req, 'x-amz-target');
  const contentType = header(req, 'content-type') ?? '';
  if (header(req, 'smithy-protocol') !== undefined || url.pathname.startsWith('/service/'))
    return handleCbor(options, req, res, url.pathname, body, requestId);
  if (target !== undefined || contentType.includes('json'))
    return handleJson(options, req, res, target, body.toString('utf8'), requestId);
  if (req.method === 'POST' && contentType.includes('x-www-form-urlencoded'))
    return handleQuery(options, req, res, body.toString('utf8'), requestId);
  if (req.method === 'GET' && url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ service: 'local-cloud', status: 'running' }));
  }
  writeJsonError(
    res,
    new AwsError(
      'UnknownOperationException',
      'The requested operation is not recognized by any service of this endpoint.',
    ),
    '1.1',
    requestId,
  );
}

type Output = Record<string, unknown>;

/** One call, whatever protocol carried it: what the protocol decoded, and how it answers. */
interface ApiCall<I> {
  authorization: string | undefined;
  /** AWS's answers to an unsigned and to a malformed signature, in this protocol. */
  unsigned: AwsError;
  badSignature: AwsError;
  /** The service (by its fault name) and operation, or the error that says why there is none. */
  route: { service: string; operation: string; handler: (input: I) => Promise<Output> | Output } | AwsError;
  protocol: 'json' | 'query';
  decode(): I;
  write(output: Output): void;
  fail(error: AwsError): void;
}

// The same steps for every protocol, so that a call behaves the same whichever one a client picks.
async function serve<I>(
  options: ApiServerOptions,
  req: IncomingMessage,
  call: ApiCall<I>,
  requestId: string,
): Promise<void> {
  const scope = parseSigV4(call.authorization);
  if (!scope) return call.fail(call.authorization === undefined ? call.unsigned : call.badSignature);
  if (call.route instanceof AwsError) return call.fail(call.route);
  const { service, operation, handler } = call.route;
  const fault = options.faults.onCall(service, operation, call.protocol);
  if (fault?.kind === 'reset') return void req.socket.destroy();
  if (fault) return call.fail(fault.error);
  try {
    const input = call.decode();
    call.write(await withRequestContext({ region: scope.region, requestId }, () => handler(input)));
  } catch (e) {
    call.fail(asAwsError(e));
  }
}

function handleJson(
  options: ApiServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  target: string | undefined,
  body: string,
  requestId: string,
): Promise<void> {
  const [prefix, operation] = (target ?? '').split('.', 2);
  const binding = options.json.find((b) => b.targetPrefix === prefix);
  const version = binding?.jsonVersion ?? (header(req, 'content-type')?.includes('1.0') ? '1.0' : '1.1');
  return serveJsonService(options, req, requestId, binding, {
    operation,
    unknown: target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header',
    decode: () => parseJsonRequest(body),
    write: (output) => writeJson(res, 200, version, output, requestId),
    fail: (error) => writeJsonError(res, error, version, requestId, binding),
  });
}

// Smithy RPC v2 CBOR: the same operations as a JSON service, for a binding that declares it speaks CBOR.
function handleCbor(
  options: ApiServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  body: Buffer,
  requestId: string,
): Promise<void> {
  const route = cborRoute(pathname);
  const binding = options.json.find((b) => b.rpcV2Cbor && b.targetPrefix === route?.service);
  return serveJsonService(options, req, requestId, binding, {
    operation: route?.operation,
    unknown: `Unknown operation ${pathname}`,
    decode: () => parseCborRequest(body),
    write: (output) => writeCbor(res, output, requestId),
    fail: (error) => writeCborError(res, error, requestId, binding),
  });
}

// JSON and CBOR carry the same services, with the same authentication answers.
function serveJsonService(
  options: ApiServerOptions,
  req: IncomingMessage,
  requestId: string,
  binding: JsonServiceBinding | undefined,
  call: { operation: string | undefined; unknown: string } & Pick<ApiCall<Output>, 'decode' | 'write' | 'fail'>,
): Promise<void> {
  const handler =
    binding && call.operation && Object.hasOwn(binding.api, call.operation) ? binding.api[call.operation] : undefined;
  return serve(
    options,
    req,
    {
      authorization: header(req, 'authorization'),
      unsigned: new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token'),
      badSignature: new AwsError(
        'IncompleteSignatureException',
        `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.`,
      ),
      route:
        binding && call.operation && handler
          ? { service: binding.name, operation: call.operation, handler }
          : new AwsError('UnknownOperationException', call.unknown),
      protocol: 'json',
      decode: call.decode,
      write: call.write,
      fail: call.fail,
    },
    requestId,
  );
}

function handleQuery(
  options: ApiServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  requestId: string,
): Promise<void> {
  const params = parseQueryParams(body);
  const version = typeof params.Version === 'string' ? params.Version : undefined;
  const binding = options.query.find((b) => b.version === version);
  const action = typeof params.Action === 'string' ? params.Action : undefined;
  const handler = binding && action && Object.hasOwn(binding.api, action) ? binding.api[action] : undefined;
  return serve(
    options,
    req,
    {
      authorization: header(req, 'authorization'),
      unsigned: new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
      badSignature: new AwsError(
        'IncompleteSignature',
        `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.`,
        400,
      ),
      route:
        binding && action && handler
          ? { service: binding.name, operation: action, handler }
          : new AwsError(
              'InvalidAction',
              `Could not find operation ${action ?? ''} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
            ),
      protocol: 'query',
      decode: () => params,
      write: (result) => binding && action && writeQueryResult(res, binding, action, result, requestId),
      fail: (error) =>
        writeQueryError(
          res,
          (binding ?? options.query[0])?.xmlns ?? 'https://local-cloud.local/',
          error,
          requestId,
          binding,
        ),
    },
    requestId,
  );
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function isLoopback(address: string | undefined): boolean {
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    (address?.startsWith('127.') ?? false)
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new AwsError('SerializationException', 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
