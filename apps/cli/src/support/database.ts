import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { ShipgateError, ownValue } from '@shipgate/model';
import type { SeedTargetSpec } from '@shipgate/seeding';
import { targetForUrl } from '@shipgate/seeding';
import type { BaseContext } from '../command';
import type { LoadedConfig } from './config';

/**
 * Where an environment's database is: --database-url, else the variable named by `database.urlEnv`,
 * else PGlite (the embedded default) in `database.dataDir` or `<state>/db/<environment>`. A URL's scheme
 * picks the driver (postgres://, mysql://, mariadb://); any other, or a malformed URL, is DATABASE_URL_INVALID
 * (exit 2) here, before anything connects.
 */
export function seedTargetFor(
  ctx: Pick<BaseContext, 'env' | 'cwd' | 'global'>,
  loaded: LoadedConfig,
  environment: string,
  explicit: string | undefined,
): SeedTargetSpec {
  if (explicit) return targetForUrl(explicit);
  const database = ownValue(loaded.config.environments, environment)?.database;
  if (database?.kind === 'postgres' || database?.kind === 'mysql') {
    const name = database.urlEnv;
    const url = name ? ctx.env[name] : undefined;
    if (!url) {
      throw new ShipgateError(
        'USAGE',
        `expected the ${database.kind === 'mysql' ? 'MySQL/MariaDB' : 'PostgreSQL'} URL of ${environment} in $${name ?? '<database.urlEnv>'}, found it unset`,
        {
          location: { path: `environments.${environment}.database.urlEnv` },
          hint: `Export ${name ?? 'the variable'} or pass --database-url.`,
        },
      );
    }
    const target = targetForUrl(url);
    if (target.kind !== database.kind)
      throw new ShipgateError(
        'DATABASE_URL_INVALID',
        `expected a ${database.kind} URL in $${name} (environments.${environment}.database.kind), found a ${target.kind} one`,
        {
          location: { path: `environments.${environment}.database.kind` },
          hint: `Set database.kind to ${target.kind}, or export the ${database.kind} URL in ${name}.`,
        },
      );
    return target;
  }
  const stateDir = ctx.global.state.startsWith('s3://')
    ? resolve(ctx.cwd, '.shipgate')
    : resolve(ctx.cwd, ctx.global.state);
  const dir = database?.dataDir ?? join('db', environment);
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : join(stateDir, dir) };
}

/**
 * The embedded database's directory, made ready for a command that writes; for a dry run, nothing is created:
 * a directory that does not exist yet reads as what it would start as, an empty in-memory database.
 */
export async function embeddedReady(target: SeedTargetSpec, dryRun: boolean): Promise<SeedTargetSpec> {
  if (target.kind !== 'pglite' || !target.dataDir) return target;
  if (!dryRun) await mkdir(target.dataDir, { recursive: true });
  else if (!existsSync(target.dataDir)) return { kind: 'pglite' };
  return target;
}
