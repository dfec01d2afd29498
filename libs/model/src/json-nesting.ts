/**
 * JSON.parse accepts any depth, but every reader that walks the result recursively (k6 groups, the
 * task-definition template) would overflow the stack on `[[[[…]]]]` and report a bug (exit 4) for
 * what is bad input (#11 item 12). Readers check the depth of the text first: one linear scan.
 */

/** Deeper than any real k6 summary or task definition (both stay under 10), far below a stack overflow. */
export const maxJsonNesting = 64;

/** Where JSON text first nests deeper than `maxDepth` arrays and objects, or undefined when it does not. */
export function excessiveJsonNesting(
  text: string,
  maxDepth: number = maxJsonNesting,
): { depth: number; line: number; column: number } | undefined {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      lineStart = i + 1;
    }
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth > maxDepth) return { depth, line, column: i - lineStart + 1 };
    } else if (c === 93 || c === 125) depth--;
  }
  return undefined;
}
