import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopDataset } from './__fixtures__/shop-dataset';
import { SHOP_SMALL_SEED_42_HASH } from './__fixtures__/shop-hashes';
import { datasetSource, withVolumes } from './dataset-source';
import { loadDataset } from './load-dataset';
import type { SeedOptions } from './seed-database';
import { seedDatabase } from './seed-database';
import { testDatabaseKinds } from './testing/test-databases';
import { useFreshDatabase } from './testing/fresh-database';

const fixture = fileURLToPath(new URL('./__fixtures__/shop-dataset.ts', import.meta.url));

/** Every row of the shop's tables, in key order, as one text: what the database holds. */
async function contents(query: (sql: string) => Promise<Record<string, unknown>[]>): Promise<string> {
  const parts: string[] = [];
  for (const table of ['customers', 'orders', 'notes'])
    parts.push(JSON.stringify(await query(`SELECT * FROM ${table} ORDER BY id`)));
  return parts.join('\n');
}

describe.each(testDatabaseKinds(process.env, { mysql: true }))(
  'rows generated in a worker thread, on $kind',
  ({ open }) => {
    const db = useFreshDatabase(open);
    const options = (overrides: Partial<SeedOptions>): SeedOptions => ({
      dataset: shopDataset,
      profile: 'small',
      seed: 42,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
      migrate: true,
      ...overrides,
    });

    it('are byte-identical to the rows generated in this thread, and the database holds the same values', async () => {
      const loaded = await loadDataset(fixture, { exportName: 'shopDataset' });
      const inWorker = await seedDatabase(options({ dataset: loaded, generateIn: 'worker' }));
      expect(inWorker).toMatchObject({ generatedIn: 'worker', datasetHash: SHOP_SMALL_SEED_42_HASH, totalRows: 3800 });
      const written = await contents((sql) => db.query(sql));
      const inThread = await seedDatabase(options({ dataset: loaded, generateIn: 'thread', reset: true }));
      expect(inThread).toMatchObject({ generatedIn: 'thread', datasetHash: SHOP_SMALL_SEED_42_HASH });
      expect(inThread.tableHashes).toEqual(inWorker.tableHashes);
      expect(await contents((sql) => db.query(sql))).toBe(written);
    });
  },
);

describe('the generator worker', () => {
  const db = useFreshDatabase(testDatabaseKinds()[0]!.open);
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'shipgate-worker-test-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('reports a generator that throws as this thread would, with the column and row, and nothing is written', async () => {
    const file = join(dir, 'failing.ts');
    const shop = JSON.stringify(fixture);
    await writeFile(
      file,
      `import { defineDataset, gen } from ${JSON.stringify(fileURLToPath(new URL('./index.ts', import.meta.url)))};
       import { shopDataset } from ${shop};
       const notes = shopDataset.tables.notes;
       export const failing = defineDataset({ ...shopDataset, tables: { ...shopDataset.tables, notes: { ...notes,
         columns: { ...notes.columns, body: { type: 'text', generator: gen.custom((row) => {
           if (row.index === 150) throw new Error('injected failure'); return 'ok'; }) } } } } });`,
    );
    const failing = await loadDataset(file, { exportName: 'failing' });
    const seeding = {
      profile: 'small',
      seed: 42,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
      migrate: true,
    } as const;
    await expect(seedDatabase({ ...seeding, dataset: failing, generateIn: 'worker' })).rejects.toMatchObject({
      code: 'DATASET_INVALID',
      message: expect.stringContaining('tables.notes.columns.body: the generator threw at row 150: injected failure'),
    });
    expect(await db.query(`SELECT to_regclass('customers')::text AS t`)).toEqual([{ t: null }]);
  });

  it('is refused for a dataset defined in this process (its generators cannot be sent), before any connection', async () => {
    await expect(
      seedDatabase({
        dataset: shopDataset,
        profile: 'small',
        seed: 42,
        dataPolicy: 'synthetic',
        environment: 'test',
        target: { kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none' },
        generateIn: 'worker',
      }),
    ).rejects.toMatchObject({ code: 'USAGE', hint: expect.stringContaining("generateIn: 'thread'") });
  });

  it('generates a scaled dataset (withVolumes) with its new volumes, as this thread does', async () => {
    const loaded = await loadDataset(fixture, { exportName: 'shopDataset' });
    const scaled = withVolumes(loaded, { customers: { small: 1_234, 'production-like': 1 } });
    expect(datasetSource(scaled)?.volumes).toEqual({ customers: { small: 1_234, 'production-like': 1 } });
    const seeding = {
      profile: 'small',
      seed: 3,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
    } as const;
    const inWorker = await seedDatabase({ ...seeding, dataset: scaled, migrate: true, generateIn: 'worker' });
    expect(inWorker.rowsPerTable.customers).toBe(1_234);
    const inThread = await seedDatabase({ ...seeding, dataset: scaled, reset: true, generateIn: 'thread' });
    expect(inThread.datasetHash).toBe(inWorker.datasetHash);
  });
});
