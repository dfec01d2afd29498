import type { ServerResponse } from 'node:http';
import { AwsError, type JsonServiceApi } from '../contract';
import { queryErrorType } from './query-protocol';

/** One AWS JSON-protocol service behind the endpoint. */
export interface JsonServiceBinding {
  /** Short name used by faults and logs (`ecs`). */
  name: string;
  /** `X-Amz-Target` prefix, e.g. `AmazonEC2ContainerServiceV20141113`. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  /** CloudWatch answers query-compatible errors (`x-amzn-query-error`). */
  queryCompatible?: boolean;
  /** For query-compatible services: the legacy Query error code of an error (default: its code). */
  legacyErrorCode?: (error: AwsError) => string;
  /** The service also speaks Smithy RPC v2 CBOR; its errors' `__type` is `<namespace>#<code>`. */
  rpcV2Cbor?: { namespace: string };
  api: JsonServiceApi;
}

/** JSON protocols carry timestamps as epoch seconds. */
export function toJsonBody(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

/** Writes a successful JSON answer. */
export function writeJson(
  res: ServerResponse,
  status: number,
  jsonVersion: '1.0' | '1.1',
  body: unknown,
  requestId: string,
): void {
  const text = toJsonBody(body);
  res.writeHead(status, {
    'content-type': `application/x-amz-json-${jsonVersion}`,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  res.end(text);
}

/** Writes an error the way AWS JSON services do: `__type` + `message`, and the `x-amzn-ErrorType` header. */
export function writeJsonError(
  res: ServerResponse,
  error: AwsError,
  jsonVersion: '1.0' | '1.1',
  requestId: string,
  binding?: JsonServiceBinding,
): void {
  const body = { __type: error.code, message: error.message, ...error.extra };
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'content-type': `application/x-amz-json-${jsonVersion}`,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': `${error.code}:http://internal.amazon.com/coral/com.amazonaws.local/`,
  };
  if (binding?.queryCompatible) headers['x-amzn-query-error'] = queryErrorHeader(binding, error);
  res.writeHead(error.status, headers);
  res.end(text);
}

/** The `x-amzn-query-error` value (`<LegacyCode>;<Sender|Receiver>`) a query-compatible service sends. */
export function queryErrorHeader(binding: JsonServiceBinding, error: AwsError): string {
  return `${binding.legacyErrorCode?.(error) ?? error.code};${queryErrorType(error)}`;
}

/** Parses a JSON request body; AWS answers `SerializationException` for anything that is not a JSON object. */
export function parseJsonRequest(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AwsError('SerializationException', `Unexpected content in the request body: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.');
  }
  return parsed as Record<string, unknown>;
}

/** Turns anything a handler threw into an AwsError (a bug becomes a 500 `InternalFailure`). */
export function asAwsError(e: unknown): AwsError {
  if (e instanceof AwsError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new AwsError('InternalFailure', `local-cloud internal error: ${message}`, 500);
}
