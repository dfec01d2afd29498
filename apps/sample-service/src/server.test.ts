import { PGlite } from '@electric-sql/pglite';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from './catalog';
import { startSampleService, type SampleService } from './server';

const identity = { service: 'sample-service', release: 'rel-0123456789abcdef', digest: `sha256:${'a'.repeat(64)}` };

async function get(
  port: number,
  path: string,
  agent?: Agent,
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: JSON.parse(text) as Record<string, unknown>,
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('sample service without a database', () => {
  let service: SampleService;
  beforeAll(async () => {
    service = await startSampleService({ identity }, 0);
  });
  afterAll(() => service.shutdown(1000));

  it('reports its release in /release and in x-release-id on every response', async () => {
    const release = await get(service.port, '/release');
    expect(release.status).toBe(200);
    expect(release.body).toEqual(identity);
    for (const path of ['/health', '/release', '/nope', '/api/products']) {
      expect((await get(service.port, path)).headers['x-release-id']).toBe(identity.release);
    }
  });

  it('is healthy, and answers the API with 503 and a clear error when no database is configured', async () => {
    expect((await get(service.port, '/health')).status).toBe(200);
    const api = await get(service.port, '/api/products');
    expect(api.status).toBe(503);
    expect(api.body.error).toBe('no_database');
    expect(String(api.body.message)).toContain('DATABASE_URL');
  });
});

describe('a never-healthy build', () => {
  it('answers /health with 503 while /release still works', async () => {
    const service = await startSampleService({ identity, broken: 'never-healthy' }, 0);
    try {
      expect((await get(service.port, '/health')).status).toBe(503);
      expect((await get(service.port, '/release')).status).toBe(200);
    } finally {
      await service.shutdown(1000);
    }
  });
});

describe('sample service over seeded data (PGlite)', () => {
  let db: PGlite;
  let service: SampleService;
  beforeAll(async () => {
    db = new PGlite();
    await db.exec(`
      CREATE TABLE customers (id int PRIMARY KEY, email text);
      CREATE TABLE products (id int PRIMARY KEY, name text, price_cents int);
      CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers(id));
      CREATE TABLE order_items (id int PRIMARY KEY, order_id int REFERENCES orders(id), product_id int, quantity int);
      INSERT INTO customers VALUES (1, 'a@example.com'), (2, 'b@example.com');
      INSERT INTO products SELECT g, 'product ' || g, g * 100 FROM generate_series(1, 120) g;
      INSERT INTO orders VALUES (10, 1), (11, 1), (12, 2);
      INSERT INTO order_items VALUES (100, 10, 1, 2), (101, 10, 2, 1), (102, 11, 3, 5), (103, 12, 4, 1);
    `);
    service = await startSampleService({ identity, db: db as unknown as Queryable }, 0);
  });
  afterAll(async () => {
    await service.shutdown(1000);
    await db.close();
  });

  it('pages through products', async () => {
    const page = await get(service.port, '/api/products?limit=50&offset=100');
    expect(page.status).toBe(200);
    const products = page.body.products as { id: number }[];
    expect(products.map((p) => p.id)).toEqual(Array.from({ length: 20 }, (_, i) => 101 + i));
    expect((await get(service.port, '/api/products?limit=1000')).status).toBe(400);
  });

  it("returns a customer's orders with their items, and 404 for an unknown customer", async () => {
    const answer = await get(service.port, '/api/customers/1/orders');
    expect(answer.status).toBe(200);
    const orders = answer.body.orders as { id: number; items: { id: number }[] }[];
    expect(orders.map((o) => [o.id, o.items.length])).toEqual([
      [11, 1],
      [10, 2],
    ]);
    expect((await get(service.port, '/api/customers/99/orders')).status).toBe(404);
    expect((await get(service.port, '/api/customers/x/orders')).status).toBe(400);
  });
});

describe('graceful shutdown', () => {
  it("finishes a keep-alive client's requests and then stops accepting", async () => {
    const service = await startSampleService({ identity }, 0);
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const before = await Promise.all(Array.from({ length: 8 }, () => get(service.port, '/release', agent)));
    const stopping = service.shutdown(5000);
    await stopping;
    await expect(get(service.port, '/release')).rejects.toThrow(/ECONNREFUSED/);
    agent.destroy();
    expect(before.map((r) => r.status)).toEqual(Array(8).fill(200));
  });

  it('lets an in-flight request finish, telling its keep-alive client to close', async () => {
    const service = await startSampleService({ identity }, 0);
    const agent = new Agent({ keepAlive: true });
    const slow = get(service.port, '/slow?ms=300', agent);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = service.shutdown(5000);
    const answer = await slow;
    await stopped;
    agent.destroy();
    expect(answer.status).toBe(200);
    expect(answer.body.sleptMs).toBe(300);
    expect(answer.headers.connection).toBe('close');
  });
});
