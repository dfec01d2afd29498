import pg from 'pg';
import { drizzleSeed } from './drizzle-peer';
import { loadDataset } from '../src/index';
const url = 'postgres://postgres@127.0.0.1:5432/test';
const client = new pg.Client({ connectionString: url });
await client.connect();
const ds = await loadDataset('apps/sample-service/src/dataset/index.ts', { exportName: 'sampleDataset' });
await client.query('DROP SCHEMA IF EXISTS dz CASCADE; CREATE SCHEMA dz; SET search_path TO dz');
await client.query(ds.schemaSql);
const orig = client.query.bind(client);
const stats: Record<string, { n: number; ms: number; bytes: number }> = {};
(client as any).query = async (...args: any[]) => {
  const text = typeof args[0] === 'string' ? args[0] : (args[0]?.text ?? '');
  const key = text.slice(0, 40);
  const s = performance.now();
  const r = await orig(...args);
  const e = (stats[key] ??= { n: 0, ms: 0, bytes: 0 });
  e.n++;
  e.ms += performance.now() - s;
  e.bytes += text.length;
  return r;
};
const s = performance.now();
const k = Number(process.argv[2] ?? 10000);
await drizzleSeed(client, {
  customers: k,
  addresses: k,
  products: 500,
  orders: k * 2,
  order_items: k * 4,
  payments: k,
});
console.log(`total ${(performance.now() - s).toFixed(0)} ms`);
console.log(stats);
await orig('DROP SCHEMA dz CASCADE');
await client.end();
