import type { QaSummary } from './summaries';

/**
 * Names the test runner from the shape of its report. Only for display and provenance: the counts never
 * depend on it, so a wrong or missing guess is harmless.
 */
export function detectRunner(
  rootName: string,
  root: Record<string, string>,
  firstSuite: Record<string, string> | undefined,
): QaSummary['runner'] {
  const suite = rootName === 'testsuite' ? root : firstSuite;
  if (root.name === 'vitest tests') return 'vitest';
  if (root.name === 'jest tests') return 'jest';
  if (suite?.name === 'pytest') return 'pytest';
  const schema = suite?.['xsi:noNamespaceSchemaLocation'] ?? '';
  if (schema.includes('surefire')) return 'surefire';
  // Playwright writes `<testsuites id="" name="" …>` and one suite per spec file with the project as hostname.
  if (
    rootName === 'testsuites' &&
    'id' in root &&
    suite?.name !== undefined &&
    /\.(spec|test)\.[cm]?[jt]sx?$/.test(suite.name) &&
    suite.hostname !== undefined
  )
    return 'playwright';
  return undefined;
}
