import { escapeForTerminal } from '@shipgate/model/core';

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

/** Milliseconds for people: `850 ms`, `12.4 s`, `3 min 05 s`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
