import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, exitCodeFor } from './errors';

const docs = new URL('../../../docs/errors.md', import.meta.url);

function render(): string {
  const rows = Object.entries(errorCatalogue).map(
    ([code, e]) => `| \`${code}\` | ${exitCodeFor(e.source)} | ${e.source} | ${e.meaning} |`,
  );
  return [
    '# shipgate error codes',
    '',
    'Every error shipgate prints carries one of these stable codes, a message saying what was expected and',
    'what was found, where (file, line, config path) and a hint naming the next thing to try. Under `--json`',
    'the same fields appear on stdout as `{"error": {"code", "message", "hint", "location", "problems", "source"}}`.',
    '',
    'This file is checked against the catalogue in `libs/model/src/errors.ts` by a test; regenerate it with',
    '`UPDATE_DOCS=1 npx vitest run --project model error-docs`.',
    '',
    '| code | exit | source | meaning |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

describe('docs/errors.md', () => {
  it('lists every error code of the catalogue with its exit code', () => {
    if (process.env.UPDATE_DOCS === '1') writeFileSync(docs, render());
    expect(readFileSync(docs, 'utf8')).toBe(render());
  });
});
