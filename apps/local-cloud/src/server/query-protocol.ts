import type { ServerResponse } from 'node:http';
import type { AwsError } from '../contract';
import type { QueryObject } from './query-params';
import { escapeXml, toXml } from './xml';

/** Handler for one Query-protocol operation: the decoded parameters in, the `<XResult>` content out. */
export type QueryOperationHandler = (params: QueryObject) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** One AWS Query-protocol service behind the endpoint. */
export interface QueryServiceBinding {
  name: string;
  /** The `Version` parameter it answers, e.g. `2015-12-01`. */
  version: string;
  xmlns: string;
  /** The `<Code>` of an error when it is not the error's own code (a service that also speaks JSON). */
  errorCode?: (error: AwsError) => string;
  api: Record<string, QueryOperationHandler>;
}

/** Writes `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata>…`. */
export function writeQueryResult(
  res: ServerResponse,
  binding: QueryServiceBinding,
  action: string,
  result: Record<string, unknown>,
  requestId: string,
): void {
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${binding.xmlns}">` +
    `<${action}Result>${toXml(result)}</${action}Result>` +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
  res.writeHead(200, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

/** Writes `<ErrorResponse><Error><Type>Sender</Type><Code>…`. */
export function writeQueryError(
  res: ServerResponse,
  xmlns: string,
  error: AwsError,
  requestId: string,
  binding?: QueryServiceBinding,
): void {
  const code = binding?.errorCode?.(error) ?? error.code;
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="${xmlns}"><Error><Type>${queryErrorType(error)}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`;
  res.writeHead(error.status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

/** Who is at fault, as the Query protocol says it: `Sender` for 4xx, `Receiver` for 5xx. */
export function queryErrorType(error: AwsError): 'Sender' | 'Receiver' {
  return error.status >= 500 ? 'Receiver' : 'Sender';
}
