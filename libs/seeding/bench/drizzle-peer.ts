import { drizzle } from 'drizzle-orm/node-postgres';
import { bigint, boolean, char, integer, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type pg from 'pg';
import { seed } from 'drizzle-seed';

/**
 * The peer: drizzle-seed (the seeding library of Drizzle ORM) on the sample service's schema, declared as
 * Drizzle tables with the same columns, types and foreign keys, seeding the same number of rows per table
 * with its own generators (names, emails, addresses, …) in its own way (batched INSERTs).
 */
const customers = pgTable('customers', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  first_name: text('first_name').notNull(),
  last_name: text('last_name').notNull(),
  email: text('email').notNull().unique(),
  phone: text('phone').notNull(),
  created_at: timestamp('created_at', { withTimezone: true }).notNull(),
});
const addresses = pgTable('addresses', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  customer_id: bigint('customer_id', { mode: 'number' })
    .notNull()
    .references(() => customers.id),
  line1: text('line1').notNull(),
  city: text('city').notNull(),
  region: text('region').notNull(),
  postal_code: text('postal_code').notNull(),
  country: text('country').notNull(),
});
const products = pgTable('products', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  sku: text('sku').notNull().unique(),
  name: text('name').notNull(),
  price: numeric('price', { precision: 12, scale: 2 }).notNull(),
  active: boolean('active').notNull(),
});
const orders = pgTable('orders', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  customer_id: bigint('customer_id', { mode: 'number' })
    .notNull()
    .references(() => customers.id),
  shipping_address_id: bigint('shipping_address_id', { mode: 'number' }).references(() => addresses.id),
  status: text('status').notNull(),
  placed_at: timestamp('placed_at', { withTimezone: true }).notNull(),
  total: numeric('total', { precision: 12, scale: 2 }).notNull(),
});
const orderItems = pgTable('order_items', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  order_id: bigint('order_id', { mode: 'number' })
    .notNull()
    .references(() => orders.id),
  product_id: bigint('product_id', { mode: 'number' })
    .notNull()
    .references(() => products.id),
  quantity: integer('quantity').notNull(),
  unit_price: numeric('unit_price', { precision: 12, scale: 2 }).notNull(),
});
const payments = pgTable('payments', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  order_id: bigint('order_id', { mode: 'number' })
    .notNull()
    .unique()
    .references(() => orders.id),
  payment_reference: text('payment_reference').notNull().unique(),
  card_brand: text('card_brand').notNull(),
  card_last4: char('card_last4', { length: 4 }).notNull(),
  amount: numeric('amount', { precision: 12, scale: 2 }).notNull(),
  status: text('status').notNull(),
  paid_at: timestamp('paid_at', { withTimezone: true }).notNull(),
});

const LAST4 = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** Seeds `volumes` rows per table with drizzle-seed over `client` (whose search_path points at the schema). */
export async function drizzleSeed(client: pg.Client, volumes: Record<string, number>): Promise<number> {
  const n = (table: string) => volumes[table] ?? 0;
  const db = drizzle(client);
  const schema = { customers, addresses, products, orders, orderItems, payments };
  await seed(db, schema, { seed: 1 }).refine((f) => ({
    customers: {
      count: n('customers'),
      columns: {
        first_name: f.firstName(),
        last_name: f.lastName(),
        email: f.email(),
        // Its phone numbers are always distinct, so a fictional 555 template runs out: its default format.
        phone: f.phoneNumber(),
        created_at: f.timestamp(),
      },
    },
    addresses: {
      count: n('addresses'),
      columns: {
        line1: f.streetAddress(),
        city: f.city(),
        region: f.state(),
        postal_code: f.postcode(),
        country: f.default({ defaultValue: 'US' }),
      },
    },
    products: {
      count: n('products'),
      columns: {
        sku: f.string({ isUnique: true }),
        name: f.companyName(),
        price: f.number({ minValue: 1, maxValue: 500, precision: 100 }),
        active: f.boolean(),
      },
    },
    orders: {
      count: n('orders'),
      columns: {
        status: f.valuesFromArray({ values: ['placed', 'paid', 'shipped', 'delivered', 'cancelled'] }),
        placed_at: f.timestamp(),
        total: f.number({ minValue: 5, maxValue: 2000, precision: 100 }),
      },
    },
    orderItems: {
      count: n('order_items'),
      columns: {
        quantity: f.int({ minValue: 1, maxValue: 5 }),
        unit_price: f.number({ minValue: 1, maxValue: 500, precision: 100 }),
      },
    },
    payments: {
      count: n('payments'),
      columns: {
        // One payment per order at most: distinct order ids (its default picks parents at random, with repeats).
        order_id: f.int({ minValue: 1, maxValue: n('orders'), isUnique: true }),
        payment_reference: f.string({ isUnique: true }),
        card_brand: f.valuesFromArray({ values: ['visa', 'mastercard', 'amex'] }),
        card_last4: f.valuesFromArray({ values: LAST4 }),
        amount: f.number({ minValue: 5, maxValue: 2000, precision: 100 }),
        status: f.valuesFromArray({ values: ['captured', 'refunded'] }),
        paid_at: f.timestamp(),
      },
    },
  }));
  return Object.values(volumes).reduce((a, b) => a + b, 0);
}
