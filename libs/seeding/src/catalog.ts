import type { SeedSession } from './seed-target';

/**
 * What the database holds, read from information_schema (the same views in PostgreSQL and MySQL/MariaDB).
 * `schema` undefined means the current one (the search path's first schema; MySQL's current database).
 */

/** Names of the base tables of one schema, sorted. */
export async function tablesIn(session: SeedSession, schema?: string): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = COALESCE($1, ${session.dialect.currentSchema}) AND table_type = 'BASE TABLE' ORDER BY table_name`,
    [schema ?? null],
  );
  return rows.map((r) => r.name);
}

/** The schema unqualified names resolve to. */
export async function currentSchema(session: SeedSession): Promise<string> {
  const [row] = await session.query<{ name: string }>(`SELECT ${session.dialect.currentSchema} AS name`);
  return row?.name ?? '';
}

/** Every schema that holds user data: all but the system ones (PostgreSQL); the current database (MySQL). */
export async function userSchemas(session: SeedSession): Promise<string[]> {
  if (session.dialect.name === 'mysql') return [await currentSchema(session)];
  const rows = await session.query<{ name: string }>(
    `SELECT nspname AS name FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%' ORDER BY nspname`,
  );
  return rows.map((r) => r.name);
}

/** One column: its name and information_schema data_type (lower case). */
export interface ColumnInfo {
  name: string;
  type: string;
}

/** The columns of a table, in order. */
export async function columnsOf(session: SeedSession, schema: string, table: string): Promise<ColumnInfo[]> {
  const rows = await session.query<{ name: string; type: string }>(
    'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
    [schema, table],
  );
  return rows.map((r) => ({ name: r.name, type: String(r.type).toLowerCase() }));
}

/** The primary key's columns, in key order (empty when the table has none). */
export async function primaryKeyOf(session: SeedSession, schema: string, table: string): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT k.column_name AS name FROM information_schema.table_constraints t
       JOIN information_schema.key_column_usage k
         ON k.constraint_name = t.constraint_name AND k.table_schema = t.table_schema AND k.table_name = t.table_name
      WHERE t.constraint_type = 'PRIMARY KEY' AND t.table_schema = $1 AND t.table_name = $2
      ORDER BY k.ordinal_position`,
    [schema, table],
  );
  return rows.map((r) => r.name);
}
