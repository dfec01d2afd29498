import type { DataPolicy } from '@shipgate/model';
import { ShipgateError } from '@shipgate/model';
import type { SeedSession, SeedTargetSpec } from './seed-target';
import { openTarget } from './open-target';

/** The marker table a database carries to say which environment it belongs to. */
export const MARKER_TABLE = 'shipgate_environment';

/** What the marker says. */
export interface EnvironmentMarker {
  name: string;
  dataPolicy: string;
}

/** Anything with a `query(sql, params)` method: a pg Client or Pool, a PGlite instance, a SeedSession. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/** The markers found in the database (none when the table does not exist). */
export async function readEnvironmentMarkers(session: SeedSession): Promise<EnvironmentMarker[]> {
  const [present] = await session.query<{ present: boolean }>(
    `SELECT to_regclass('${MARKER_TABLE}') IS NOT NULL AS present`,
  );
  if (!present?.present) return [];
  const rows = await session.query<{ name: string | null; data_policy: string | null }>(
    `SELECT name, data_policy FROM ${MARKER_TABLE}`,
  );
  return rows.map((r) => ({ name: r.name ?? '', dataPolicy: r.data_policy ?? '' }));
}

/** True when a marker says the database holds production or real data. */
export function isProductionMarker(marker: EnvironmentMarker): boolean {
  const name = marker.name.trim().toLowerCase();
  const policy = marker.dataPolicy.trim().toLowerCase();
  return policy === 'real' || name === 'production' || name === 'prod' || policy === 'production';
}

/**
 * Writes (replaces) the marker: bootstrap and the service's migrations call this so that a seed run pointed at
 * the wrong database by a wrong config is still refused.
 */
export async function writeEnvironmentMarker(
  db: Queryable | SeedTargetSpec,
  marker: { name: string; dataPolicy: DataPolicy | string },
): Promise<void> {
  if (!marker.name)
    throw new ShipgateError('USAGE', 'writeEnvironmentMarker: expected an environment name, found an empty string');
  // Two statements and no explicit transaction, so that a pg Pool (one connection per query) works too:
  // the replace is one statement (a data-modifying CTE), hence atomic.
  const statements: [string, unknown[]?][] = [
    [`CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (name text NOT NULL, data_policy text NOT NULL)`],
    [
      `WITH cleared AS (DELETE FROM ${MARKER_TABLE}) INSERT INTO ${MARKER_TABLE} (name, data_policy) VALUES ($1, $2)`,
      [marker.name, marker.dataPolicy],
    ],
  ];
  if (!isQueryable(db)) {
    const target = await openTarget(db);
    try {
      await target.transaction(async (session) => {
        for (const [sql, params] of statements) await session.query(sql, params);
      });
    } finally {
      await target.close();
    }
    return;
  }
  for (const [sql, params] of statements) await db.query(sql, params);
}

function isQueryable(db: Queryable | SeedTargetSpec): db is Queryable {
  return typeof (db as Partial<Queryable>).query === 'function';
}
