import type { SeedSession } from './seed-target';
import { quoteIdent } from './seed-target';

/**
 * Checking foreign keys row by row (a trigger per row) and growing secondary indexes one row at a time are
 * what make bulk loads slow. As pg_restore does, the run drops the dataset tables' foreign keys and plain
 * indexes, loads, and re-creates them: one validating join per key and one sort per index. All inside the
 * run's transaction, so a failure restores them as they were, and the keys are still checked in full
 * before the commit. Primary keys and unique constraints stay (other tables may reference them).
 */
export async function suspendConstraints(
  session: SeedSession,
  tables: readonly string[],
): Promise<() => Promise<void>> {
  const foreignKeys = await session.query<{ tbl: string; name: string; def: string }>(
    `SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
      WHERE c.contype = 'f' AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND t.relname = ANY($1)
      ORDER BY 1, 2`,
    [tables],
  );
  const indexes = await session.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
      WHERE NOT i.indisunique AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
        AND t.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND t.relname = ANY($1)
      ORDER BY 1`,
    [tables],
  );
  for (const fk of foreignKeys) await session.query(`ALTER TABLE ${fk.tbl} DROP CONSTRAINT ${quoteIdent(fk.name)}`);
  for (const index of indexes) await session.query(`DROP INDEX ${index.name}`);
  return async () => {
    for (const index of indexes) await session.query(index.def);
    for (const fk of foreignKeys)
      await session.query(`ALTER TABLE ${fk.tbl} ADD CONSTRAINT ${quoteIdent(fk.name)} ${fk.def}`);
  };
}
