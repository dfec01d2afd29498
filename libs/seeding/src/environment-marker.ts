import type { DataPolicy } from '@shipgate/model';
import { ShipgateError } from '@shipgate/model';
import type { SeedSession } from './seed-target';
import { qualified } from './sql-dialect';

/** The table a database (or schema) carries to say which environment it belongs to and what data it holds. */
export const MARKER_TABLE = 'shipgate_environment_marker';
/** The earlier marker table (name, data_policy); still read, so that a production database marked that way is refused. */
export const LEGACY_MARKER_TABLE = 'shipgate_environment';

/** The SQL that creates the marker table: the same in PostgreSQL and MySQL/MariaDB (docs/data.md shows it). */
export const MARKER_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${MARKER_TABLE} (environment varchar(64) NOT NULL, data_policy varchar(16) NOT NULL, marked_at varchar(40) NOT NULL, marked_by varchar(200) NOT NULL)`;

/** What a marker says. */
export interface EnvironmentMarker {
  environment: string;
  dataPolicy: string;
  markedAt?: string;
  markedBy?: string;
}

/** The markers of a schema (the current one by default); none when it carries no marker table. */
export async function readEnvironmentMarkers(session: SeedSession, schema?: string): Promise<EnvironmentMarker[]> {
  const tables = await session.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = COALESCE($1, ${session.dialect.currentSchema}) AND table_name IN ($2, $3)`,
    [schema ?? null, MARKER_TABLE, LEGACY_MARKER_TABLE],
  );
  const present = new Set(tables.map((t) => t.name));
  const markers: EnvironmentMarker[] = [];
  if (present.has(MARKER_TABLE)) {
    const rows = await session.query<Record<string, unknown>>(
      `SELECT environment, data_policy, marked_at, marked_by FROM ${qualified(session.dialect, MARKER_TABLE, schema)}`,
    );
    for (const r of rows)
      markers.push({
        environment: String(r.environment ?? ''),
        dataPolicy: String(r.data_policy ?? ''),
        markedAt: String(r.marked_at ?? ''),
        markedBy: String(r.marked_by ?? ''),
      });
  }
  if (present.has(LEGACY_MARKER_TABLE)) {
    const rows = await session.query<Record<string, unknown>>(
      `SELECT name, data_policy FROM ${qualified(session.dialect, LEGACY_MARKER_TABLE, schema)}`,
    );
    for (const r of rows) markers.push({ environment: String(r.name ?? ''), dataPolicy: String(r.data_policy ?? '') });
  }
  return markers;
}

/** True when a marker says the database holds production or real data. */
export function isProductionMarker(marker: EnvironmentMarker): boolean {
  const name = marker.environment.trim().toLowerCase();
  const policy = marker.dataPolicy.trim().toLowerCase();
  return policy === 'real' || policy === 'production' || name === 'production' || name === 'prod';
}

/** The marker to write: environment, data policy, and who marked it when (for the people who find it later). */
export interface MarkerToWrite {
  environment: string;
  dataPolicy: DataPolicy;
  markedBy: string;
  markedAt: string;
}

/**
 * Writes (replaces) the marker of a schema inside the caller's transaction. The CREATE TABLE comes first: on
 * MySQL it commits implicitly, so it must precede every row the run writes.
 */
export async function writeEnvironmentMarker(
  session: SeedSession,
  marker: MarkerToWrite,
  schema?: string,
): Promise<void> {
  if (!marker.environment)
    throw new ShipgateError('USAGE', 'expected an environment name for the marker, found an empty string');
  const table = qualified(session.dialect, MARKER_TABLE, schema);
  await session.query(MARKER_TABLE_SQL.replace(MARKER_TABLE, table));
  await session.query(`DELETE FROM ${table}`);
  await session.query(`INSERT INTO ${table} (environment, data_policy, marked_at, marked_by) VALUES ($1, $2, $3, $4)`, [
    marker.environment,
    marker.dataPolicy,
    marker.markedAt,
    marker.markedBy.slice(0, 200),
  ]);
}
