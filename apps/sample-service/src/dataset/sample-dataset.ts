import { defineDataset, distribution, gen } from '@shipgate/seeding';
import { sampleSchemaSql } from './schema';

const FROM = '2023-01-01T00:00:00Z';
const TO = '2025-12-31T23:59:59Z';

/**
 * The sample service's synthetic data. `small` (test) is 5,000 rows; `production-like` (staging) is
 * exactly 1,000,000 rows. A few customers have many orders (Zipf), most have one or two; a few products
 * sell far more than the rest. Order totals are not the sum of their items (generated independently).
 */
export const sampleDataset = defineDataset({
  name: 'sample-service',
  description: 'Customers, their addresses, products, orders, order items and payments (reference + last 4 only).',
  schemaSql: sampleSchemaSql,
  tables: {
    customers: {
      volume: { small: 400, 'production-like': 80_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        first_name: { type: 'text', generator: gen.firstName() },
        last_name: { type: 'text', generator: gen.lastName() },
        email: { type: 'text', generator: gen.email(), unique: true },
        phone: { type: 'text', generator: gen.phone({ region: 'mixed' }) },
        created_at: { type: 'timestamptz', generator: gen.timestamp(FROM, TO) },
      },
    },
    addresses: {
      volume: { small: 500, 'production-like': 100_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        customer_id: { type: 'bigint', generator: gen.ref('customers') },
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
      volume: { small: 1_500, 'production-like': 200_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        customer_id: { type: 'bigint', generator: gen.ref('customers', { distribution: distribution.zipf(1) }) },
        // Any address, not necessarily the customer's own: kept simple on purpose; NULL for 10% (pick-up).
        shipping_address_id: { type: 'bigint', generator: gen.ref('addresses', { presence: 0.9 }) },
        status: {
          type: 'text',
          generator: gen.pick(['placed', 'paid', 'shipped', 'delivered', 'cancelled'], [2, 3, 5, 20, 1]),
        },
        placed_at: { type: 'timestamptz', generator: gen.timestamp(FROM, TO) },
        total: { type: 'numeric(12,2)', generator: gen.decimal(5, 2_000) },
      },
    },
    order_items: {
      volume: { small: 1_500, 'production-like': 415_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        order_id: { type: 'bigint', generator: gen.ref('orders') },
        product_id: { type: 'bigint', generator: gen.ref('products', { distribution: distribution.zipf(1.1) }) },
        quantity: { type: 'integer', generator: gen.int(1, 5) },
        unit_price: { type: 'numeric(12,2)', generator: gen.decimal(1, 500) },
      },
    },
    payments: {
      volume: { small: 1_000, 'production-like': 200_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        // Payment i pays order i: one payment per order at most.
        order_id: {
          type: 'bigint',
          generator: gen.ref('orders', { distribution: distribution.sequential() }),
          unique: true,
        },
        payment_reference: { type: 'text', generator: gen.opaqueReference('pay_'), unique: true },
        card_brand: { type: 'text', generator: gen.pick(['visa', 'mastercard', 'amex'], [6, 3, 1]) },
        card_last4: { type: 'char(4)', generator: gen.digits(4) },
        amount: { type: 'numeric(12,2)', generator: gen.decimal(5, 2_000) },
        status: { type: 'text', generator: gen.pick(['captured', 'refunded', 'failed'], [18, 1, 1]) },
        paid_at: { type: 'timestamptz', generator: gen.timestamp(FROM, TO) },
      },
    },
  },
});
