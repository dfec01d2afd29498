import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { compilePlan, generateCopyChunks, loadDataset, seedDatabase, verifySynthetic } from '@shipgate/seeding';
import type { SeedReport } from '@shipgate/seeding';
import type { TestDatabase, TestDatabaseServer } from '@shipgate/seeding/testing';
import { testDatabaseKinds } from '@shipgate/seeding/testing';
import { sampleDataset } from './index';
import { realismRules } from './realism-rules';

const totalRows = (profile: 'small' | 'production-like', seed: number) =>
  compilePlan(sampleDataset, profile, seed).totalRows;

/** Children per parent row as drawn by the plan: histogram[k] = parents with k children. */
function plannedHistogram(table: string, seed: number): number[] {
  const layout = compilePlan(sampleDataset, 'small', seed).table(table).grouping!.layout;
  const histogram: number[] = [];
  for (let p = 0; p < layout.parentVolume; p++) {
    const k = layout.countOf(p);
    histogram[k] = (histogram[k] ?? 0) + 1;
  }
  return Array.from(histogram, (n) => n ?? 0);
}

async function copyText(seed: number): Promise<string> {
  let all = '';
  for await (const c of generateCopyChunks({ dataset: sampleDataset, profile: 'small', seed })) all += c.text;
  return all;
}

// Pins the sample data: the sha256 of its COPY text at (small, seed 42), and the md5 of each table as the
// database holds it (rows as text, in id order, time zone UTC). Equal on PGlite and the PostgreSQL server.
const GOLDEN_COPY_SHA256_SMALL_42 = 'f9963e4736efeb9f2ed7abaf29c8c308e528c84f1acdf550e739b569d9543550';
const GOLDEN_TABLE_MD5_SMALL_42: Record<string, string> = {
  customers: 'b21d3311817e4cbde18a7cd9f65d7293',
  addresses: 'f2125184ae6b1bab891e33564a41af28',
  orders: '1a5a1586eb265194f1d7a6db6aafcc72',
  products: '5b4ae88a9486fc303e069ce53fd2e96f',
  order_items: 'de16daf9a2a58d96af10357584fd5cfb',
  payments: '5a0836e5e7a0347739672036d4ef29c5',
};

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
    // Counts per parent are drawn, so volumes depend on the seed; their size does not.
    for (const seed of [1, 42, 2026]) {
      expect(totalRows('small', seed)).toBeGreaterThan(4_000);
      expect(totalRows('small', seed)).toBeLessThan(7_000);
      expect(totalRows('production-like', seed)).toBeGreaterThan(970_000);
      expect(totalRows('production-like', seed)).toBeLessThan(1_030_000);
    }
  });

  it('generates byte-identical COPY text for the same seed, and different text for another (#14.1)', async () => {
    const first = await copyText(42);
    expect(createHash('sha256').update(first).digest('hex')).toBe(GOLDEN_COPY_SHA256_SMALL_42);
    expect(await copyText(42)).toBe(first);
    expect(await copyText(43)).not.toBe(first);
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
  let report: SeedReport;
  const count = async (sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql))[0]!.n);
  beforeAll(async () => {
    server = await open();
    db = await server.fresh();
    report = await seedDatabase({
      dataset: sampleDataset,
      profile: 'small',
      seed: 2026,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
      migrate: true,
    });
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
    await server?.close();
  });

  it('seeds the small profile with every foreign key resolving, and verifies as synthetic', async () => {
    expect(report.totalRows).toBe(totalRows('small', 2026));
    expect(
      await count(`
      SELECT ((SELECT count(*) FROM addresses a WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = a.customer_id))
            + (SELECT count(*) FROM orders o WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = o.customer_id))
            + (SELECT count(*) FROM orders o WHERE o.shipping_address_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM addresses a WHERE a.id = o.shipping_address_id))
            + (SELECT count(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = i.order_id))
            + (SELECT count(*) FROM order_items i WHERE NOT EXISTS (SELECT 1 FROM products p WHERE p.id = i.product_id))
            + (SELECT count(*) FROM payments p WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = p.order_id)))::text AS n`),
    ).toBe(0);
    const verified = await verifySynthetic({ target: db.spec, dataset: sampleDataset });
    expect(verified.findings).toEqual([]);
    expect(verified.rowsScanned).toBe(report.totalRows);
  });

  it.each(realismRules)('keeps the rule over the whole dataset: $name (#14.1)', async ({ sql }) => {
    expect(Number((await db.query<{ violations: string }>(sql))[0]!.violations)).toBe(0);
  });

  it('has as many items per order and addresses and orders per customer as the declared distributions drew (#14.1)', async () => {
    const histogram = async (child: string, parent: string, column: string) => {
      const rows = await db.query<{ k: number; n: string }>(
        `SELECT k, count(*)::text AS n FROM (SELECT p.id, count(c.id)::int AS k FROM ${parent} p
           LEFT JOIN ${child} c ON c.${column} = p.id GROUP BY p.id) per GROUP BY k ORDER BY k`,
      );
      const out: number[] = [];
      for (const r of rows) out[r.k] = Number(r.n);
      return Array.from(out, (n) => n ?? 0);
    };
    expect(await histogram('order_items', 'orders', 'order_id')).toEqual(plannedHistogram('order_items', 2026));
    expect(await histogram('addresses', 'customers', 'customer_id')).toEqual(plannedHistogram('addresses', 2026));
    expect(await histogram('orders', 'customers', 'customer_id')).toEqual(plannedHistogram('orders', 2026));
    expect(await histogram('payments', 'orders', 'order_id')).toEqual(plannedHistogram('payments', 2026));
    // A long tail: the top 10% of customers place more than half of the orders.
    const [skew] = await db.query<{ share: string }>(`
      WITH per AS (SELECT c.id, count(o.id) AS n FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id),
           ranked AS (SELECT n, row_number() OVER (ORDER BY n DESC) AS r FROM per)
      SELECT (sum(n) FILTER (WHERE r <= 40)::float / sum(n))::text AS share FROM ranked`);
    expect(Number(skew!.share)).toBeGreaterThan(0.5);
  });
});

describe.each(testDatabaseKinds())('sampleDataset determinism on $kind', ({ open }) => {
  it('holds the same rows, to the byte, for the same seed on every target (#14.1)', async () => {
    const server = await open();
    const db = await server.fresh();
    try {
      await seedDatabase({
        dataset: sampleDataset,
        profile: 'small',
        seed: 42,
        dataPolicy: 'synthetic',
        environment: 'test',
        target: db.spec,
        migrate: true,
      });
      await db.query("SET TIME ZONE 'UTC'");
      const md5: Record<string, string> = {};
      for (const table of sampleDataset.tableOrder) {
        const [row] = await db.query<{ md5: string }>(
          `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS md5 FROM ${table} t`,
        );
        md5[table] = row!.md5;
      }
      expect(md5).toEqual(GOLDEN_TABLE_MD5_SMALL_42);
    } finally {
      await db.drop();
      await server.close();
    }
  }, 120_000);
});
