/**
 * Text that reaches a terminal or a CI log may have been chosen by someone else: a test name in a JUnit
 * file, a rollback reason, an approval comment, a service name typed on the command line. Raw control
 * characters there can rewrite the screen (ANSI escapes), forge lines (a newline followed by
 * "PASS …" or a GitHub `::workflow-command::`) or hide text (bidirectional overrides). Renderers pass
 * every such value through `escapeForTerminal`, so it is shown, never interpreted (#11 item 15).
 */

// C0 controls, DEL, C1 controls, the Unicode line and paragraph separators, and the bidirectional
// embedding, override and isolate marks.
const unsafe = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const unsafeExceptLayout = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeOne(c: string): string {
  const known = named[c];
  if (known) return known;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `text` with every control character written as an escape (`\x1b`, `\n`, `\u202e`). With
 * `keepLayout`, newlines and tabs stay (for whole blocks of output that shipgate laid out itself).
 */
export function escapeForTerminal(text: string, options: { keepLayout?: boolean } = {}): string {
  return text.replace(options.keepLayout ? unsafeExceptLayout : unsafe, escapeOne);
}

/** The first control character in `text` and its index, if there is one. */
export function findControlCharacter(text: string): { index: number; character: string } | undefined {
  unsafe.lastIndex = 0;
  const match = new RegExp(unsafe.source).exec(text);
  return match ? { index: match.index, character: escapeOne(match[0]) } : undefined;
}

// What JSON.stringify leaves raw but a terminal or CI log may still act on: DEL, C1 controls, the
// line and paragraph separators and the bidirectional marks (C0 controls it already escapes).
const rawInJson = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** JSON text for a terminal or log: the same value when parsed, with no character a terminal would act on. */
export function jsonForTerminal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    rawInJson,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
