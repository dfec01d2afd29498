import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import { ShipgateError } from '@shipgate/model';
import type { SeedSession, SeedTarget } from '../seed-target';
import { copySql, quoteIdent } from '../seed-target';
import { postgresDialect } from '../sql-dialect';
import { pgliteScan } from './pglite-scan';

/**
 * PGlite takes COPY input as one Blob held in memory, so a table's stream is cut into blobs of about this
 * many bytes, each its own COPY, all inside the run's single transaction.
 */
const BLOB_BYTES = 8 * 1024 * 1024;

/**
 * PGlite's own start parameters plus wal_level=minimal (which needs max_wal_senders=0): an embedded database
 * has no replica to stream to, and with it a COPY into a table created or truncated in the same transaction
 * (seed --migrate, --reset) writes no WAL for its rows. Measured on the rehearsal's staging load (1,000,738
 * rows, one run each at load 4): COPY 7.8 s with PGlite's default (replica), 4.8 s with minimal, and 97 MB
 * of WAL instead of 177 MB; in CPU time under a load of 25 the whole seed was within noise of before.
 * Nothing is stored differently: a data directory opened with either setting opens with the other.
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'];

/** Options of the PGlite writer. */
export interface PgliteTargetOptions {
  dataDir?: string;
  schema?: string;
  /** An instance the caller owns (and closes): used as is. */
  instance?: PGlite;
}

function session(tx: Transaction): SeedSession {
  const query = async <R>(sql: string, params?: unknown[]): Promise<R[]> => (await tx.query<R>(sql, params)).rows;
  return {
    dialect: postgresDialect,
    query,
    scan: (scanQuery, batchSize) => pgliteScan(tx, scanQuery, batchSize),
    async exec(sql) {
      await tx.exec(sql);
    },
    async copyIn(table, columns, chunks) {
      const sql = copySql(table, columns, "'/dev/blob'");
      let parts: string[] = [];
      let bytes = 0;
      const flush = async (): Promise<void> => {
        if (parts.length === 0) return;
        await tx.query(sql, [], { blob: new Blob(parts) });
        parts = [];
        bytes = 0;
      };
      for await (const text of chunks) {
        parts.push(text);
        bytes += text.length;
        if (bytes >= BLOB_BYTES) await flush();
      }
      await flush();
    },
  };
}

/** Opens the embedded PGlite (in memory, or persisted in dataDir). */
export async function openPgliteTarget(options: PgliteTargetOptions = {}): Promise<SeedTarget> {
  let db: PGlite;
  try {
    db = options.instance ?? (await PGlite.create(options.dataDir, { startParams: START_PARAMS }));
  } catch (cause) {
    throw new ShipgateError(
      'DATABASE_UNREACHABLE',
      `could not open PGlite at ${options.dataDir ?? '(memory)'}: ${(cause as Error).message}`,
      {
        cause,
        hint: 'Check that the data directory exists, is writable and is not used by another process.',
      },
    );
  }
  if (options.schema) await db.exec(`SET search_path TO ${quoteIdent(options.schema)}, public`);
  const owned = !options.instance;
  return {
    dialect: postgresDialect,
    label: `pglite:${options.dataDir ?? (options.instance ? '(instance)' : '(memory)')}${options.schema ? ` schema ${options.schema}` : ''}`,
    async transaction(fn, txOptions) {
      return db.transaction(async (tx) => {
        if (txOptions?.readOnly) await tx.query('SET TRANSACTION READ ONLY');
        return fn(session(tx));
      });
    },
    async close() {
      if (owned) await db.close();
    },
  };
}
