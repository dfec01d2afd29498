import { seedDatabase } from '@shipgate/seeding';
import { testDatabaseKinds, type TestDatabase, type TestDatabaseServer } from '@shipgate/seeding/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleDataset } from './dataset/index';
import { startSampleService, type SampleService } from './server';

const identity = { service: 'sample-service', release: 'rel-feedfacefeedface', digest: `sha256:${'c'.repeat(64)}` };

describe.each(testDatabaseKinds())('the API over the seeded sample dataset ($kind)', ({ open }) => {
  let server: TestDatabaseServer;
  let db: TestDatabase;
  let service: SampleService;
  beforeAll(async () => {
    server = await open();
    db = await server.fresh();
    await seedDatabase({
      dataset: sampleDataset,
      profile: 'small',
      seed: 2026,
      dataPolicy: 'synthetic',
      environment: 'test',
      target: db.spec,
      migrate: true,
    });
    service = await startSampleService(
      { identity, db: { query: async (sql, params) => ({ rows: await db.query(sql, params) }) } },
      0,
    );
  }, 60_000);
  afterAll(async () => {
    await service?.shutdown(1000);
    await db?.drop();
    await server?.close();
  });

  it('pages through the seeded products', async () => {
    const [{ n }] = (await db.query<{ n: string }>('SELECT count(*)::text AS n FROM products')) as [{ n: string }];
    const res = await fetch(`http://127.0.0.1:${service.port}/api/products?limit=200`);
    const body = (await res.json()) as { products: { id: string | number }[] };
    expect(res.status).toBe(200);
    expect(res.headers.get('x-release-id')).toBe(identity.release);
    expect(body.products).toHaveLength(Math.min(200, Number(n)));
    const ids = body.products.map((p) => Number(p.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('returns the orders of the customer with the most, each with its items', async () => {
    const [top] = await db.query<{ customer_id: string; n: string }>(
      'SELECT customer_id::text, count(*)::text AS n FROM orders GROUP BY customer_id ORDER BY count(*) DESC, customer_id LIMIT 1',
    );
    const [{ items }] = (await db.query<{ items: string }>(
      'SELECT count(*)::text AS items FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.customer_id = $1',
      [top!.customer_id],
    )) as [{ items: string }];
    const res = await fetch(`http://127.0.0.1:${service.port}/api/customers/${top!.customer_id}/orders`);
    const body = (await res.json()) as { orders: { items: unknown[] }[] };
    expect(res.status).toBe(200);
    expect(body.orders).toHaveLength(Math.min(100, Number(top!.n)));
    if (Number(top!.n) <= 100) expect(body.orders.reduce((sum, o) => sum + o.items.length, 0)).toBe(Number(items));
  });
});
