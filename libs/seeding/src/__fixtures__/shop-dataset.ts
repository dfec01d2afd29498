import { defineDataset, distribution, gen } from '../index';

/** A small shop dataset for the library's own tests: three tables, a skewed one-to-many, an optional reference. */
export const shopSchemaSql = `
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  first_name text NOT NULL,
  last_name text NOT NULL,
  email text NOT NULL UNIQUE,
  phone text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL REFERENCES customers (id),
  reference text NOT NULL UNIQUE,
  status text NOT NULL,
  total numeric(12, 2) NOT NULL,
  gift_for bigint REFERENCES customers (id)
);
CREATE TABLE notes (
  id bigint PRIMARY KEY,
  order_id bigint NOT NULL REFERENCES orders (id),
  body text
);
`;

/** The same tables for MySQL/MariaDB: the seed and verify tests run the same dataset on all three databases. */
const shopMysqlSchemaSql = `
CREATE TABLE customers (
  id bigint PRIMARY KEY,
  first_name varchar(100) NOT NULL,
  last_name varchar(100) NOT NULL,
  email varchar(255) NOT NULL UNIQUE,
  phone varchar(32) NOT NULL,
  created_at datetime(3) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer_id bigint NOT NULL,
  reference varchar(32) NOT NULL UNIQUE,
  status varchar(16) NOT NULL,
  total decimal(12, 2) NOT NULL,
  gift_for bigint,
  FOREIGN KEY (customer_id) REFERENCES customers (id),
  FOREIGN KEY (gift_for) REFERENCES customers (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
CREATE TABLE notes (
  id bigint PRIMARY KEY,
  order_id bigint NOT NULL,
  body text,
  FOREIGN KEY (order_id) REFERENCES orders (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
`;

export const shopDataset = defineDataset({
  name: 'shop',
  schemaSql: shopSchemaSql,
  mysqlSchemaSql: shopMysqlSchemaSql,
  tables: {
    // Declared children first on purpose: the order of declaration must not matter.
    notes: {
      volume: { small: 300, 'production-like': 30_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        order_id: { type: 'bigint', generator: gen.ref('orders') },
        body: { type: 'text', generator: gen.optional(gen.custom((row) => row.faker.lorem.sentence(), { description: 'lorem' }), 0.8) },
      },
    },
    customers: {
      volume: { small: 500, 'production-like': 50_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id() },
        first_name: { type: 'text', generator: gen.firstName() },
        last_name: { type: 'text', generator: gen.lastName() },
        email: { type: 'text', generator: gen.email(), unique: true },
        phone: { type: 'text', generator: gen.phone({ region: 'mixed' }) },
        created_at: { type: 'timestamptz', generator: gen.timestamp('2023-01-01T00:00:00Z', '2025-12-31T00:00:00Z') },
      },
    },
    orders: {
      volume: { small: 3_000, 'production-like': 300_000 },
      columns: {
        id: { type: 'bigint', generator: gen.id({ start: 1000 }) },
        customer_id: { type: 'bigint', generator: gen.ref('customers', { distribution: distribution.zipf(1) }) },
        reference: { type: 'text', generator: gen.opaqueReference('ord_'), unique: true },
        status: { type: 'text', generator: gen.pick(['placed', 'paid', 'shipped', 'delivered'], [1, 2, 3, 10]) },
        total: { type: 'numeric(12,2)', generator: gen.decimal(1, 999.99) },
        gift_for: { type: 'bigint', generator: gen.ref('customers', { presence: 0.1 }) },
      },
    },
  },
});
