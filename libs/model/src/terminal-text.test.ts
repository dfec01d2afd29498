import { describe, expect, it } from 'vitest';
import { identifierProblem } from './identifier';
import { escapeForTerminal } from './terminal-text';

// #11 item 15: attacker-chosen text is shown escaped, never interpreted by the terminal.
describe('escapeForTerminal (#11.15)', () => {
  it('writes control characters, line breaks and bidi overrides as escapes', () => {
    expect(escapeForTerminal('a\u001b[31mred\nPASS\r\t\u0000\u007f\u009b\u2028\u202eevil')).toBe(
      'a\\x1b[31mred\\nPASS\\r\\t\\x00\\x7f\\x9b\\u2028\\u202eevil',
    );
    expect(escapeForTerminal('plain text, ünïcödé ✓ → ≤')).toBe('plain text, ünïcödé ✓ → ≤');
  });

  it('keeps newlines and tabs of laid-out output with keepLayout', () => {
    expect(escapeForTerminal('a\tb\nc\u001b[2J', { keepLayout: true })).toBe('a\tb\nc\\x1b[2J');
  });
});

describe('identifierProblem (#11.15)', () => {
  it('refuses control characters and line breaks, naming the first one and where', () => {
    expect(identifierProblem('sample-service', 'a service')).toBeUndefined();
    expect(identifierProblem('ann\nPASS', 'an actor')).toBe(
      'expected an actor without control characters or line breaks, found "ann\\nPASS" (\\n at position 4)',
    );
    expect(identifierProblem('x\u202e', 'a name')).toMatch(/\\u202e at position 2/);
  });
});
