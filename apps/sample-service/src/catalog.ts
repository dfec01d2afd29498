/**
 * The JSON API over the seeded data. It reads through `Queryable`, the one method that both a `pg`
 * Pool and PGlite offer, so the same queries run against a PostgreSQL server and in-process.
 */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/** A JSON answer: status and body. */
export interface ApiAnswer {
  status: number;
  body: unknown;
}

const maxLimit = 200;

/** `GET /api/products?limit=&offset=`: one page of the product catalogue, ordered by id. */
export async function listProducts(db: Queryable, query: URLSearchParams): Promise<ApiAnswer> {
  const limit = intParam(query.get('limit'), 50);
  const offset = intParam(query.get('offset'), 0);
  if (limit === undefined || limit < 1 || limit > maxLimit)
    return badRequest(`expected limit between 1 and ${maxLimit}, found "${query.get('limit')}"`);
  if (offset === undefined || offset < 0)
    return badRequest(`expected a non-negative offset, found "${query.get('offset')}"`);
  const { rows } = await db.query('SELECT * FROM products ORDER BY id LIMIT $1 OFFSET $2', [limit, offset]);
  return { status: 200, body: { products: rows, limit, offset } };
}

/** `GET /api/customers/:id/orders`: a customer's orders with their items, newest id first. */
export async function customerOrders(db: Queryable, customerId: string): Promise<ApiAnswer> {
  if (!/^\d{1,12}$/.test(customerId)) return badRequest(`expected a numeric customer id, found "${customerId}"`);
  const id = Number(customerId);
  const customer = await db.query('SELECT id FROM customers WHERE id = $1', [id]);
  if (customer.rows.length === 0)
    return { status: 404, body: { error: 'not_found', message: `no customer with id ${id}` } };
  const orders = await db.query('SELECT * FROM orders WHERE customer_id = $1 ORDER BY id DESC LIMIT 100', [id]);
  const orderIds = orders.rows.map((o) => o.id);
  const items = orderIds.length
    ? await db.query('SELECT * FROM order_items WHERE order_id = ANY($1) ORDER BY order_id, id', [orderIds])
    : { rows: [] };
  const byOrder = new Map<unknown, Record<string, unknown>[]>();
  for (const item of items.rows) {
    const list = byOrder.get(item.order_id) ?? [];
    list.push(item);
    byOrder.set(item.order_id, list);
  }
  return {
    status: 200,
    body: { customerId: id, orders: orders.rows.map((o) => ({ ...o, items: byOrder.get(o.id) ?? [] })) },
  };
}

function intParam(value: string | null, fallback: number): number | undefined {
  if (value === null || value === '') return fallback;
  return /^\d+$/.test(value) ? Number(value) : undefined;
}

function badRequest(message: string): ApiAnswer {
  return { status: 400, body: { error: 'bad_request', message } };
}
