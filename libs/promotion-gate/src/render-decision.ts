import { escapeForTerminal, type Decision, type RequirementStatus } from '@shipgate/model';

const symbols: Record<RequirementStatus, string> = { pass: '✓', fail: '✗', missing: '?', stale: '⌛' };

/** One-line verdict: `PASS sample-service rel-… → production` / `BLOCK … (3 of 15 requirements not met)`. */
export function decisionHeadline(decision: Decision): string {
  const unmet = decision.requirements.filter((r) => r.status !== 'pass').length;
  const head = `${decision.outcome === 'pass' ? 'PASS' : 'BLOCK'} ${decision.service} ${decision.releaseId} → ${decision.environment}`;
  return unmet
    ? `${head} (${unmet} of ${decision.requirements.length} requirements not met)`
    : `${head} (all ${decision.requirements.length} requirements met)`;
}

/** Display width of a string: code points, so that ✓, → and ≤ count as one column. */
function width(text: string): number {
  return [...text].length;
}

/** Keeps one long cell from pushing every other row off the screen; the JSON output has the full text. */
function cap(text: string, max = 56): string {
  const chars = [...text];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}

/**
 * The decision as an aligned table for people: status symbol, requirement, required, observed, and the
 * reason on the same row, so a release manager reads one line per requirement. Control characters in
 * recorded text (test names, comments) are shown escaped, never interpreted by the terminal.
 */
export function renderDecisionTable(decision: Decision): string {
  const header = ['', 'requirement', 'required', 'observed', 'reason'];
  const rows = decision.requirements.map((r) =>
    [
      symbols[r.status],
      r.title,
      cap(r.required),
      cap(r.observed),
      `${r.status === 'pass' ? '' : `${r.status.toUpperCase()}: `}${r.reason}`,
      // A line break in a failure message reads as a space in a one-row-per-requirement table.
    ].map((cell) => escapeForTerminal(cell.replace(/\r?\n/g, ' '))),
  );
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((row) => width(row[i]!))));
  // The reason is the last column: never padded, so long reasons do not widen every row.
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!)))
      .join('  ')
      .trimEnd();
  return [
    escapeForTerminal(decisionHeadline(decision)),
    '',
    line(header),
    line(widths.map((w, i) => (i === widths.length - 1 ? '─'.repeat(Math.min(w, 40)) : '─'.repeat(w)))),
    ...rows.map(line),
  ].join('\n');
}

/** The decision for machines: the Decision record itself, as pretty JSON. */
export function renderDecisionJson(decision: Decision): string {
  return JSON.stringify(decision, null, 2);
}

/** Markdown for a GitHub job summary: a PASS/BLOCK heading and a table; user-controlled text is escaped. */
export function renderDecisionMarkdown(decision: Decision): string {
  const icon: Record<RequirementStatus, string> = { pass: '✅', fail: '❌', missing: '❔', stale: '⌛' };
  const unmet = decision.requirements.filter((r) => r.status !== 'pass').length;
  const lines = [
    `## ${decision.outcome === 'pass' ? '✅ PASS' : '⛔ BLOCK'}: ${md(decision.service)} → ${md(decision.environment)}`,
    '',
    `Release \`${code(decision.releaseId)}\` (digest \`${code(decision.digest)}\`), evaluated ${md(decision.evaluatedAt)}: ${unmet ? `${unmet} of ${decision.requirements.length} requirements not met.` : `all ${decision.requirements.length} requirements met.`}`,
    '',
    '| | Requirement | Required | Observed | Reason |',
    '|---|---|---|---|---|',
    ...decision.requirements.map(
      (r) =>
        `| ${icon[r.status]} ${r.status} | ${md(r.title)} | ${md(r.required)} | ${md(r.observed)} | ${md(r.reason)} |`,
    ),
    '',
    `<sub>Decision ${md(decision.id)}</sub>`,
    '',
  ];
  return lines.join('\n');
}

/** Escapes text for a Markdown table cell: HTML, pipes, newlines and Markdown emphasis/link syntax. */
export function md(text: string): string {
  return text
    .replace(/[\\`*_[\]]/g, (m) => `\\${m}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n/g, '<br>');
}

/** Text inside a code span: backticks cannot be escaped there, so they are replaced. */
function code(text: string): string {
  return text.replace(/`/g, "'").replace(/\r?\n/g, ' ');
}
