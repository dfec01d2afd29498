import type { RequestHead, ResponseHead } from './http1-parse';

/**
 * The head the listener sends the target: the client's fields as the parser kept them, the client's
 * address appended to X-Forwarded-For, and X-Forwarded-Proto and -Port set as an ALB sets them.
 * An HTTP/1.0 request goes on as HTTP/1.0 so that the target never answers it with a chunked body.
 */
export function upstreamRequestHead(head: RequestHead, clientAddress: string, listenerPort: number): string {
  const forwardedFor = head.forwardedFor === undefined ? clientAddress : `${head.forwardedFor}, ${clientAddress}`;
  // HTTP/1.0 closes by default; ask the target to keep the connection for the next request.
  const keepAlive = head.minor === 0 ? 'Connection: keep-alive\r\n' : '';
  return (
    `${head.method} ${head.target} HTTP/1.${head.minor}\r\n${head.forwardFields}` +
    `X-Forwarded-For: ${forwardedFor}\r\nX-Forwarded-Proto: http\r\nX-Forwarded-Port: ${listenerPort}\r\n${keepAlive}\r\n`
  );
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
