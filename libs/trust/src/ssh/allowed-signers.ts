import { err, ok, type Problem, type Result } from '@shipgate/model';
import { matchPatternList } from './match-pattern';
import { parseSshPublicKey, type SshPublicKey } from './ssh-public-key';

// OpenSSH's allowed-signers format (ssh-keygen(1) ALLOWED SIGNERS), read as sshsig.c reads it:
//   principals [options] keytype base64-key [comment]
// principals is a pattern list (a token that may contain one "quoted" part); options are
// cert-authority, namespaces="…", valid-after="…", valid-before="…" (quotes optional on the
// times), case-insensitive, comma-separated. ssh-keygen fails a verification on a malformed line;
// shipgate refuses the whole file, so a typo can never silently drop or widen a release manager's rights.

/** One line of an allowed-signers file. */
export interface AllowedSigner {
  line: number;
  /** The principals pattern list, as written. */
  principals: string;
  certAuthority: boolean;
  /** The namespaces pattern list, when restricted. */
  namespaces?: string;
  validAfter?: Date;
  validBefore?: Date;
  /** Undefined for key types OpenSSH knows and shipgate does not verify (security keys, certificates). */
  key?: SshPublicKey;
}

const openSshKeyTypes =
  /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ecdsa-sha2-nistp256@openssh\.com|sk-ssh-ed25519@openssh\.com)(-cert-v01@openssh\.com)?$/;
const whitespace = /[ \t\r\n]/;

/** Parses an allowed-signers file; every malformed line is a problem with its line number. */
export function parseAllowedSigners(text: string, file = 'allowed_signers'): Result<AllowedSigner[], Problem[]> {
  const signers: AllowedSigner[] = [];
  const problems: Problem[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const parsed = parseLine(raw.replace(/^[ \t\r\n]+/, ''), line);
    if (parsed === undefined) return;
    if (typeof parsed === 'string') {
      problems.push({
        code: 'ALLOWED_SIGNERS_INVALID',
        message: `${file}:${line}: ${parsed}`,
        path: file,
        line,
        hint: 'Each line is `principals [options] keytype base64-key`, as ssh-keygen(1) ALLOWED SIGNERS describes.',
      });
    } else signers.push(parsed);
  });
  return problems.length ? err(problems) : ok(signers);
}

function parseLine(text: string, line: number): AllowedSigner | string | undefined {
  if (text === '' || text.startsWith('#')) return undefined;
  const first = takeToken(text);
  if (!first || first.rest === undefined) return 'expected principals, options and a key, found an invalid line';
  let rest = first.rest;
  let options = '';
  if (!openSshKeyTypes.test(rest.split(whitespace)[0] ?? '')) {
    const end = endOfOptions(rest);
    if (end === undefined) return 'expected options then a key, found options with an unclosed quote';
    options = rest.slice(0, end);
    rest = rest.slice(end).replace(/^[ \t]+/, '');
    if (rest === '') return 'expected a key after the options, found none';
  }
  const key = readKey(rest);
  if (typeof key === 'string') return key;
  const opts = parseOptions(options);
  if (typeof opts === 'string') return `bad options: ${opts}`;
  return { line, principals: first.token, ...opts, ...(key ? { key } : {}) };
}

// strdelimw: the token ends at whitespace; a quote inside it opens a quoted run that may hold spaces
// (the quotes are dropped); an unclosed quote makes the line invalid.
function takeToken(text: string): { token: string; rest: string | undefined } | undefined {
  const at = text.search(/[ \t\r\n"]/);
  if (at < 0) return { token: text, rest: undefined };
  if (text[at] === '"') {
    const close = text.indexOf('"', at + 1);
    if (close < 0) return undefined;
    return {
      token: text.slice(0, at) + text.slice(at + 1, close),
      rest: text.slice(close + 1).replace(/^[ \t\r\n]+/, ''),
    };
  }
  return { token: text.slice(0, at), rest: text.slice(at + 1).replace(/^[ \t\r\n]+/, '') };
}

function endOfOptions(text: string): number | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (!quoted && (c === ' ' || c === '\t')) return i;
    if (c === '\\' && text[i + 1] === '"') i++;
    else if (c === '"') quoted = !quoted;
  }
  return quoted ? undefined : text.length;
}

function readKey(text: string): SshPublicKey | undefined | string {
  const [type = '', base64 = ''] = text.split(/[ \t\r\n]+/);
  if (!openSshKeyTypes.test(type)) return `expected a key type, found ${JSON.stringify(type)}`;
  if (type.includes('-cert-') || type.startsWith('sk-') || type === 'ssh-dss') return undefined;
  try {
    return parseSshPublicKey(`${type} ${base64}`);
  } catch {
    return `expected a base64 ${type} key, found one that does not parse`;
  }
}

type Options = Pick<AllowedSigner, 'certAuthority' | 'namespaces' | 'validAfter' | 'validBefore'>;

