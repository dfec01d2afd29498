import { redactDatabaseUrl } from './parse-database-url';
import type { SeedTargetSpec } from './seed-target';

/** The target without secrets, for reports, errors and audit records. */
export function describeTarget(spec: SeedTargetSpec): string {
  const where =
    spec.kind === 'pglite'
      ? `pglite:${spec.dataDir ?? (spec.instance ? '(instance)' : '(memory)')}`
      : redactDatabaseUrl(spec.url);
  return spec.schema ? `${where} ${spec.kind === 'mysql' ? 'database' : 'schema'} ${spec.schema}` : where;
}
