import { escapeForTerminal, type ShipgateError } from '@shipgate/model/core';

/**
 * An error for people: code, where, what was wrong, every problem, what to do. No stack trace. Every
 * part may quote input (a name, a file's content, a server's answer), so each is escaped: a newline
 * or an escape sequence in it cannot forge a line or rewrite the terminal (#11 item 15).
 */
export function renderError(error: ShipgateError): string {
  const where = formatLocation(error.location);
  const lines = [`error ${error.code}${where ? ` at ${where}` : ''}: ${escapeForTerminal(error.message)}`];
  for (const p of error.problems) {
    const at = [
      p.path,
      p.line !== undefined ? `line ${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(
      `  - ${at ? `${escapeForTerminal(at)}: ` : ''}${escapeForTerminal(p.message)}${p.hint ? `\n      hint: ${escapeForTerminal(p.hint)}` : ''}`,
    );
  }
  if (error.hint) lines.push(`hint: ${escapeForTerminal(error.hint)}`);
  return lines.join('\n');
}

function formatLocation(location: ShipgateError['location']): string {
  if (!location) return '';
  const file = location.file
    ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}${location.column !== undefined ? `:${location.column}` : ''}`
    : '';
  return escapeForTerminal([file, location.path].filter(Boolean).join(' '));
}
