import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { shopDataset, shopSchemaSql } from './__fixtures__/shop-dataset';
import { SHOP_SMALL_SEED_42_HASH } from './__fixtures__/shop-hashes';
import { defineDataset } from './define-dataset';
import { gen } from './gen';
import type { SeedOptions } from './seed-database';
import { seedDatabase } from './seed-database';
import type { TestDatabase } from './testing/test-databases';
import { testDatabaseKinds } from './testing/test-databases';
import { useFreshDatabase } from './testing/fresh-database';

/** The shop dataset whose `notes.body` generator throws at row `failAt`: a failure in the middle of the stream. */
function failingShop(failAt: number) {
  const notes = shopDataset.tables.notes!;
  return defineDataset({
    ...shopDataset,
    tables: {
      ...shopDataset.tables,
      notes: {
        ...notes,
        columns: {
          ...notes.columns,
          body: {
            type: 'text',
            generator: gen.custom((row) => {
              if (row.index === failAt) throw new Error('injected failure');
              return 'ok';
            }),
          },
        },
      },
    },
  });
}

const count = async (db: TestDatabase, table: string): Promise<number> =>
  Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`))[0]!.n);

describe.each(testDatabaseKinds())('seedDatabase on $kind', ({ kind, open }) => {
  const db = useFreshDatabase(open);
  const options = (overrides: Partial<SeedOptions> = {}): SeedOptions => ({
    dataset: shopDataset,
    profile: 'small',
    seed: 42,
    dataPolicy: 'synthetic',
    environment: 'test',
    target: db.spec,
    ...overrides,
  });

  it('seeds every table in one run, byte-identical to the golden hash, and reports it', async () => {
    const progress: number[] = [];
    const report = await seedDatabase(options({ migrate: true, onProgress: (p) => progress.push(p.rows) }));
    expect(report).toMatchObject({
      seed: 42,
      seedWasRandom: false,
      profile: 'small',
      migrated: true,
      totalRows: 3800,
      datasetHash: SHOP_SMALL_SEED_42_HASH,
      datasetHashOf: 'generated-copy-bytes',
    });
    expect(report.rowsPerTable).toEqual({ customers: 500, orders: 3000, notes: 300 });
    expect(progress.at(-1)).toBe(3800);
    expect(await count(db, 'customers')).toBe(500);
    expect(await count(db, 'orders')).toBe(3000);
    expect(await count(db, 'notes')).toBe(300);
  });

  it('keeps relational integrity: real FOREIGN KEYs, no orphans, unique columns unique, skewed one-to-many', async () => {
    await seedDatabase(options({ migrate: true, seed: 7 }));
    const [fks] = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
    );
    expect(Number(fks!.n)).toBe(3);
    const [orphans] = await db.query<{ n: string }>(`
      SELECT ((SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id WHERE c.id IS NULL)
            + (SELECT count(*) FROM orders o LEFT JOIN customers c ON c.id = o.gift_for WHERE o.gift_for IS NOT NULL AND c.id IS NULL)
            + (SELECT count(*) FROM notes n LEFT JOIN orders o ON o.id = n.order_id WHERE o.id IS NULL))::text AS n`);
    expect(Number(orphans!.n)).toBe(0);
    const [unique] = await db.query<{ emails: string; refs: string }>(
      `SELECT (SELECT count(DISTINCT email) FROM customers)::text AS emails, (SELECT count(DISTINCT reference) FROM orders)::text AS refs`,
    );
    expect(unique).toEqual({ emails: '500', refs: '3000' });
    const [skew] = await db.query<{ share: string }>(`
      WITH per AS (SELECT c.id, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id),
           ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r FROM per)
      SELECT (sum(n) FILTER (WHERE r <= (SELECT count(*) FROM customers) / 10)::float / sum(n))::text AS share FROM ranked`);
    expect(Number(skew!.share)).toBeGreaterThan(0.3);
  });

  it('is atomic: a failure injected mid-stream leaves zero rows (and no tables when it was migrating)', async () => {
    await expect(seedDatabase(options({ dataset: failingShop(150), migrate: true }))).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining('tables.notes.columns.body: the generator threw at row 150: injected failure'),
    });
    const [exists] = await db.query<{ t: string | null }>(`SELECT to_regclass('customers')::text AS t`);
    expect(exists!.t).toBeNull();
    await db.query(shopSchemaSql.split(';').filter((s) => s.trim())[0]!); // customers
    for (const stmt of shopSchemaSql
      .split(';')
      .slice(1)
      .filter((s) => s.trim()))
      await db.query(stmt);
    await expect(seedDatabase(options({ dataset: failingShop(250), init: true }))).rejects.toMatchObject({
      code: 'DATASET_INVALID',
    });
    expect([await count(db, 'customers'), await count(db, 'orders'), await count(db, 'notes')]).toEqual([0, 0, 0]);
    // the foreign keys dropped for the bulk load came back with the rollback
    const [fks] = await db.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_constraint WHERE contype = 'f' AND connamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())`,
    );
    expect(fks!.n).toBe('3');
  });

  it('refuses to write into non-empty tables without reset, and with reset replaces the rows in the same transaction', async () => {
    await seedDatabase(options({ migrate: true, seed: 1 }));
    const before = await db.query<{ email: string }>('SELECT email FROM customers WHERE id = 1');
    await expect(seedDatabase(options({ seed: 2 }))).rejects.toMatchObject({
      code: 'USAGE',
      hint: expect.stringContaining('--reset'),
    });
    // a reset run that fails half-way keeps the previous data
    await expect(seedDatabase(options({ dataset: failingShop(10), reset: true, seed: 2 }))).rejects.toMatchObject({
      code: 'DATASET_INVALID',
    });
    expect(await db.query('SELECT email FROM customers WHERE id = 1')).toEqual(before);
    // migrate is harmless when the tables are there (the fixture's CREATE TABLE has no IF NOT EXISTS)
    const report = await seedDatabase(options({ reset: true, seed: 2, migrate: true }));
    expect(report).toMatchObject({ reset: true, migrated: false });
    expect(await count(db, 'orders')).toBe(3000);
    expect(await db.query('SELECT email FROM customers WHERE id = 1')).not.toEqual(before);
  });

  it('says which tables are missing when the schema was not migrated, and writes nothing', async () => {
    await expect(seedDatabase(options({ init: true }))).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining('but customers, orders, notes do not exist'),
      hint: expect.stringContaining('--migrate'),
    });
  });

  it('chooses a seed at random when none is given, and reports it so the run can be repeated', async () => {
    const report = await seedDatabase(
      options({ seed: undefined, migrate: true, random: { next: () => 0.5, int: () => 0 } }),
    );
    expect(report).toMatchObject({ seed: 2 ** 31, seedWasRandom: true });
  });

  // Only a server connection can be lost; PGlite runs in-process.
  if (kind === 'postgres')
    it('fails with DATABASE_UNREACHABLE when the connection is lost half-way, and leaves nothing behind', async () => {
      const url = process.env.SHIPGATE_TEST_DATABASE_URL!;
      const killer = new pg.Client({ connectionString: url });
      await killer.connect();
      let killed = false;
      // A name of our own, so that only this run's connection is terminated, whatever else runs on the server.
      const application = `sg_kill_${process.pid}`;
      const spec = { ...db.spec, url: `${url}${url.includes('?') ? '&' : '?'}application_name=${application}` };
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
            void killer.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [
              application,
            ]);
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
