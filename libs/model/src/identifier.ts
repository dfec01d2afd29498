import { ShipgateError } from './errors';
import { escapeForTerminal, findControlCharacter } from './terminal-text';

/**
 * The one rule for identifiers (service, environment and release ids, actor labels, config keys): no
 * control characters and no line breaks. They end up in the ledger, the audit log, AWS resource
 * names and every rendered line, where such a character would forge or hide output (#11 item 15).
 * Returns the problem, or undefined when the identifier is acceptable.
 */
export function identifierProblem(value: string, what: string): string | undefined {
  const found = findControlCharacter(value);
  if (!found) return undefined;
  return `expected ${what} without control characters or line breaks, found "${escapeForTerminal(value)}" (${found.character} at position ${found.index + 1})`;
}

/** Throws USAGE when an identifier given on the command line breaks the identifier rule. */
export function requireIdentifier<T extends string | undefined>(value: T, what: string, hint?: string): T {
  if (value === undefined) return value;
  const problem = identifierProblem(value, what);
  if (problem) {
    throw new ShipgateError('USAGE', problem, {
      hint: hint ?? 'Type the name again without pasting invisible characters.',
    });
  }
  return value;
}
