import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from './json-schema';
import { validateConfigText } from './validate-config';

// #11 item 8: `loadTests.smoke` was configured and documented, and nothing ran it. It is removed; a
// config that still sets it is refused with why, not ignored and not called a typo.
const example = readFileSync(new URL('../../../../shipgate.yaml', import.meta.url), 'utf8');

describe('removed config keys (#11.8)', () => {
  it('refuses services.<S>.loadTests.smoke, saying it was removed, why and what to do, at its line', () => {
    const needle = '      stress: loadtests/src/stress.ts';
    expect(example).toContain(needle);
    const text = example.replace(needle, `      smoke: loadtests/src/smoke.ts\n${needle}`);
    const result = validateConfigText(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        code: 'CONFIG_INVALID',
        message:
          'key "smoke" was removed: nothing ran the k6 smoke script: deploy verification sends its own smoke requests through the test listener, and every answer must name the release being deployed',
        path: 'services.sample-service.loadTests.smoke',
        line: text.slice(0, text.indexOf('      smoke:')).split('\n').length,
        column: 7,
        hint: 'Delete the key (and its script). Deploy verification needs no k6; load tests run with `shipgate stress` from services.<S>.loadTests.stress.',
      },
    ]);
  });

  it('is gone from the example config and the JSON Schema', () => {
    expect(example).not.toMatch(/^\s+smoke:/m);
    const loadTests = Object.keys(propertyNamed(configJsonSchema(), 'loadTests')?.properties ?? {});
    expect(loadTests).toEqual(['stress']);
    const file = JSON.parse(
      readFileSync(new URL('../../../../shipgate.schema.json', import.meta.url), 'utf8'),
    ) as unknown;
    expect(Object.keys(propertyNamed(file, 'loadTests')?.properties ?? {})).toEqual(['stress']);
  });
});

/** The schema of the first property called `name`, anywhere in a JSON Schema. */
function propertyNamed(schema: unknown, name: string): { properties?: Record<string, unknown> } | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const properties = (schema as { properties?: Record<string, unknown> }).properties;
  if (properties && name in properties) return properties[name] as { properties?: Record<string, unknown> };
  for (const value of Object.values(schema)) {
    const found = propertyNamed(value, name);
    if (found) return found;
  }
  return undefined;
}
