import { escapeForTerminal, formatDuration } from '@shipgate/model/core';

/**
 * A plain text table with aligned columns, for people. Cells often hold recorded text (actors, reasons,
 * names): each is escaped, so that one cell can never break a row or the terminal (#11 item 15).
 */
export function renderTable(headers: string[], cells: string[][]): string {
  const rows = cells.map((row) => row.map((cell) => escapeForTerminal(cell)));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** `2026-11-23T10:02:03.123Z` → `2026-11-23 10:02:03Z` */
export function shortTime(iso: string | undefined): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

/** A duration in a table or a sentence: the one formatter, and nothing for an unknown one. */
export function durationCell(ms: number | undefined): string {
  return ms === undefined ? '' : formatDuration(ms);
}
