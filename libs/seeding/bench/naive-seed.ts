import { Faker, base, en } from '@faker-js/faker';
import type pg from 'pg';

type Row = unknown[];

/**
 * The naive way, as seed scripts are usually written: faker for every field of every row, and one INSERT per
 * row (autocommit). Same tables and volumes as the sample dataset, so the database does the same checks.
 */
export async function naiveSeed(client: pg.Client, volumes: Record<string, number>, limit: number): Promise<number> {
  const faker = new Faker({ locale: [en, base] });
  faker.seed(1);
  const n = (t: string) => volumes[t] ?? 0;
  const int = (max: number) => faker.number.int({ min: 1, max });
  const money = () => faker.finance.amount({ min: 1, max: 500 });
  const when = () => faker.date.between({ from: '2023-01-01', to: '2025-12-31' });
  const tables: [string, string[], (id: number) => Row][] = [
    [
      'customers',
      ['id', 'first_name', 'last_name', 'email', 'phone', 'created_at'],
      (id) => {
        const first = faker.person.firstName();
        const last = faker.person.lastName();
        return [
          id,
          first,
          last,
          `${faker.internet.username({ firstName: first, lastName: last })}.${id}@example.com`,
          `(${faker.number.int({ min: 201, max: 989 })}) 555-01${faker.string.numeric(2)}`,
          when(),
        ];
      },
    ],
    [
      'addresses',
      ['id', 'customer_id', 'line1', 'city', 'region', 'postal_code', 'country'],
      (id) => [
        id,
        int(n('customers')),
        faker.location.streetAddress(),
        faker.location.city(),
        faker.location.state({ abbreviated: true }),
        faker.location.zipCode('#####'),
        'US',
      ],
    ],
    [
      'orders',
      ['id', 'customer_id', 'shipping_address_id', 'status', 'placed_at', 'total'],
      (id) => [
        id,
        int(n('customers')),
        int(n('addresses')),
        faker.helpers.arrayElement(['placed', 'paid', 'shipped', 'delivered']),
        when(),
        money(),
      ],
    ],
    [
      'products',
      ['id', 'sku', 'name', 'price', 'active'],
      (id) => [id, `SKU-${id}`, faker.commerce.productName(), money(), faker.datatype.boolean()],
    ],
    [
      'order_items',
      ['id', 'order_id', 'product_id', 'quantity', 'unit_price'],
      (id) => [id, int(n('orders')), int(n('products')), faker.number.int({ min: 1, max: 5 }), money()],
    ],
    [
      'payments',
      ['id', 'order_id', 'payment_reference', 'card_brand', 'card_last4', 'amount', 'status', 'paid_at'],
      (id) => [
        id,
        id,
        `pay_${faker.string.alphanumeric(10)}${id}`,
        'visa',
        faker.string.numeric(4),
        money(),
        'captured',
        when(),
      ],
    ],
  ];
  let written = 0;
  for (const [table, columns, make] of tables) {
    const sql = `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    for (let id = 1; id <= n(table) && written < limit; id++, written++) await client.query(sql, make(id));
  }
  return written;
}
