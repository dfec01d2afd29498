import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './json-schema';

// shipgate.yaml's first line points editors at this file; it must match the schema the CLI validates with.
const file = new URL('../../../../shipgate.schema.json', import.meta.url);

describe('shipgate.schema.json', () => {
  it('is the JSON Schema of the current config schema', () => {
    const expected = JSON.stringify(configJsonSchema(), null, 2) + '\n';
    if (process.env.UPDATE_DOCS === '1') writeFileSync(file, expected);
    expect(
      readFileSync(file, 'utf8'),
      'regenerate with: UPDATE_DOCS=1 npx vitest run --project model json-schema-file',
    ).toBe(expected);
  });
});
