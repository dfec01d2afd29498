/**
 * `text` with every occurrence of `secret` (as written, URL-encoded or JSON-escaped) replaced by `***`.
 * For text that came back from a server holding the secret (an API that echoes the request, a proxy's
 * error page): it may carry the secret, and it reaches error messages and logs (#11 item 17).
 */
export function redactSecret(text: string, secret: string): string {
  if (secret === '') return text;
  let out = text;
  for (const form of new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])) {
    out = out.split(form).join('***');
  }
  return out;
}
