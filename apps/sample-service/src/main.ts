import type { Pool } from 'pg';
import { identityFromEnv } from './identity';
import { startSampleService } from './server';

// Baked in by the image build (`build-image.ts --broken`): the release itself is broken, not its config.
declare const SAMPLE_BUILD_BROKEN: string | undefined;
declare const SAMPLE_BUILD_VERSION: string | undefined;
const baked = typeof SAMPLE_BUILD_BROKEN === 'string' ? SAMPLE_BUILD_BROKEN : undefined;
const build = typeof SAMPLE_BUILD_VERSION === 'string' ? SAMPLE_BUILD_VERSION : 'dev';

/** The process entry: env in, server up, SIGTERM drains and exits. */
async function mainEntry(): Promise<void> {
  const env = process.env;
  const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
  const broken = baked || env.SAMPLE_BROKEN || undefined;
  let db: Pool | undefined;
  if (env.DATABASE_URL) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 5 });
    pool.on('error', (error) => log(`database pool error: ${error.message}`));
    db = pool;
  }
  const service = await startSampleService(
    { identity: { ...identityFromEnv(env), build }, db, broken, log },
    Number(env.PORT ?? 8080),
    env.HOST ?? '127.0.0.1',
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: draining in-flight requests`);
    void service.shutdown().then(async () => {
      if (db) await db.end().catch(() => {});
      log('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

mainEntry().catch((error: unknown) => {
  process.stderr.write(`sample-service failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
