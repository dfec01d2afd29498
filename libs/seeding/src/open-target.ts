import type { OpenTarget, SeedTargetSpec } from './seed-target';
import { parseDatabaseUrl } from './parse-database-url';

/** The default connection factory: loads the writer for the spec's kind and opens it. */
export const openTarget: OpenTarget = async (spec) => {
  if (spec.kind === 'pglite') {
    const { openPgliteTarget } = await import('./adapters/pglite-target');
    return openPgliteTarget(spec);
  }
  if (spec.kind === 'mysql') {
    const { openMysqlTarget } = await import('./adapters/mysql-target');
    return openMysqlTarget(spec);
  }
  const { openPostgresTarget } = await import('./adapters/postgres-target');
  return openPostgresTarget(spec);
};

/**
 * The target a connection URL names, by its scheme (postgres://, postgresql://, mysql://, mariadb://).
 * Throws DATABASE_URL_INVALID (exit 2) for any other scheme or a malformed URL, before anything connects.
 */
export function targetForUrl(url: string, schema?: string): SeedTargetSpec {
  const { dialect } = parseDatabaseUrl(url);
  const kind = dialect === 'mysql' ? 'mysql' : 'postgres';
  return schema ? { kind, url, schema } : { kind, url };
}
