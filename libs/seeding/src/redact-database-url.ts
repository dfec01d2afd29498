/** Replaces the password of a connection URL with `***` (also in `password=` query parameters). Never throws. */
export function redactDatabaseUrl(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/?#@]*):([^@/?#]*)@/i, '$1:***@');
  out = out.replace(/([?&]password=)[^&#]*/gi, '$1***');
  return out;
}

/** The password embedded in a connection URL, if any (so that it can be scrubbed from driver messages). */
export function passwordOf(url: string): string | undefined {
  const inline = /^[a-z][a-z0-9+.-]*:\/\/[^:/?#@]*:([^@/?#]*)@/i.exec(url)?.[1];
  const param = /[?&]password=([^&#]*)/i.exec(url)?.[1];
  const raw = inline || param;
  if (!raw) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Removes a connection URL's password, raw or URL-encoded, from any text (error messages from drivers). */
export function scrubSecret(text: string, url: string): string {
  const password = passwordOf(url);
  let out = text.split(url).join(redactDatabaseUrl(url));
  if (password) {
    for (const form of new Set([password, encodeURIComponent(password)])) out = out.split(form).join('***');
  }
  return out;
}
