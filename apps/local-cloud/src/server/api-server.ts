import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { AwsError } from '../contract';
import type { Faults } from '../faults/faults';
import { requestId as newRequestId } from '../ids';
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
    return options.control(req, res, body);
  }
  const requestId = newRequestId();
  const target = header(req, 'x-amz-target');
  const contentType = header(req, 'content-type') ?? '';
  if (target !== undefined || contentType.includes('json'))
    return handleJson(options, req, res, target, body, requestId);
  if (req.method === 'POST' && contentType.includes('x-www-form-urlencoded'))
    return handleQuery(options, req, res, body, requestId);
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

async function handleJson(
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
  const fail = (error: AwsError) =>
    writeJsonError(res, error, version, requestId, binding?.queryCompatible, binding?.queryErrorHeader);
  const auth = header(req, 'authorization');
  const scope = parseSigV4(auth);
  if (!scope) {
    return fail(
      auth === undefined
        ? new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token')
        : new AwsError(
            'IncompleteSignatureException',
            `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.`,
          ),
    );
  }
  const handler = binding && operation ? binding.api[operation] : undefined;
  if (!binding || !operation || !handler || !Object.hasOwn(binding.api, operation))
    return fail(
      new AwsError('UnknownOperationException', target ? `Unknown operation ${target}` : 'Missing X-Amz-Target header'),
    );
  const fault = options.faults.onCall(binding.name, operation, 'json');
  if (fault?.kind === 'reset') return void req.socket.destroy();
  if (fault) return fail(fault.error);
  try {
    const input = parseJsonRequest(body);
    const output = await withRequestContext({ region: scope.region, requestId }, () => handler(input));
    writeJson(res, 200, version, output, requestId);
  } catch (e) {
    fail(asAwsError(e));
  }
}

async function handleQuery(
  options: ApiServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
  body: string,
  requestId: string,
): Promise<void> {
  const params = parseQueryParams(body);
  const version = typeof params.Version === 'string' ? params.Version : undefined;
  const binding = options.query.find((b) => b.version === version) ?? options.query[0];
  const xmlns = binding?.xmlns ?? 'https://local-cloud.local/';
  const fail = (error: AwsError) => writeQueryError(res, xmlns, error, requestId);
  const auth = header(req, 'authorization');
  const scope = parseSigV4(auth);
  if (!scope) {
    return fail(
      auth === undefined
        ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : new AwsError(
            'IncompleteSignature',
            `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters of an AWS4-HMAC-SHA256 signature.`,
            400,
          ),
    );
  }
  const action = typeof params.Action === 'string' ? params.Action : undefined;
  if (!binding || binding.version !== version)
    return fail(
      new AwsError(
        'InvalidAction',
        `Could not find operation ${action ?? ''} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
      ),
    );
  const handler = action && Object.hasOwn(binding.api, action) ? binding.api[action] : undefined;
  if (!action || !handler)
    return fail(new AwsError('InvalidAction', `Could not find operation ${action ?? ''} for version ${version ?? ''}`));
  const fault = options.faults.onCall(binding.name, action, 'query');
  if (fault?.kind === 'reset') return void req.socket.destroy();
  if (fault) return fail(fault.error);
  try {
    const result = await withRequestContext({ region: scope.region, requestId }, () => handler(params));
    writeQueryResult(res, binding, action, result, requestId);
  } catch (e) {
    fail(asAwsError(e));
  }
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

function readBody(req: IncomingMessage): Promise<string> {
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
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
