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
): Promise<void> {
  if (options.migrate) {
    if (options.schema) await session.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
    await session.exec(dataset.schemaSql);
  }
  const names = plan.tables.map((t) => t.name);
  const rows = await session.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_class c WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema()) AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`,
    [names],
  );
  const present = new Set(rows.map((r) => r.name));
  const missing = names.filter((n) => !present.has(n));
  if (missing.length > 0) {
    throw new ShipgateError(
      'DATASET_INVALID',
      `expected the tables of dataset "${dataset.name}" in ${options.label}, but ${missing.join(', ')} ${missing.length === 1 ? 'does' : 'do'} not exist`,
      { hint: 'Run the service\'s migrations first, or pass --migrate to create them from the dataset\'s schema SQL.', details: { missing } },
    );
  }
  if (options.reset) {
    await session.query(`TRUNCATE ${names.map(quoteIdent).join(', ')} CASCADE`);
    return;
  }
  for (const name of names) {
    const [row] = await session.query<{ filled: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${quoteIdent(name)}) AS filled`);
    if (row?.filled) {
      throw new ShipgateError('USAGE', `expected table ${name} in ${options.label} to be empty, found rows`, {
        hint: 'Pass --reset (reset: true) to empty the dataset\'s tables first, in the same transaction.',
      });
    }
  }
}
