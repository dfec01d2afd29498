import { ShipgateError } from '@shipgate/model';
import type { Dataset } from './define-dataset';
import type { GenerationPlan } from './generation-plan';
import type { SeedSession } from './seed-target';
import { quoteIdent } from './seed-target';

/** Runs the schema SQL (migrate), checks every table exists, and empties them (reset) or checks they are empty. */
export async function prepareTables(
  session: SeedSession,
  dataset: Dataset,
  plan: GenerationPlan,
  options: { migrate: boolean; reset: boolean; label: string; schema?: string },
): Promise<{ migrated: boolean }> {
  const names = plan.tables.map((t) => t.name);
  let missing = await missingTables(session, names, options.schema);
  // Migrating only when something is missing keeps `migrate` harmless on a schema that is already there.
  const migrated = options.migrate && missing.length > 0;
  if (migrated) {
    if (options.schema) await session.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    await session.exec(dataset.schemaSql);
    missing = await missingTables(session, names, options.schema);
  }
  if (missing.length > 0) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `expected the tables of dataset "${dataset.name}" in ${options.label}, but ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist${migrated ? ' (even after running the schema SQL)' : ''}`,
      {
        hint: "Run the service's migrations first, or pass --migrate to create them from the dataset's schema SQL.",
        details: { missing },
      },
    );
  }
  if (options.reset) {
    await session.query(`TRUNCATE ${names.map(quoteIdent).join(', ')} CASCADE`);
    return { migrated };
  }
  for (const name of names) {
    const [row] = await session.query<{ filled: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${quoteIdent(name)}) AS filled`,
    );
    if (row?.filled) {
      throw new ShipgateError('USAGE', `expected table ${name} in ${options.label} to be empty, found rows`, {
        hint: "Pass --reset (reset: true) to empty the dataset's tables first, in the same transaction.",
      });
    }
  }
  return { migrated };
}

/** Tables not in the target schema (an explicit schema is checked by name: if it does not exist, the search path would fall back to public). */
async function missingTables(session: SeedSession, names: readonly string[], schema?: string): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = coalesce($2, current_schema())) AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`,
    [names, schema ?? null],
  );
  const present = new Set(rows.map((r) => r.name));
  return names.filter((n) => !present.has(n));
}
