import type { PGlite } from '@electric-sql/pglite';
import type { SqlDialect } from './sql-dialect';
import { postgresDialect } from './sql-dialect';

/**
 * Where a seed run writes: the embedded PGlite (default; in memory, in `dataDir`, or an `instance` the caller
 * owns and closes), a PostgreSQL server or a MySQL/MariaDB server by URL. `schema` is where the tables live
 * (a PostgreSQL schema, a MySQL database); without it, the URL's.
 */
export type SeedTargetSpec =
  | { kind: 'pglite'; dataDir?: string; schema?: string; instance?: PGlite }
  | { kind: 'postgres'; url: string; schema?: string }
  | { kind: 'mysql'; url: string; schema?: string };

/** What a seed run or a verification does inside one transaction. */
export interface SeedSession {
  readonly dialect: SqlDialect;
  /** One statement; parameters are written `$1`, `$2`, … in every dialect. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (the dataset's schema SQL). */
  exec(sql: string): Promise<void>;
  /**
   * Loads rows given as PostgreSQL COPY text (each chunk a whole number of lines), streaming with backpressure.
   * Returns the number of rows the database took.
   */
  copyIn(table: string, columns: readonly string[], chunks: AsyncIterable<string>): Promise<number | void>;
  /**
   * Streams the rows of `SELECT <select> FROM <from>` in batches of about batchSize rows (a cursor, the
   * driver's row stream, or PGlite's COPY by block range): memory holds one batch.
   */
  scan(query: ScanQuery, batchSize: number): AsyncIterable<unknown[][]>;
}

/** What a scan reads: `select` (a column list) from one table, `from` (quoted, qualified when needed). */
export interface ScanQuery {
  select: string;
  from: string;
}

/** The port every writer implements: one connection, transactions over it. */
export interface SeedTarget {
  /** Describes the target for reports and errors; never holds a password. */
  readonly label: string;
  readonly dialect: SqlDialect;
  /**
   * Runs fn in ONE transaction: committed when fn resolves, rolled back when it throws. (On MySQL, DDL in fn
   * commits what came before it: seedDatabase runs every DDL statement before the first row.)
   */
  transaction<T>(fn: (session: SeedSession) => Promise<T>, options?: { readOnly?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Opens a target; passed in so that tests can count connection attempts and a refusal can prove none was made. */
export type OpenTarget = (spec: SeedTargetSpec) => Promise<SeedTarget>;

/** Double-quotes an SQL identifier (PostgreSQL). */
export function quoteIdent(name: string): string {
  return postgresDialect.quoteIdent(name);
}

/** The COPY statement for a table and its columns. */
export function copySql(table: string, columns: readonly string[], source: 'STDIN' | "'/dev/blob'"): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source}`;
}