function parseOptions(text: string): Options | string {
  const out: Options = { certAuthority: false };
  let rest = text;
  while (rest !== '') {
    const name = /^[A-Za-z-]+/.exec(rest)?.[0].toLowerCase() ?? '';
    if (name === 'cert-authority') {
      out.certAuthority = true;
      rest = rest.slice(name.length);
    } else if (['namespaces', 'valid-after', 'valid-before'].includes(name) && rest[name.length] === '=') {
      const value = dequote(rest.slice(name.length + 1));
      if (!value) return `expected ${name}="…", found an unquoted or unterminated value`;
      rest = value.rest;
      if (name === 'namespaces') {
        if (out.namespaces !== undefined) return 'multiple "namespaces" clauses';
        out.namespaces = value.value;
      } else {
        const field = name === 'valid-after' ? 'validAfter' : 'validBefore';
        if (out[field]) return `multiple "${name}" clauses`;
        const at = parseSshTime(value.value);
        if (!at) return `invalid "${name}" time ${JSON.stringify(value.value)} (YYYYMMDD[Z] or YYYYMMDDHHMM[SS][Z])`;
        out[field] = at;
      }
    } else return `unknown key option at ${JSON.stringify(rest)}`;
    if (rest === '') break;
    if (rest[0] !== ',') return `unknown key option at ${JSON.stringify(rest)}`;
    rest = rest.slice(1);
    if (rest === '') return 'unexpected end-of-options';
  }
  if (out.validAfter && out.validBefore && out.validBefore <= out.validAfter) {
    return '"valid-before" time is before "valid-after"';
  }
  return out;
}

// opt_dequote: a double-quoted value, `\"` standing for a quote.
function dequote(text: string): { value: string; rest: string } | undefined {
  if (text[0] !== '"') return undefined;
  let value = '';
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\' && text[i + 1] === '"') {
      value += '"';
      i++;
    } else if (text[i] === '"') return { value, rest: text.slice(i + 1) };
    else value += text[i];
  }
  return undefined;
}

/**
 * OpenSSH's absolute time: YYYYMMDD, YYYYMMDDHHMM or YYYYMMDDHHMMSS, in UTC with a `Z` (or `UTC`)
 * suffix, else in the process's local time zone, as ssh-keygen reads it.
 */
export function parseSshTime(text: string): Date | undefined {
  const utc = /(z|utc)$/i.exec(text);
  const digits = utc ? text.slice(0, utc.index) : text;
  if (!/^\d+$/.test(digits) || ![8, 12, 14].includes(digits.length)) return undefined;
  const n = (from: number, to: number) => (digits.length >= to ? Number(digits.slice(from, to)) : 0);
  const parts = [n(0, 4), n(4, 6) - 1, n(6, 8), n(8, 10), n(10, 12), n(12, 14)] as const;
  const date = utc ? new Date(Date.UTC(...parts)) : new Date(...parts);
  // Reject dates the calendar does not have (20261340), as strptime does.
  const back = utc ? date.getUTCMonth() : date.getMonth();
  return Number.isNaN(date.getTime()) || back !== parts[1] ? undefined : date;
}

/** Why no line of the file allowed a key. */
export interface SignerRefusal {
  reason: 'unknown-key' | 'principal-not-allowed' | 'namespace-not-allowed' | 'not-yet-valid' | 'expired';
  message: string;
}

/**
 * The principals the file allows to sign with `key` in `namespace` at `now`, as
 * `ssh-keygen -Y verify -I principal` (with `principal`) or `-Y find-principals` (without) decides.
 * Times compare in whole seconds, inclusive at both ends, as OpenSSH compares them.
 */
export function findAllowedPrincipals(
  signers: AllowedSigner[],
  key: SshPublicKey,
  namespace: string,
  now: Date,
  principal?: string,
): Result<string[], SignerRefusal> {
  const at = Math.floor(now.getTime() / 1000);
  const found: string[] = [];
  const refusals: SignerRefusal[] = [];
  for (const s of signers) {
    if (s.certAuthority || !s.key || !s.key.blob.equals(key.blob)) continue;
    if (principal !== undefined && matchPatternList(principal, s.principals) !== 1) {
      refusals.push({
        reason: 'principal-not-allowed',
        message: `line ${s.line} allows ${s.principals}, not ${principal}`,
      });
      continue;
    }
    if (s.namespaces !== undefined && matchPatternList(namespace, s.namespaces) !== 1) {
      refusals.push({
        reason: 'namespace-not-allowed',
        message: `line ${s.line} allows namespaces ${s.namespaces}, not ${namespace}`,
      });
      continue;
    }
    if (s.validAfter && at < Math.floor(s.validAfter.getTime() / 1000)) {
      refusals.push({
        reason: 'not-yet-valid',
        message: `line ${s.line} is valid after ${s.validAfter.toISOString()}, now is ${now.toISOString()}`,
      });
      continue;
    }
    if (s.validBefore && at > Math.floor(s.validBefore.getTime() / 1000)) {
      refusals.push({
        reason: 'expired',
        message: `line ${s.line} was valid before ${s.validBefore.toISOString()}, now is ${now.toISOString()}`,
      });
      continue;
    }
    // Without a principal to check, only literal names identify a person: a pattern (`*@example.com`)
    // or a negation names nobody, so such entries are left out rather than taken as an identity.
    const names = principal !== undefined ? [principal] : s.principals.split(',').filter((p) => !/^!|[*?]/.test(p));
    if (names.length === 0) {
      refusals.push({
        reason: 'principal-not-allowed',
        message: `line ${s.line} lists only patterns (${s.principals}), which name no one`,
      });
      continue;
    }
    found.push(...names);
  }
  if (found.length) return ok([...new Set(found)]);
  // A line that names the principal says more about the refusal than one that names someone else.
  return err(
    refusals.find((r) => r.reason !== 'principal-not-allowed') ??
      refusals[0] ?? {
        reason: 'unknown-key',
        message: `expected a key listed in the allowed signers, found ${key.fingerprint}`,
      },
  );
}
