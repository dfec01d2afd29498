import { counts, defineDataset, distribution, gen } from '@shipgate/seeding';
import { sampleSchemaSql } from './schema';

const FROM = '2023-01-01T00:00:00Z';
const SIGNUPS_UNTIL = '2025-06-30T23:59:59Z';
const TO = '2025-12-31T23:59:59Z';

/** An order's status follows from whether it was paid (payments are its children, at most one). */
const orderStatus = gen.custom(
  (row) => {
    const u = row.rng.next();
    if (row.children('payments').count === 0) return u < 0.75 ? 'placed' : 'cancelled';
    return u < 0.1 ? 'paid' : u < 0.3 ? 'shipped' : u < 0.97 ? 'delivered' : 'cancelled';
  },
  { description: 'status (paid or not)', reads: [{ children: 'payments' }] },
);

/**
 * The sample service's synthetic data, relational in its values as well as its keys: each customer has
 * 1 to 3 addresses and 0 to 60 orders (a long tail: most none or a few, some very many); an order ships
 * to one of its customer's addresses (or is picked up), is placed after the customer signed up, has 1 to
 * 5 items priced at their product's price, and totals them; a paid order has one payment, a little after
 * it and for exactly its total. `small` (test) is about 5,200 rows, `production-like` (staging) about
 * 1,000,000; the exact figures depend on the seed (counts per parent are drawn).
 */
export const sampleDataset = defineDataset({
  name: 'sample-service',
  description: 'Customers, their addresses, products, orders, order items and payments (reference + last 4 only).',
  schemaSql: sampleSchemaSql,
  tables: {
    customers: {
      volume: { small: 400, 'production-like': 78_500 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        first_name: { type: 'text', generator: gen.firstName() },
        last_name: { type: 'text', generator: gen.lastName() },
        email: { type: 'text', generator: gen.email(), unique: true },
        phone: { type: 'text', generator: gen.phone({ region: 'mixed' }) },
        created_at: { type: 'timestamptz', generator: gen.timestamp(FROM, SIGNUPS_UNTIL) },
      },
    },
    addresses: {
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        customer_id: {
          type: 'bigint',
          generator: gen.ref('customers', { perParent: counts.weighted([70, 22, 8], { min: 1 }) }),
        },
        line1: { type: 'text', generator: gen.streetAddress() },
        city: { type: 'text', generator: gen.city() },
        region: { type: 'text', generator: gen.state() },
        postal_code: { type: 'text', generator: gen.postcode() },
        country: { type: 'text', generator: gen.pick(['US']) },
      },
    },
    products: {
      volume: { small: 100, 'production-like': 5_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        sku: { type: 'text', generator: gen.sequence('SKU-', { pad: 6 }), unique: true },
        name: { type: 'text', generator: gen.productName() },
        price: { type: 'numeric(12,2)', generator: gen.decimal(1, 500) },
        active: { type: 'boolean', generator: gen.boolean(0.95) },
      },
    },
    orders: {
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        customer_id: {
          type: 'bigint',
          generator: gen.ref('customers', { perParent: counts.powerLaw({ min: 0, max: 60, exponent: 1.85 }) }),
        },
        // One of the customer's own addresses; NULL for 10% (picked up in store).
        shipping_address_id: {
          type: 'bigint',
          generator: gen.ref('addresses', { among: 'customer_id', presence: 0.9 }),
        },
        status: { type: 'text', generator: orderStatus },
        placed_at: {
          type: 'timestamptz',
          generator: gen.timestampAfter('customer_id.created_at', { maxDays: 540, until: TO }),
        },
        total: { type: 'numeric(12,2)', generator: gen.sumOf('order_items', ['quantity', 'unit_price']) },
      },
    },
    order_items: {
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        order_id: {
          type: 'bigint',
          generator: gen.ref('orders', { perParent: counts.weighted([35, 30, 20, 10, 5], { min: 1 }) }),
        },
        product_id: { type: 'bigint', generator: gen.ref('products', { distribution: distribution.zipf(1.1) }) },
        quantity: { type: 'integer', generator: gen.pick([1, 2, 3, 4, 5], [50, 25, 12, 8, 5]) },
        unit_price: { type: 'numeric(12,2)', generator: gen.from('product_id.price') },
      },
    },
    payments: {
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        // 0 or 1 payment per order: 88% of orders are paid.
        order_id: {
          type: 'bigint',
          generator: gen.ref('orders', { perParent: counts.weighted([12, 88]) }),
          unique: true,
        },
        payment_reference: { type: 'text', generator: gen.opaqueReference('pay_'), unique: true },
        card_brand: { type: 'text', generator: gen.pick(['visa', 'mastercard', 'amex'], [6, 3, 1]) },
        card_last4: { type: 'char(4)', generator: gen.digits(4) },
        amount: { type: 'numeric(12,2)', generator: gen.from('order_id.total') },
        status: {
          type: 'text',
          generator: gen.custom(
            (row) => (row.ref('order_id')?.get('status') === 'cancelled' ? 'refunded' : 'captured'),
            {
              description: 'refunded when the order was cancelled',
              reads: ['order_id.status'],
            },
          ),
        },
        paid_at: {
          type: 'timestamptz',
          generator: gen.timestampAfter('order_id.placed_at', { minSeconds: 30, maxDays: 2 }),
        },
      },
    },
  },
});
