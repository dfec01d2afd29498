import { formatIso } from './fast-format';

/** A generated value, before it is written in PostgreSQL's COPY text format. */
export type Value = string | number | bigint | boolean | Date | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/** Encodes one value for COPY ... FROM STDIN (text format): `\N` for NULL, backslash escapes for tab/newline. */
export function encodeCopyValue(value: Value): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') {
    return NEEDS_ESCAPE.test(value) ? value.replace(/[\\\t\n\r]/g, escapeChar) : value;
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (value instanceof Date) return formatIso(value.getTime());
  return String(value);
}

function escapeChar(char: string): string {
  switch (char) {
    case '\\':
      return '\\\\';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    default:
      return '\\r';
  }
}

/** Encodes one row as a COPY text line (tab-separated, newline-terminated). */
export function encodeCopyLine(values: readonly Value[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += '\t';
    line += encodeCopyValue(values[i] as Value);
  }
  return line + '\n';
}

const ESCAPED: Record<string, string> = { t: '\t', n: '\n', r: '\r', b: '\b', f: '\f', v: '\v' };

/**
 * Decodes one COPY text field back to a string (or null): the inverse of encodeCopyValue for strings, and of
 * what PostgreSQL's COPY TO writes (it also escapes backspace, form feed and vertical tab).
 */
export function decodeCopyField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ESCAPED[c] ?? c);
}
