import type { ServerResponse } from 'node:http';
import { AwsError } from '../contract';
import { decodeCbor, encodeCbor } from './cbor';
import { queryErrorHeader, type JsonServiceBinding } from './json-protocol';

/** Where Smithy RPC v2 CBOR sends an operation: `/service/<ServiceName>/operation/<Operation>`. */
export function cborRoute(pathname: string): { service: string; operation: string } | undefined {
  const m = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(pathname);
  return m ? { service: decodeURIComponent(m[1]!), operation: decodeURIComponent(m[2]!) } : undefined;
}

/** Parses a CBOR request body; an empty body is an empty input, anything but a map a `SerializationException`. */
export function parseCborRequest(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const value = decodeCbor(body);
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array)
    throw new AwsError('SerializationException', 'The request body is not a CBOR map.');
  return value as Record<string, unknown>;
}

/** Writes a successful RPC v2 CBOR answer (timestamps as tag 1). */
export function writeCbor(res: ServerResponse, body: unknown, requestId: string): void {
  const bytes = encodeCbor(body);
  res.writeHead(200, { ...cborHeaders(requestId), 'content-length': bytes.length });
  res.end(bytes);
}

/** Writes an RPC v2 CBOR error: `__type` (the error's shape id) and `message`, plus `x-amzn-query-error` where due. */
export function writeCborError(
  res: ServerResponse,
  error: AwsError,
  requestId: string,
  binding?: JsonServiceBinding,
): void {
  const namespace = binding?.rpcV2Cbor?.namespace;
  const bytes = encodeCbor({
    __type: namespace ? `${namespace}#${error.code}` : error.code,
    message: error.message,
    ...error.extra,
  });
  const headers: Record<string, string | number> = { ...cborHeaders(requestId), 'content-length': bytes.length };
  if (binding?.queryCompatible) headers['x-amzn-query-error'] = queryErrorHeader(binding, error);
  res.writeHead(error.status, headers);
  res.end(bytes);
}

// A client refuses an answer without `smithy-protocol: rpc-v2-cbor`.
function cborHeaders(requestId: string): Record<string, string> {
  return { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', 'x-amzn-requestid': requestId };
}
