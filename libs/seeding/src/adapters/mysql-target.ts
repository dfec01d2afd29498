import type { Readable } from 'node:stream';
import type { Connection as CallbackConnection } from 'mysql2';
import mysql from 'mysql2/promise';
import type { Connection } from 'mysql2/promise';
import { ShipgateError } from '@shipgate/model';
import { parseDatabaseUrl, scrubSecret } from '../parse-database-url';
import type { SeedSession, SeedTarget } from '../seed-target';
import { mysqlDialect } from '../sql-dialect';
import type { MysqlLoadMethod } from './mysql-load';
import { insertBatches, loadDataLocal, mysqlColumnCodecs } from './mysql-load';

/** Options of the MySQL/MariaDB writer. */
export interface MysqlTargetOptions {
  url: string;
  schema?: string;
  connectTimeoutMs?: number;
  /**
   * How rows are written: `load-data` (LOAD DATA LOCAL INFILE from a stream; the default, measured the faster
   * here) or `insert` (multi-row INSERTs, for servers with local_infile off).
   */
  loadMethod?: MysqlLoadMethod;
}

/** `$1, $2` (how shipgate writes parameters in every dialect) to MySQL's `?`, with the values in that order. */
export function toQuestionMarks(sql: string, params: readonly unknown[] = []): [string, unknown[]] {
  const ordered: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    ordered.push(params[Number(n) - 1]);
    return '?';
  });
  return [text, ordered];
}

function session(conn: Connection, loadMethod: MysqlLoadMethod): SeedSession {
  const query = async <R>(sql: string, params?: unknown[]): Promise<R[]> => {
    const [text, values] = toQuestionMarks(sql, params);
    const [rows] = await conn.query(text, values);
    return (Array.isArray(rows) ? rows : []) as R[];
  };
  return {
    dialect: mysqlDialect,
    query,
    async exec(sql) {
      await conn.query(sql);
    },
    async copyIn(table, columns, chunks) {
      const codecs = await mysqlColumnCodecs(query, table, columns);
      return loadMethod === 'insert'
        ? insertBatches(conn, table, columns, codecs, chunks)
        : loadDataLocal(conn, table, columns, codecs, chunks);
    },
    async *scan({ select, from }, batchSize) {
      const sql = `SELECT ${select} FROM ${from}`;
      // The driver's row stream pauses the socket while a batch is being looked at: memory holds one batch.
      const core = (conn as unknown as { connection: CallbackConnection }).connection;
      const stream = core.query({ sql, rowsAsArray: true }).stream({ highWaterMark: batchSize });
      let batch: unknown[][] = [];
      for await (const row of stream as Readable) {
        batch.push(row as unknown[]);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    },
  };
}

/** Connects to a MySQL or MariaDB server; DATABASE_UNREACHABLE (password redacted) when it cannot. */
export async function openMysqlTarget(options: MysqlTargetOptions): Promise<SeedTarget> {
  const url = parseDatabaseUrl(options.url);
  const scrub = (text: string): string => scrubSecret(text, options.url);
  let conn: Connection;
  try {
    conn = await mysql.createConnection({
      host: url.host.replace(/^\[|\]$/g, '') || 'localhost',
      port: url.port ?? 3306,
      user: url.user || undefined,
      password: url.password,
      database: options.schema ?? (url.database || undefined),
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      multipleStatements: true,
      // Values come back as the server writes them (no Date or float conversion), as PostgreSQL's ::text does.
      dateStrings: true,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      timezone: 'Z',
      charset: 'utf8mb4',
    });
    conn.on('error', () => {}); // a dropped connection must not crash the process; the next query fails
    // Strict, in UTC, and no autocommit: after DDL's implicit commit, what follows is a transaction again.
    await conn.query(
      "SET time_zone = '+00:00', autocommit = 0, SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES')",
    );
  } catch (cause) {
    const e = cause as { message?: string; code?: string };
    throw new ShipgateError('DATABASE_UNREACHABLE', scrub(`could not connect to ${url.redacted}: ${e.message}`), {
      hint:
        e.code === 'ER_BAD_DB_ERROR'
          ? 'The database named in the URL does not exist: create it (CREATE DATABASE) or fix the URL.'
          : 'Check that the server is running and the URL (host, port, database, user) is right.',
      details: { target: url.redacted, errorCode: e.code },
    });
  }
  const loadMethod = options.loadMethod ?? 'load-data';
  return {
    dialect: mysqlDialect,
    label: url.redacted + (options.schema ? ` database ${options.schema}` : ''),
    async transaction(fn, txOptions) {
      await conn.query(txOptions?.readOnly ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
      try {
        const result = await fn(session(conn, loadMethod));
        await conn.query('COMMIT');
        return result;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => {});
        throw error;
      }
    },
    async close() {
      await conn.end().catch(() => {});
    },
  };
}
