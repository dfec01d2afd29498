import type { Clock } from '@shipgate/model';
import { systemClock } from '@shipgate/model';
import type { Dataset } from './define-dataset';
import { MARKER_TABLE } from './environment-marker';
import { openTarget as defaultOpenTarget } from './open-target';
import type { SyntheticRule } from './scan-value';
import { isPhoneColumn, scanValue } from './scan-value';
import { describeTarget } from './seed-database';
import { toSeedError } from './seed-errors';
import type { OpenTarget, SeedSession, SeedTargetSpec } from './seed-target';
import { quoteIdent } from './seed-target';

/** Options of verifySynthetic. */
export interface VerifyOptions {
  target: SeedTargetSpec;
  /** Scan this dataset's tables (default: every table of the schema except the environment marker). */
  dataset?: Dataset;
  tables?: readonly string[];
  /** Rows fetched per batch (default 5,000): memory stays flat whatever the table size. */
  batchSize?: number;
  /** Masked samples kept per (table, column, rule) (default 3). */
  samples?: number;
  openTarget?: OpenTarget;
  clock?: Clock;
}

/** Values of one rule in one column that are not provably synthetic. */
export interface VerifyFinding {
  table: string;
  column: string;
  rule: SyntheticRule;
  count: number;
  /** Masked examples. */
  samples: string[];
}

/** The outcome: `synthetic` is false when anything was found (a value, not an exception). */
export interface VerifyReport {
  synthetic: boolean;
  target: string;
  tables: { table: string; rows: number }[];
  rowsScanned: number;
  findings: VerifyFinding[];
  durationMs: number;
}

const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'json', 'jsonb', 'USER-DEFINED', 'ARRAY']);
// integer and smallint cannot hold 13 digits; dates, booleans and uuids hold no contact or card data.
const SCANNED_TYPES = new Set([...TEXT_TYPES, 'numeric', 'bigint']);

/** Scans the tables in batches and reports every value that is not provably made-up, masked, with counts. */
export async function verifySynthetic(options: VerifyOptions): Promise<VerifyReport> {
  const clock = options.clock ?? systemClock;
  const started = clock.now().getTime();
  const target = await (options.openTarget ?? defaultOpenTarget)(options.target);
  try {
    return await target.transaction(
      async (session) => {
        const names =
          options.tables ??
          (options.dataset ? options.dataset.tableOrder : await schemaTables(session, options.target.schema));
        const findings = new Map<string, VerifyFinding>();
        const tables: { table: string; rows: number }[] = [];
        for (const table of names) tables.push({ table, rows: await scanTable(session, table, options, findings) });
        const list = [...findings.values()].sort((a, b) => b.count - a.count || a.table.localeCompare(b.table));
        return {
          synthetic: list.length === 0,
          target: describeTarget(options.target),
          tables,
          rowsScanned: tables.reduce((n, t) => n + t.rows, 0),
          findings: list,
          durationMs: clock.now().getTime() - started,
        };
      },
      { readOnly: true },
    );
  } catch (error) {
    throw toSeedError(error, options.target);
  } finally {
    await target.close();
  }
}

async function schemaTables(session: SeedSession, schema?: string): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = coalesce($2, current_schema()) AND table_type = 'BASE TABLE' AND table_name <> $1 ORDER BY 1`,
    [MARKER_TABLE, schema ?? null],
  );
  return rows.map((r) => r.name);
}

async function scanTable(
  session: SeedSession,
  table: string,
  options: VerifyOptions,
  findings: Map<string, VerifyFinding>,
): Promise<number> {
  const columns = (
    await session.query<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = coalesce($2, current_schema()) AND table_name = $1 ORDER BY ordinal_position`,
      [table, options.target.schema ?? null],
    )
  ).filter((c) => SCANNED_TYPES.has(c.type));
  if (columns.length === 0) {
    const [count] = await session.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${quoteIdent(table)}`);
    return Number(count?.n ?? 0);
  }
  const cursor = `shipgate_verify_${table}`;
  await session.query(
    `DECLARE ${quoteIdent(cursor)} NO SCROLL CURSOR FOR SELECT ${columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ')} FROM ${quoteIdent(table)}`,
  );
  const flags = columns.map((c) => ({ phoneColumn: isPhoneColumn(c.name), textColumn: TEXT_TYPES.has(c.type) }));
  const sampleLimit = options.samples ?? 3;
  let rows = 0;
  for (;;) {
    const batch = await session.query(`FETCH ${options.batchSize ?? 5000} FROM ${quoteIdent(cursor)}`);
    if (batch.length === 0) break;
    rows += batch.length;
    for (const row of batch) {
      const values = Object.values(row);
      for (let i = 0; i < columns.length; i++) {
        const value = values[i];
        if (typeof value !== 'string' || value === '') continue;
        for (const f of scanValue(value, flags[i]!)) {
          const column = columns[i]!.name;
          const key = `${table}\0${column}\0${f.rule}`;
          let finding = findings.get(key);
          if (!finding) findings.set(key, (finding = { table, column, rule: f.rule, count: 0, samples: [] }));
          finding.count++;
          if (finding.samples.length < sampleLimit && !finding.samples.includes(f.masked))
            finding.samples.push(f.masked);
        }
      }
    }
  }
  await session.query(`CLOSE ${quoteIdent(cursor)}`);
  return rows;
}
