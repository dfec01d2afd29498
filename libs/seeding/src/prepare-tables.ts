import { ShipgateError } from '@shipgate/model';
import { tablesIn } from './catalog';
import type { Dataset } from './define-dataset';
import type { SeedSession } from './seed-target';
import { qualified } from './sql-dialect';

/** The dataset's tables as found in the target: which are missing, which already hold rows. */
export interface TableInspection {
  missing: string[];
  filled: string[];
}

/** Reads, without writing, which of `names` are missing and which hold rows. */
export async function inspectTables(
  session: SeedSession,
  names: readonly string[],
  schema?: string,
): Promise<TableInspection> {
  const present = new Set(await tablesIn(session, schema));
  const missing = names.filter((n) => !present.has(n));
  const filled: string[] = [];
  for (const name of names.filter((n) => present.has(n))) {
    const rows = await session.query(`SELECT 1 AS filled FROM ${qualified(session.dialect, name, schema)} LIMIT 1`);
    if (rows.length > 0) filled.push(name);
  }
  return { missing, filled };
}

/** The schema SQL for the target's dialect; DATASET_INVALID when the dataset has none for it. */
export function schemaSqlFor(dataset: Dataset, dialect: SeedSession['dialect']): string {
  if (dialect.name === 'postgres') return dataset.schemaSql;
  if (dataset.mysqlSchemaSql) return dataset.mysqlSchemaSql;
  throw new ShipgateError(
    'DATASET_INVALID',
    `expected dataset "${dataset.name}" to declare mysqlSchemaSql for --migrate on MySQL/MariaDB, found none`,
    {
      location: { path: 'mysqlSchemaSql' },
      hint: "Run the service's own migrations against the database first, or add mysqlSchemaSql to the dataset.",
    },
  );
}

/**
 * What the run will do to the tables, or the error it would stop with: missing tables need `migrate`, tables
 * with rows need `reset`. Pure, so that a dry run and the real run decide alike.
 */
export function planTables(
  dataset: Dataset,
  inspection: TableInspection,
  options: { migrate: boolean; reset: boolean; label: string },
): { migrate: string[]; empty: string[] } {
  if (inspection.missing.length > 0 && !options.migrate) {
    const { missing } = inspection;
    throw new ShipgateError(
      'DATASET_INVALID',
      `expected the tables of dataset "${dataset.name}" in ${options.label}, but ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`,
      {
        hint: "Run the service's migrations first, or pass --migrate to create them from the dataset's schema SQL.",
        details: { missing },
      },
    );
  }
  if (inspection.filled.length > 0 && !options.reset) {
    throw new ShipgateError(
      'USAGE',
      `expected table ${inspection.filled[0]} in ${options.label} to be empty, found rows`,
      {
        hint: "Pass --reset (reset: true) to empty the dataset's tables first, in the same transaction.",
        details: { filled: inspection.filled },
      },
    );
  }
  return { migrate: options.migrate ? inspection.missing : [], empty: options.reset ? inspection.filled : [] };
}

/** Runs the schema SQL when tables are missing (DDL first: on MySQL it commits implicitly), then empties the others. */
export async function prepareTables(
  session: SeedSession,
  dataset: Dataset,
  names: readonly string[],
  options: { migrate: boolean; reset: boolean; label: string; schema?: string },
): Promise<{ migrated: boolean }> {
  const plan = planTables(dataset, await inspectTables(session, names, options.schema), options);
  const migrated = plan.migrate.length > 0;
  if (migrated) {
    if (options.schema && session.dialect.name === 'postgres')
      await session.exec(`CREATE SCHEMA IF NOT EXISTS ${session.dialect.quoteIdent(options.schema)}`);
    await session.exec(schemaSqlFor(dataset, session.dialect));
    const still = (await inspectTables(session, names, options.schema)).missing;
    if (still.length > 0) {
      throw new ShipgateError(
        'DATASET_INVALID',
        `expected the schema SQL of dataset "${dataset.name}" to create ${still.join(', ')} in ${options.label}, but it did not`,
        {
          hint: "Check the dataset's schema SQL: each declared table needs its CREATE TABLE.",
          details: { missing: still },
        },
      );
    }
  }
  if (options.reset && plan.empty.length > 0) await emptyTables(session, names, options.schema);
  return { migrated };
}

/**
 * Empties the dataset's tables in the run's transaction. PostgreSQL: one TRUNCATE … CASCADE. MySQL's TRUNCATE
 * commits implicitly, so there it is DELETE, children first.
 */
async function emptyTables(session: SeedSession, names: readonly string[], schema?: string): Promise<void> {
  if (session.dialect.name === 'postgres') {
    await session.query(`TRUNCATE ${names.map((n) => qualified(session.dialect, n, schema)).join(', ')} CASCADE`);
    return;
  }
  for (const name of [...names].reverse())
    await session.query(`DELETE FROM ${qualified(session.dialect, name, schema)}`);
}
