import { Readable } from 'node:stream';
import type { Connection, ResultSetHeader } from 'mysql2/promise';
import { ShipgateError } from '@shipgate/model';
import { decodeCopyField } from '../copy-text';
import { mysqlDialect } from '../sql-dialect';

/** The two ways rows reach MySQL/MariaDB (both measured by libs/seeding/bench/mysql-load.bench.ts). */
export type MysqlLoadMethod = 'load-data' | 'insert';

/** Turns one field of the canonical (COPY text) form into what a MySQL column of that type takes. */
export type FieldCodec = ((field: string) => string) | undefined;

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO-8601 instant as MySQL's `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC (the session's time zone). */
export function toMysqlDatetime(text: string): string {
  const m = ISO_INSTANT.exec(text);
  if (!m) return text;
  if (!m[3] || m[3] === 'Z') return `${m[1]} ${m[2]}`;
  const utc = new Date(text).toISOString(); // an offset: the same instant in UTC
  return `${utc.slice(0, 10)} ${utc.slice(11, 23)}`;
}

const toDate = (text: string): string => (ISO_INSTANT.test(text) ? toMysqlDatetime(text).slice(0, 10) : text);
const toFlag = (text: string): string =>
  text === 't' || text === 'true' ? '1' : text === 'f' || text === 'false' ? '0' : text;

/**
 * What each column needs, read from the target's own column types: generated values are typed (booleans,
 * instants) and written canonically as PostgreSQL text; MySQL spells booleans 1/0 and instants without `T`/`Z`.
 */
export async function mysqlColumnCodecs(
  query: <R>(sql: string, params?: unknown[]) => Promise<R[]>,
  table: string,
  columns: readonly string[],
): Promise<FieldCodec[]> {
  const rows = await query<{ name: string; type: string }>(
    'SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = $1',
    [table],
  );
  const types = new Map(rows.map((r) => [r.name, r.type.toLowerCase()]));
  return columns.map((column) => {
    const type = types.get(column) ?? '';
    if (type === 'datetime' || type === 'timestamp') return toMysqlDatetime;
    if (type === 'date') return toDate;
    if (['tinyint', 'smallint', 'mediumint', 'int', 'bigint', 'bit', 'boolean'].includes(type)) return toFlag;
    return undefined;
  });
}

function convertLines(text: string, codecs: readonly FieldCodec[]): string {
  if (text === '') return text;
  const lines = text.split('\n');
  for (let l = 0; l < lines.length; l++) {
    const line = lines[l] as string;
    if (line === '') continue;
    const fields = line.split('\t');
    for (let i = 0; i < fields.length; i++) {
      const codec = codecs[i];
      if (codec && fields[i] !== '\\N') fields[i] = codec(fields[i] as string);
    }
    lines[l] = fields.join('\t');
  }
  return lines.join('\n');
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

async function checkTaken(conn: Connection, table: string, sent: number, result: ResultSetHeader): Promise<number> {
  // LOAD DATA LOCAL cannot stop the client mid-file, so the server downgrades bad values and duplicate keys
  // to warnings: any warning, or a row count short of what was sent, fails the run (and rolls it back).
  if (result.warningStatus === 0 && result.affectedRows === sent) return sent;
  const [warnings] = await conn.query('SHOW WARNINGS LIMIT 3');
  const list = (warnings as { Message?: string }[]).map((w) => w.Message).join('; ');
  throw new ShipgateError(
    'DATASET_INVALID',
    `the generated rows do not fit the MySQL table ${table}: sent ${sent} rows, the server took ${result.affectedRows} with ${result.warningStatus} warning(s)${list ? `: ${list}` : ''}`,
    {
      hint: "Check that the dataset's column types match the table (mysqlSchemaSql or the service's migrations). Nothing was written (the run was rolled back).",
    },
  );
}

/** LOAD DATA LOCAL INFILE fed from the generator's stream: the file never exists, memory holds a chunk. */
export async function loadDataLocal(
  conn: Connection,
  table: string,
  columns: readonly string[],
  codecs: readonly FieldCodec[],
  chunks: AsyncIterable<string>,
): Promise<number> {
  const needsConversion = codecs.some(Boolean);
  let sent = 0;
  async function* lines(): AsyncGenerator<Buffer> {
    for await (const text of chunks) {
      sent += countLines(text);
      yield Buffer.from(needsConversion ? convertLines(text, codecs) : text);
    }
  }
  // The COPY text escapes (\\ \t \n \r, \N for NULL) are LOAD DATA's default escapes too.
  const sql = `LOAD DATA LOCAL INFILE 'shipgate-stream' INTO TABLE ${mysqlDialect.quoteIdent(table)} CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${columns.map(mysqlDialect.quoteIdent).join(', ')})`;
  const [result] = await conn.query<ResultSetHeader>({ sql, infileStreamFactory: () => Readable.from(lines()) });
  return checkTaken(conn, table, sent, result);
}

const INSERT_BATCH_BYTES = 1024 * 1024;

/** Multi-row INSERTs of about 1 MiB each (under any server's max_allowed_packet). */
export async function insertBatches(
  conn: Connection,
  table: string,
  columns: readonly string[],
  codecs: readonly FieldCodec[],
  chunks: AsyncIterable<string>,
): Promise<number> {
  const sql = `INSERT INTO ${mysqlDialect.quoteIdent(table)} (${columns.map(mysqlDialect.quoteIdent).join(', ')}) VALUES ?`;
  let rows: (string | null)[][] = [];
  let bytes = 0;
  let written = 0;
  const flush = async (): Promise<void> => {
    if (rows.length === 0) return;
    const [result] = await conn.query<ResultSetHeader>(sql, [rows]);
    written += await checkTaken(conn, table, rows.length, result);
    rows = [];
    bytes = 0;
  };
  for await (const text of chunks) {
    for (const line of text.split('\n')) {
      if (line === '') continue;
      rows.push(
        line.split('\t').map((field, i) => {
          const value = decodeCopyField(field);
          const codec = codecs[i];
          return value !== null && codec ? codec(value) : value;
        }),
      );
      bytes += line.length;
      if (bytes >= INSERT_BATCH_BYTES) await flush();
    }
  }
  await flush();
  return written;
}
