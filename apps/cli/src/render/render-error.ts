import type { ShipgateError } from '@shipgate/model';

/** An error for people: code, where, what was wrong, every problem, what to do. No stack trace. */
export function renderError(error: ShipgateError): string {
  const where = formatLocation(error.location);
  const lines = [`error ${error.code}${where ? ` at ${where}` : ''}: ${error.message}`];
  for (const p of error.problems) {
    const at = [
      p.path,
      p.line !== undefined ? `line ${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : undefined,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`  - ${at ? `${at}: ` : ''}${p.message}${p.hint ? `\n      hint: ${p.hint}` : ''}`);
  }
  if (error.hint) lines.push(`hint: ${error.hint}`);
  return lines.join('\n');
}

function formatLocation(location: ShipgateError['location']): string {
  if (!location) return '';
  const file = location.file
    ? `${location.file}${location.line !== undefined ? `:${location.line}` : ''}${location.column !== undefined ? `:${location.column}` : ''}`
    : '';
  return [file, location.path].filter(Boolean).join(' ');
}
