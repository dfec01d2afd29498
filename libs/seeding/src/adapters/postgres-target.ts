import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ShipgateError } from '@shipgate/model';
import { parseDatabaseUrl, scrubSecret } from '../parse-database-url';
import type { SeedSession, SeedTarget } from '../seed-target';
import { copySql, quoteIdent } from '../seed-target';
import { postgresDialect } from '../sql-dialect';
import { cursorScan } from './cursor-scan';

/**
 * Generate ahead while the server is busy with the previous chunks: without it, generation (in this
 * process) and parsing (in the server) take turns instead of overlapping. A few chunks' worth of bytes.
 */
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

/** Options of the PostgreSQL server writer. */
export interface PostgresTargetOptions {
  url: string;
  schema?: string;
  connectTimeoutMs?: number;
}

function session(client: pg.Client): SeedSession {
  const query = async <R>(sql: string, params?: unknown[]): Promise<R[]> =>
    (await client.query(sql, params)).rows as R[];
  return {
    dialect: postgresDialect,
    query,
    scan: ({ select, from }, batchSize) => cursorScan(query, `SELECT ${select} FROM ${from}`, batchSize),
    async exec(sql) {
      await client.query(sql);
    },
    async copyIn(table, columns, chunks) {
      const stream = client.query(copyFrom(copySql(table, columns, 'STDIN')));
      // pipeline() waits for 'drain' when the socket is full and destroys the COPY (CopyFail) if the source throws.
      await pipeline(Readable.from(chunks, { objectMode: false, highWaterMark: READ_AHEAD_BYTES }), stream);
    },
  };
}

/** Connects to a PostgreSQL server; DATABASE_UNREACHABLE (password redacted) when it cannot. */
export async function openPostgresTarget(options: PostgresTargetOptions): Promise<SeedTarget> {
  // Parsed first: a malformed URL or another scheme is refused before any socket (and pg is given the
  // percent-encoded form, so that a raw `@` or `/` in a password is never read as part of the host).
  const url = parseDatabaseUrl(options.url);
  const redacted = url.redacted;
  const client = new pg.Client({
    connectionString: url.normalized,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  // A dropped connection emits 'error' on the client; without a listener Node would crash the process.
  client.on('error', () => {});
  try {
    await client.connect();
    if (options.schema) await client.query(`SET search_path TO ${quoteIdent(options.schema)}, public`);
  } catch (cause) {
    await client.end().catch(() => {});
    throw new ShipgateError(
      'DATABASE_UNREACHABLE',
      scrubSecret(`could not connect to ${redacted}: ${(cause as Error).message}`, options.url),
      {
        hint: 'Check that the server is running and the URL (host, port, database, user) is right.',
        details: { target: redacted, errorCode: (cause as { code?: string }).code },
      },
    );
  }
  return {
    dialect: postgresDialect,
    label: redacted + (options.schema ? ` schema ${options.schema}` : ''),
    async transaction(fn, txOptions) {
      await client.query(txOptions?.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      try {
        const result = await fn(session(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // If the connection itself is gone the server has already rolled back; nothing else to do.
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    async close() {
      await client.end().catch(() => {});
    },
  };
}
