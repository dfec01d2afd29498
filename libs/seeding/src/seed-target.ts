import type { PGlite } from '@electric-sql/pglite';

/**
 * Where a seed run writes: the embedded PGlite (default; in memory, in `dataDir`, or an `instance` the caller
 * owns and closes) or a PostgreSQL server by URL. `schema` sets the search path (tables live there).
 */
export type SeedTargetSpec =
  | { kind: 'pglite'; dataDir?: string; schema?: string; instance?: PGlite }
  | { kind: 'postgres'; url: string; schema?: string };

/** What a seed run or a verification does inside one transaction. */
export interface SeedSession {
  query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Runs a script of several statements without parameters (the dataset's schema SQL). */
  exec(sql: string): Promise<void>;
  /** COPY … FROM STDIN in text format, streaming `chunks` (each a whole number of lines) with backpressure. */
  copyIn(table: string, columns: readonly string[], chunks: AsyncIterable<string>): Promise<void>;
}

/** The port both writers implement: one connection, transactions over it. */
export interface SeedTarget {
  /** Describes the target for reports and errors; never holds a password. */
  readonly label: string;
  /** Runs fn in ONE transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (session: SeedSession) => Promise<T>, options?: { readOnly?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Opens a target; passed in so that tests can count connection attempts and a refusal can prove none was made. */
export type OpenTarget = (spec: SeedTargetSpec) => Promise<SeedTarget>;

/** Double-quotes an SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** The COPY statement for a table and its columns. */
export function copySql(table: string, columns: readonly string[], source: 'STDIN' | "'/dev/blob'"): string {
  return `COPY ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FROM ${source}`;
}
