import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateCopyChunks, loadDataset, seedDatabase, verifySynthetic } from '@shipgate/seeding';
import type { TestDatabase, TestDatabaseServer } from '@shipgate/seeding/testing';
import { testDatabaseKinds } from '@shipgate/seeding/testing';
import { sampleDataset } from './index';

const volumes = (profile: 'small' | 'production-like') =>
  Object.values(sampleDataset.tables).reduce((n, t) => n + t.volume[profile], 0);

describe('sampleDataset', () => {
  it('declares the six tables the service reads, parents first', () => {
    expect(sampleDataset.tableOrder).toEqual([
      'customers',
      'addresses',
      'orders',
      'products',
      'order_items',
      'payments',
    ]);
    expect(volumes('small')).toBe(5_000);
    expect(volumes('production-like')).toBe(1_000_000);
  });

  it('stores no card number: payments hold a reference and the last 4 digits only', async () => {
    const columns = Object.keys(sampleDataset.tables.payments!.columns);
    expect(columns).toContain('payment_reference');
    expect(columns).toContain('card_last4');
    expect(columns.filter((c) => /card_?number|pan/i.test(c))).toEqual([]);
    for await (const chunk of generateCopyChunks({
      dataset: sampleDataset,
      profile: 'small',
      seed: 1,
      tables: ['payments'],
    })) {
      for (const line of chunk.text.split('\n').filter(Boolean)) expect(line.split('\t')[4]).toMatch(/^\d{4}$/);
    }
  });

  it('loads through loadDataset (the path in shipgate.yaml), giving the same rows', async () => {
    const path = fileURLToPath(new URL('./index.ts', import.meta.url));
    const loaded = await loadDataset(path, { exportName: 'sampleDataset' });
    const text = async (ds: typeof sampleDataset) => {
      let all = '';
      for await (const c of generateCopyChunks({ dataset: ds, profile: 'small', seed: 3 })) all += c.text;
      return all;
    };
    expect(await text(loaded)).toBe(await text(sampleDataset));
  });
});

describe.each(testDatabaseKinds())('sampleDataset seeded on $kind', ({ open }) => {
  let server: TestDatabaseServer;
  let db: TestDatabase;
  beforeAll(async () => {
    server = await open();
  });
  afterAll(async () => server.close());
  beforeEach(async () => {
    db = await server.fresh();
  });
  afterEach(async () => db.drop());

  it('seeds the small profile with every foreign key resolving, and verifies as synthetic', async () => {
    const report = await seedDatabase({
      dataset: sampleDataset,
      profile: 'small',
      seed: 2026,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
      migrate: true,
    });
    expect(report.totalRows).toBe(5_000);
    const [orphans] = await db.query<{ n: string }>(`
      SELECT ((SELECT count(*) FROM addresses a WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = a.customer_id))
            + (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id))
            + (SELECT count(*) FROM orders o WHERE o.shipping_address_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.id = o.shipping_address_id))
            + (SELECT count(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id))
            + (SELECT count(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = i.product_id))
            + (SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p.order_id)))::text AS n`);
    expect(orphans!.n).toBe('0');
    const [skew] = await db.query<{ share: string }>(`
      WITH per AS (SELECT c.id, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id),
           ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r FROM per)
      SELECT (sum(n) FILTER (WHERE r <= 40)::float / sum(n))::text AS share FROM ranked`);
    expect(Number(skew!.share)).toBeGreaterThan(0.3);
    const verified = await verifySynthetic({ target: db.spec, dataset: sampleDataset });
    expect(verified.findings).toEqual([]);
    expect(verified.rowsScanned).toBe(5_000);
  });
});
