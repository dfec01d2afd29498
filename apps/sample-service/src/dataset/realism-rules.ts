/**
 * What makes the sample data realistic, as SQL over the whole seeded database: each query counts the rows
 * that break its rule (0 when the data keeps it). The dataset tests run them on every seeded target.
 */
export interface RealismRule {
  name: string;
  /** Returns one row `{ violations }` (text, so that every driver returns the same thing). */
  sql: string;
}

export const realismRules: readonly RealismRule[] = [
  {
    name: "an order ships to one of its own customer's addresses",
    sql: `SELECT count(*)::text AS violations FROM orders o JOIN addresses a ON a.id = o.shipping_address_id
           WHERE a.customer_id <> o.customer_id`,
  },
  {
    name: 'an order is placed after its customer signed up',
    sql: `SELECT count(*)::text AS violations FROM orders o JOIN customers c ON c.id = o.customer_id
           WHERE o.placed_at <= c.created_at`,
  },
  {
    name: 'a payment follows its order',
    sql: `SELECT count(*)::text AS violations FROM payments p JOIN orders o ON o.id = p.order_id
           WHERE p.paid_at <= o.placed_at`,
  },
  {
    name: "a payment's amount equals its order's total",
    sql: `SELECT count(*)::text AS violations FROM payments p JOIN orders o ON o.id = p.order_id
           WHERE p.amount <> o.total`,
  },
  {
    name: "an order's total is the sum of quantity × unit price of its items",
    sql: `SELECT count(*)::text AS violations FROM orders o
            LEFT JOIN (SELECT order_id, sum(quantity * unit_price) AS s FROM order_items GROUP BY order_id) i
                   ON i.order_id = o.id
           WHERE i.s IS NULL OR o.total <> i.s`,
  },
  {
    name: "an item's unit price is its product's price",
    sql: `SELECT count(*)::text AS violations FROM order_items i JOIN products p ON p.id = i.product_id
           WHERE i.unit_price <> p.price`,
  },
  {
    name: 'every order has 1 to 5 items',
    sql: `SELECT count(*)::text AS violations FROM orders o
           WHERE (SELECT count(*) FROM order_items i WHERE i.order_id = o.id) NOT BETWEEN 1 AND 5`,
  },
  {
    name: 'every customer has 1 to 3 addresses',
    sql: `SELECT count(*)::text AS violations FROM customers c
           WHERE (SELECT count(*) FROM addresses a WHERE a.customer_id = c.id) NOT BETWEEN 1 AND 3`,
  },
  {
    name: 'an order is paid, shipped or delivered exactly when it has a payment; placed only when it has none',
    sql: `SELECT count(*)::text AS violations FROM orders o
           WHERE (o.status IN ('paid', 'shipped', 'delivered') AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id))
              OR (o.status = 'placed' AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = o.id))`,
  },
  {
    name: 'a payment is refunded exactly when its order was cancelled',
    sql: `SELECT count(*)::text AS violations FROM payments p JOIN orders o ON o.id = p.order_id
           WHERE (p.status = 'refunded') <> (o.status = 'cancelled')`,
  },
];
