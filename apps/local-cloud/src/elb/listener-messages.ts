import type { RequestHead, ResponseHead } from './http1-parse';

/**
 * The head the listener sends the target: the client's fields as the parser kept them, the client's
 * address appended to X-Forwarded-For, X-Forwarded-Proto and -Port set, and X-Amzn-Trace-Id added or
 * updated with `traceId` (`1-<epoch seconds, 8 hex>-<24 hex>`), all as an ALB does.
 * An HTTP/1.0 request goes on as HTTP/1.0 so that the target never answers it with a chunked body.
 */
export function upstreamRequestHead(
  head: RequestHead,
  clientAddress: string,
  listenerPort: number,
  traceId: string,
): string {
  const forwardedFor = head.forwardedFor === undefined ? clientAddress : `${head.forwardedFor}, ${clientAddress}`;
  // HTTP/1.0 closes by default; ask the target to keep the connection for the next request.
  const keepAlive = head.minor === 0 ? 'Connection: keep-alive\r\n' : '';
  return (
    `${head.method} ${head.target} HTTP/1.${head.minor}\r\n${head.forwardFields}` +
    `X-Forwarded-For: ${forwardedFor}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${listenerPort}\r\n` +
    `X-Amzn-Trace-Id: ${amznTraceId(head.traceId, traceId)}\r\n${keepAlive}\r\n`
  );
}

/**
 * X-Amzn-Trace-Id as an ALB forwards it: a new `Root` when the client sent none; with the client's
 * `Root`, a `Self` field inserted before it (or its `Self` updated); other fields kept as they are.
 */
export function amznTraceId(incoming: string | undefined, id: string): string {
  if (incoming === undefined || incoming === '') return `Root=${id}`;
  const fields = incoming.split(';');
  const self = fields.findIndex((f) => f.trimStart().startsWith('Self='));
  if (self >= 0) {
    fields[self] = `Self=${id}`;
    return fields.join(';');
  }
  return fields.some((f) => f.trimStart().startsWith('Root=')) ? `Self=${id};${incoming}` : `Root=${id};${incoming}`;
}

/** The head the listener sends the client: the target's fields as the parser kept them, and its own Connection. */
export function clientResponseHead(res: ResponseHead, keepAlive: boolean): string {
  return `HTTP/1.1 ${res.status} ${res.reason}\r\n${res.forwardFields}Connection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n`;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
  505: 'HTTP Version Not Supported',
};

/** A whole response as an Application Load Balancer answers when it cannot forward a request. */
export function albErrorResponse(status: number, keepAlive: boolean, now: Date): string {
  const text = REASONS[status] ?? 'Error';
  const body = `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n</body>\r\n</html>\r\n`;
  return (
    `HTTP/1.1 ${status} ${text}\r\nServer: awselb/2.0\r\nDate: ${now.toUTCString()}\r\n` +
    `Content-Type: text/html\r\nContent-Length: ${body.length}\r\nConnection: ${keepAlive ? 'keep-alive' : 'close'}\r\n\r\n${body}`
  );
}
