import type { Transaction } from '@electric-sql/pglite';
import { decodeCopyField } from '../copy-text';
import type { ScanQuery } from '../seed-target';
import { cursorScan } from './cursor-scan';

/** Blocks read by the first COPY of a table; later ones are sized from the rows per block it found. */
const FIRST_BLOCKS = 64;

/**
 * Streams a table's rows out of PGlite with `COPY (SELECT …) TO '/dev/blob'`, one range of heap blocks
 * (a TID range scan on ctid) at a time, so memory holds about `batchSize` rows whatever the table's size.
 * Why not the cursor the servers use: PGlite turns every FETCHed row into JavaScript objects through its wire
 * protocol parser, and that costs far more than the scan. Measured on the rehearsal's staging database
 * (1,000,738 rows, 6 tables): FETCH of 20,000 rows at a time 16.7 s, COPY of the same columns 1.4 s.
 * Anything that is not a plain table (a partitioned parent, a view) goes through the cursor.
 */
export async function* pgliteScan(
  tx: Transaction,
  query: ScanQuery,
  batchSize: number,
): AsyncGenerator<(string | null)[][]> {
  const [rel] = (
    await tx.query<{ kind: string; blocks: number }>(
      `SELECT c.relkind AS kind, (pg_relation_size(c.oid) / current_setting('block_size')::int)::int AS blocks
         FROM pg_class c WHERE c.oid = to_regclass($1)`,
      [query.from],
    )
  ).rows;
  if (!rel || rel.kind !== 'r') {
    const rows = async (sql: string) => (await tx.query<Record<string, unknown>>(sql)).rows;
    yield* cursorScan(rows, `SELECT ${query.select} FROM ${query.from}`, batchSize) as AsyncGenerator<
      (string | null)[][]
    >;
    return;
  }
  let step = FIRST_BLOCKS;
  for (let start = 0, end = step; start < rel.blocks; start = end, end = start + step) {
    const result = await tx.query(
      `COPY (SELECT ${query.select} FROM ${query.from} WHERE ctid >= '(${start},0)'::tid AND ctid < '(${end},0)'::tid) TO '/dev/blob'`,
    );
    const rows = parseCopyText(result.blob ? await result.blob.text() : '');
    // Rows per block vary with the table's width: aim the next range at about batchSize rows.
    step = rows.length > 0 ? Math.max(1, Math.floor((step * batchSize) / rows.length)) : step * 2;
    if (rows.length > 0) yield rows;
  }
}

/** Splits COPY text output (tab-separated, newline-terminated lines) into rows of decoded fields. */
export function parseCopyText(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const fields = text.slice(lineStart, lineEnd).split('\t');
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      // Most fields hold no backslash: only those are decoded (`\N` is NULL, `\t`, `\n`, … escapes).
      if (field.includes('\\')) fields[i] = decodeCopyField(field) as string;
    }
    rows.push(fields);
    lineStart = lineEnd + 1;
  }
  return rows;
}
