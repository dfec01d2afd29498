import { isAbsolute, join, resolve } from 'node:path';
import { ShipgateError, ownValue } from '@shipgate/model';
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
  if (explicit) return { kind: 'postgres', url: requireWellFormedUrl(explicit, '--database-url') };
  const database = ownValue(loaded.config.environments, environment)?.database;
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
    return { kind: 'postgres', url: requireWellFormedUrl(url, `$${name}`) };
  }
  const stateDir = ctx.global.state.startsWith('s3://')
    ? resolve(ctx.cwd, '.shipgate')
    : resolve(ctx.cwd, ctx.global.state);
  const dir = database?.dataDir ?? join('db', environment);
  return { kind: 'pglite', dataDir: isAbsolute(dir) ? dir : join(stateDir, dir) };
}

/**
 * A database URL that does not parse is a user error (exit 2), refused before any driver sees it: the
 * driver would throw a bare TypeError, reported as a bug (#11 item 12). The URL itself is never
 * echoed: a malformed one can defeat password redaction.
 */
function requireWellFormedUrl(url: string, where: string): string {
  if (URL.canParse(url)) return url;
  throw new ShipgateError(
    'USAGE',
    `expected the database URL in ${where} to be a URL such as postgres://user:password@host:5432/database, found text that does not parse as a URL (not shown: it may hold a password)`,
    {
      hint: 'Check the host and port, put an IPv6 host in [brackets], and percent-encode special characters in the user and password (@ as %40, / as %2F, : as %3A).',
    },
  );
}
