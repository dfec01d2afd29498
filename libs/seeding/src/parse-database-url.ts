import { ShipgateError } from '@shipgate/model';

/** The SQL dialects shipgate writes to. */
export type SqlDialectName = 'postgres' | 'mysql';

/** The URL schemes accepted, and the dialect each one speaks. */
export const DATABASE_SCHEMES: Readonly<Record<string, SqlDialectName>> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
};

/** A connection URL taken apart: user and password decoded, the rest as written. */
export interface DatabaseUrl {
  scheme: string;
  dialect: SqlDialectName;
  user: string;
  password: string | undefined;
  /** Host as written (may be a bracketed IPv6 address or a percent-encoded socket directory). */
  host: string;
  port: number | undefined;
  database: string;
  params: [string, string][];
  /** The same URL with every password replaced by `***`: the only form that may be printed. */
  redacted: string;
  /** The same URL with user and password percent-encoded, as the drivers' own parsers expect. */
  normalized: string;
}

interface UrlParts {
  scheme: string;
  userinfo: string | undefined;
  rest: string;
}

/**
 * The split every other function here builds on. The user and password end at the LAST `@`: passwords hold
 * raw `@ / ? # :` often enough (pasted from a secret store), and reading too much as the password only hides
 * more, never less. Undefined when the text has no `scheme://`.
 */
function splitUrl(url: string): UrlParts | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(.*)$/s.exec(url.trim());
  if (!m) return undefined;
  const body = m[2] as string;
  const at = body.lastIndexOf('@');
  return at < 0
    ? { scheme: (m[1] as string).toLowerCase(), userinfo: undefined, rest: body }
    : { scheme: (m[1] as string).toLowerCase(), userinfo: body.slice(0, at), rest: body.slice(at + 1) };
}

function decode(text: string): string {
  // A `%` that does not start an escape is taken literally (a raw password such as `50%off`).
  return text.replace(/(%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

function maskQuery(rest: string): string {
  return rest.replace(/([?&](?:password|pass|pwd)=)[^&#]*/gi, '$1***');
}

/** Replaces the password of a connection URL (and `password=` parameters) with `***`. Never throws, never leaks. */
export function redactDatabaseUrl(url: string): string {
  const parts = splitUrl(url);
  if (!parts) return '(a database URL that could not be read; not shown)';
  const colon = parts.userinfo?.indexOf(':') ?? -1;
  const userinfo =
    parts.userinfo === undefined ? '' : colon < 0 ? `${parts.userinfo}@` : `${parts.userinfo.slice(0, colon)}:***@`;
  return `${parts.scheme}://${userinfo}${maskQuery(parts.rest)}`;
}

function invalid(url: string, found: string, hint: string): ShipgateError {
  return new ShipgateError('DATABASE_URL_INVALID', `expected a database URL, found ${found}`, {
    hint,
    details: { target: redactDatabaseUrl(url) },
  });
}

const URL_HINT =
  'Write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE or mysql://USER:PASSWORD@HOST:PORT/DATABASE (percent-encode special characters, e.g. encodeURIComponent).';

/**
 * Parses and checks a connection URL before anything connects: DATABASE_URL_INVALID (exit 2) for an unsupported
 * scheme or a malformed host, port or parameter; the message never holds the password.
 */
export function parseDatabaseUrl(url: string): DatabaseUrl {
  const parts = splitUrl(url);
  if (!parts) throw invalid(url, 'text without a scheme:// prefix', URL_HINT);
  const dialect = DATABASE_SCHEMES[parts.scheme];
  if (!dialect) {
    throw invalid(
      url,
      `the unsupported scheme "${parts.scheme}://"; supported: ${Object.keys(DATABASE_SCHEMES).join(', ')}`,
      'Use a PostgreSQL (postgres://) or MySQL/MariaDB (mysql://) URL, or omit --database-url to seed the embedded PGlite database.',
    );
  }
  const m = /^(\[[0-9A-Fa-f:.]+\]|[^/?#:[\]]*)(?::([^/?#]*))?(\/[^?#]*)?(\?[^#]*)?(#.*)?$/s.exec(parts.rest);
  if (!m) throw invalid(url, `a host part that cannot be read in ${redactDatabaseUrl(url)}`, URL_HINT);
  const [, host = '', portText, path = '', query = ''] = m;
  if (portText !== undefined && !/^\d{1,5}$/.test(portText))
    throw invalid(url, `port "${portText}" in ${redactDatabaseUrl(url)} (a number 1-65535)`, URL_HINT);
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535))
    throw invalid(url, `port ${port} in ${redactDatabaseUrl(url)} (a number 1-65535)`, URL_HINT);
  if (dialect === 'mysql' && host === '')
    throw invalid(url, `no host in ${redactDatabaseUrl(url)}`, 'Name the server: mysql://USER@HOST:3306/DATABASE.');
  const params: [string, string][] = [];
  for (const pair of query.slice(1).split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    params.push(eq < 0 ? [decode(pair), ''] : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))]);
  }
  const colon = parts.userinfo?.indexOf(':') ?? -1;
  const user = parts.userinfo === undefined ? '' : decode(colon < 0 ? parts.userinfo : parts.userinfo.slice(0, colon));
  const password = colon < 0 ? undefined : decode((parts.userinfo as string).slice(colon + 1));
  const auth =
    parts.userinfo === undefined
      ? ''
      : `${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
  return {
    scheme: parts.scheme,
    dialect,
    user,
    password,
    host,
    port,
    database: decode(path.slice(1)),
    params,
    redacted: redactDatabaseUrl(url),
    normalized: `${parts.scheme}://${auth}${host}${portText !== undefined ? `:${portText}` : ''}${path}${query}`,
  };
}

/** The password of a URL as the forms it may appear in: raw, decoded and percent-encoded. */
function secretForms(url: string): string[] {
  const parts = splitUrl(url);
  const forms = new Set<string>();
  const colon = parts?.userinfo?.indexOf(':') ?? -1;
  if (parts?.userinfo !== undefined && colon >= 0) {
    const raw = parts.userinfo.slice(colon + 1);
    for (const form of [raw, decode(raw), encodeURIComponent(decode(raw))]) forms.add(form);
  }
  for (const m of (parts?.rest ?? '').matchAll(/[?&](?:password|pass|pwd)=([^&#]*)/gi)) {
    const raw = m[1] as string;
    for (const form of [raw, decode(raw), encodeURIComponent(decode(raw))]) forms.add(form);
  }
  forms.delete('');
  // Longest first, so that a form that contains another is removed whole.
  return [...forms].sort((a, b) => b.length - a.length);
}

/** Removes a connection URL (and its password in any form) from text, such as a driver's error message. */
export function scrubSecret(text: string, url: string): string {
  let out = text;
  const redacted = redactDatabaseUrl(url);
  for (const whole of new Set([url, url.trim(), splitUrl(url) ? safeNormalized(url) : undefined]))
    if (whole) out = out.split(whole).join(redacted);
  for (const form of secretForms(url)) out = out.split(form).join('***');
  return out;
}

function safeNormalized(url: string): string | undefined {
  try {
    return parseDatabaseUrl(url).normalized;
  } catch {
    return undefined;
  }
}
