import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopDataset } from './__fixtures__/shop-dataset';
import { seedDatabase } from './seed-database';
import type { TestDatabase, TestDatabaseServer } from './testing/test-databases';
import { postgresServer } from './testing/test-databases';

const url = process.env.SHIPGATE_TEST_DATABASE_URL;

// Only a server connection can be lost; PGlite runs in-process.
describe.runIf(url)('a PostgreSQL connection lost half-way', () => {
  let server: TestDatabaseServer;
  let db: TestDatabase;
  beforeAll(async () => {
    server = await postgresServer(url!);
    db = await server.fresh();
  });
  afterAll(async () => {
    await db.drop();
    await server.close();
  });

  it('fails with DATABASE_UNREACHABLE and leaves nothing behind', async () => {
    const killer = new pg.Client({ connectionString: url });
    await killer.connect();
    let killed = false;
    // A name of our own, so that only this run's connection is terminated, whatever else runs on the server.
    const application = `sg_kill_${process.pid}`;
    const spec = { ...db.spec, url: `${url}${url!.includes('?') ? '&' : '?'}application_name=${application}` };
    try {
      const error = await seedDatabase({
        dataset: shopDataset,
        profile: 'production-like',
        seed: 5,
        dataPolicy: 'synthetic',
        environment: 'test',
        target: spec,
        migrate: true,
        onProgress: (p) => {
          if (killed || p.table !== 'customers' || p.tableRows < p.tableTotalRows) return;
          killed = true; // customers are written: kill the seeding backend while orders stream
          void killer.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [application]);
        },
      }).catch((e: unknown) => e);
      expect(killed).toBe(true);
      expect(error).toMatchObject({ code: 'DATABASE_UNREACHABLE', exitCode: 3 });
    } finally {
      await killer.end();
    }
    expect(await db.query(`SELECT to_regclass('customers')::text AS t`)).toEqual([{ t: null }]);
  });
});
