import { PGlite } from '@electric-sql/pglite';
import { fileURLToPath } from 'node:url';
import { compilePlan, loadDataset } from '../src/index';
import { tableChunks } from '../src/generate-rows';
const datasetPath = fileURLToPath(new URL('../../../apps/sample-service/src/dataset/index.ts', import.meta.url));
const dataset = await loadDataset(datasetPath, { exportName: 'sampleDataset' });
const plan = compilePlan(dataset, 'production-like', 42);
const chunks = new Map<string, string[]>();
for (const t of plan.tables) { const t0 = performance.now(); const list: string[] = []; for (const c of tableChunks(plan, t)) list.push(c.text); chunks.set(t.name, list); console.log('gen', t.name, t.volume, (performance.now() - t0).toFixed(0), 'ms'); }
const db = await PGlite.create({ startParams: [...PGlite.defaultStartParams, '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'] });
const mode = process.argv[2] ?? 'keep';
await db.transaction(async (tx) => {
  await tx.exec(dataset.schemaSql);
  if (mode === 'drop') { for (const s of ['orders_customer_id_idx','order_items_order_id_idx']) await tx.exec(`DROP INDEX ${s}`);
    for (const [t, c] of [['addresses','addresses_customer_id_fkey'],['orders','orders_customer_id_fkey'],['orders','orders_shipping_address_id_fkey'],['order_items','order_items_order_id_fkey'],['order_items','order_items_product_id_fkey'],['payments','payments_order_id_fkey']]) await tx.exec(`ALTER TABLE ${t} DROP CONSTRAINT ${c}`); }
  if (mode === 'nopk') { await tx.exec(`DROP TABLE payments, order_items, orders, addresses, products, customers`);
    await tx.exec(dataset.schemaSql.replace(/PRIMARY KEY|UNIQUE|REFERENCES \w+ \(id\)/g, '').replace(/CREATE INDEX[^;]*;/g, '')); }
  for (const t of plan.tables) { const t0 = performance.now(); const parts = chunks.get(t.name)!;
    for (let i = 0; i < parts.length; i += 80) await tx.query(`COPY ${t.name} (${t.columns.join(', ')}) FROM '/dev/blob'`, [], { blob: new Blob(parts.slice(i, i + 80)) });
    console.log('copy', t.name, (performance.now() - t0).toFixed(0), 'ms'); }
  const t0 = performance.now();
  if (mode === 'nopk') { for (const t of plan.tables) await tx.exec(`ALTER TABLE ${t.name} ADD PRIMARY KEY (id)`);
     await tx.exec(`ALTER TABLE customers ADD UNIQUE (email); ALTER TABLE products ADD UNIQUE (sku); ALTER TABLE payments ADD UNIQUE (order_id); ALTER TABLE payments ADD UNIQUE (payment_reference);`); console.log('pk+unique', (performance.now() - t0).toFixed(0)); }
  if (mode !== 'keep') { await tx.exec(`CREATE INDEX ON orders (customer_id); CREATE INDEX ON order_items (order_id);`); console.log('idx', (performance.now() - t0).toFixed(0));
    await tx.exec(`ALTER TABLE addresses ADD FOREIGN KEY (customer_id) REFERENCES customers(id); ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers(id); ALTER TABLE orders ADD FOREIGN KEY (shipping_address_id) REFERENCES addresses(id); ALTER TABLE order_items ADD FOREIGN KEY (order_id) REFERENCES orders(id); ALTER TABLE order_items ADD FOREIGN KEY (product_id) REFERENCES products(id); ALTER TABLE payments ADD FOREIGN KEY (order_id) REFERENCES orders(id);`);
    console.log('restore', (performance.now() - t0).toFixed(0), 'ms'); }
});
console.log('commit');
