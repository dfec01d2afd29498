/**
 * The sample service's schema (its migration): six tables the HTTP service reads. Money is numeric(12,2);
 * every reference is a real FOREIGN KEY; payments keep only a reference and the card's last 4 digits,
 * never a card number. `IF NOT EXISTS` makes running it twice harmless.
 */
export const sampleSchemaSql = `
CREATE TABLE IF NOT EXISTS customers (
  id          bigint PRIMARY KEY,
  first_name  text NOT NULL,
  last_name   text NOT NULL,
  email       text NOT NULL UNIQUE,
  phone       text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS addresses (
  id           bigint PRIMARY KEY,
  customer_id  bigint NOT NULL REFERENCES customers (id),
  line1        text NOT NULL,
  city         text NOT NULL,
  region       text NOT NULL,
  postal_code  text NOT NULL,
  country      text NOT NULL
);

CREATE TABLE IF NOT EXISTS products (
  id      bigint PRIMARY KEY,
  sku     text NOT NULL UNIQUE,
  name    text NOT NULL,
  price   numeric(12, 2) NOT NULL,
  active  boolean NOT NULL
);

CREATE TABLE IF NOT EXISTS orders (
  id                   bigint PRIMARY KEY,
  customer_id          bigint NOT NULL REFERENCES customers (id),
  shipping_address_id  bigint REFERENCES addresses (id),
  status               text NOT NULL,
  placed_at            timestamptz NOT NULL,
  total                numeric(12, 2) NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_customer_id_idx ON orders (customer_id);

CREATE TABLE IF NOT EXISTS order_items (
  id          bigint PRIMARY KEY,
  order_id    bigint NOT NULL REFERENCES orders (id),
  product_id  bigint NOT NULL REFERENCES products (id),
  quantity    integer NOT NULL,
  unit_price  numeric(12, 2) NOT NULL
);
CREATE INDEX IF NOT EXISTS order_items_order_id_idx ON order_items (order_id);

CREATE TABLE IF NOT EXISTS payments (
  id                 bigint PRIMARY KEY,
  order_id           bigint NOT NULL UNIQUE REFERENCES orders (id),
  payment_reference  text NOT NULL UNIQUE,
  card_brand         text NOT NULL,
  card_last4         char(4) NOT NULL,
  amount             numeric(12, 2) NOT NULL,
  status             text NOT NULL,
  paid_at            timestamptz NOT NULL
);
`;
