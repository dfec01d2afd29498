import type { SqlDialectName } from './parse-database-url';

/** The few places where PostgreSQL and MySQL/MariaDB SQL differ, so that the rest is written once. */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** Quotes an identifier: `"name"` or `` `name` ``. */
  quoteIdent(name: string): string;
  /** The schema (PostgreSQL) or database (MySQL) that unqualified names resolve to. */
  readonly currentSchema: string;
  /** An expression's text form, as the scanners read it. */
  asText(expression: string): string;
}

/** PostgreSQL and PGlite. */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  quoteIdent: (name) => `"${name.replace(/"/g, '""')}"`,
  currentSchema: 'current_schema()',
  asText: (expression) => `${expression}::text`,
};

/** MySQL and MariaDB. */
export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  quoteIdent: (name) => `\`${name.replace(/`/g, '``')}\``,
  currentSchema: 'DATABASE()',
  asText: (expression) => `CAST(${expression} AS CHAR)`,
};

/** A table name qualified by its schema when one is given. */
export function qualified(dialect: SqlDialect, table: string, schema?: string): string {
  return schema ? `${dialect.quoteIdent(schema)}.${dialect.quoteIdent(table)}` : dialect.quoteIdent(table);
}
