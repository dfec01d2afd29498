import { isAbsolute, join, resolve } from 'node:path';
import { ShipgateError } from '@shipgate/model';
import type { SeedTargetSpec } from '@shipgate/seeding';
import type { BaseContext } from '../command';
import type { LoadedConfig } from './config';

/**
 * Where an environment's database is: --database-url, else the variable named by `database.urlEnv`,
 * else PGlite (the embedded default) in `database.dataDir` or `<state>/db/<environment>`.
 */
export function seedTargetFor(
  ctx: Pick<BaseContext, 'env' | 'cwd' | 'global'>,
  loaded: LoadedConfig,
  environment: string,
  explicit: string | undefined,
): SeedTargetSpec {
  if (explicit) return { kind: 'postgres', url: explicit };
  const database = loaded.config.environments[environment]?.database;
  if (database?.kind === 'postgres') {
    const name = database.urlEnv;
    const url = name ? ctx.env[name] : undefined;
    if (!url) {
      throw new ShipgateError(
        'USAGE',
        `expected the PostgreSQL URL of ${environment} in $${name ?? '<database.urlEnv>'}, found it unset`,
        {
          location: { path: `environments.${environment}.database.urlEnv` },
          hint: `Export ${name ?? 'the variable'} or pass --database-url.`,
        },
      );
    }
    return { kind: 'postgres', url };
  }
  const stateDir = ctx.global.state.startsWith('s3://')
    ? resolve(ctx.cwd, '.shipgate')
    : resolve(ctx.cwd, ctx.global.state);
  const dir = database?.dataDir ?? join('db', environment);
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : join(stateDir, dir) };
}
