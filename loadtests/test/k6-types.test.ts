import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// #11.26: the k6 API types come from @types/k6 (DefinitelyTyped, maintained with k6), not from a
// hand-written copy that drifts from what k6 provides.
const root = new URL('../../', import.meta.url);
const json = (path: string) => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as Record<string, unknown>;

describe('k6 types (#11.26)', () => {
  it('come from @types/k6, a dependency that runs no install script', () => {
    const devDependencies = json('package.json').devDependencies as Record<string, string>;
    expect(devDependencies['@types/k6']).toMatch(/^\^?\d+\.\d+\.\d+$/);
    const installed = json('node_modules/@types/k6/package.json');
    const scripts = (installed.scripts ?? {}) as Record<string, string>;
    expect(Object.keys(scripts).filter((s) => /^(pre|post)?install$|^prepare$/.test(s))).toEqual([]);
  });

  it('are not declared again in the load tests', () => {
    const sources = readdirSync(new URL('loadtests/src/', root)).filter((f) => f.endsWith('.ts'));
    const redeclaring = sources.filter((f) =>
      /declare\s+module\s+['"]k6/.test(readFileSync(new URL(`loadtests/src/${f}`, root), 'utf8')),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(redeclaring).toEqual([]);
  });
});
