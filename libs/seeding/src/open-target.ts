import type { OpenTarget } from './seed-target';

/** The default connection factory: loads the writer for the spec's kind and opens it. */
export const openTarget: OpenTarget = async (spec) => {
  if (spec.kind === 'pglite') {
    const { openPgliteTarget } = await import('./adapters/pglite-target');
    return openPgliteTarget(spec);
  }
  const { openPostgresTarget } = await import('./adapters/postgres-target');
  return openPostgresTarget(spec);
};
