import type { Clock, DataPolicy } from '@shipgate/model';
import { ShipgateError, systemClock } from '@shipgate/model';
import { describeTarget } from './describe-target';
import type { EnvironmentMarker } from './environment-marker';
import { MARKER_TABLE, isProductionMarker, readEnvironmentMarkers, writeEnvironmentMarker } from './environment-marker';
import { openTarget as defaultOpenTarget } from './open-target';
import { toSeedError } from './seed-errors';
import type { OpenTarget, SeedTargetSpec } from './seed-target';

/** Options of markDatabase. */
export interface MarkOptions {
  target: SeedTargetSpec;
  environment: string;
  /** `real` writes the production marker (seeding refused for ever); `synthetic` hands it to a test environment. */
  dataPolicy: DataPolicy;
  actor: string;
  /** Read the current marker and say what would change; write nothing. */
  dryRun?: boolean;
  clock?: Clock;
  openTarget?: OpenTarget;
}

/** What markDatabase found and did. */
export interface MarkReport {
  target: string;
  environment: string;
  dataPolicy: DataPolicy;
  previous: EnvironmentMarker[];
  written: boolean;
  dryRun: boolean;
}

/**
 * Writes a database's environment marker. A production (real) marker is never replaced by a synthetic one:
 * that is the one change this guard exists to prevent.
 */
export async function markDatabase(options: MarkOptions): Promise<MarkReport> {
  const clock = options.clock ?? systemClock;
  const label = describeTarget(options.target);
  const target = await (options.openTarget ?? defaultOpenTarget)(options.target);
  try {
    return await target.transaction(
      async (session) => {
        const previous = await readEnvironmentMarkers(session, options.target.schema);
        const production = previous.find(isProductionMarker);
        if (production && options.dataPolicy !== 'real') {
          throw new ShipgateError(
            'DATABASE_IS_PRODUCTION',
            `refusing to mark ${label} synthetic for "${options.environment}": expected a database without a production marker, found environment "${production.environment}" with data policy "${production.dataPolicy}" (table ${MARKER_TABLE})`,
            {
              hint: 'A production marker is never replaced by shipgate. Point --database-url at the test or staging database.',
              details: { marker: production, target: label },
            },
          );
        }
        if (!options.dryRun) {
          if (options.target.schema && session.dialect.name === 'postgres')
            await session.exec(`CREATE SCHEMA IF NOT EXISTS ${session.dialect.quoteIdent(options.target.schema)}`);
          await writeEnvironmentMarker(
            session,
            {
              environment: options.environment,
              dataPolicy: options.dataPolicy,
              markedBy: options.actor,
              markedAt: clock.now().toISOString(),
            },
            options.target.schema,
          );
        }
        return {
          target: label,
          environment: options.environment,
          dataPolicy: options.dataPolicy,
          previous,
          written: !options.dryRun,
          dryRun: options.dryRun === true,
        };
      },
      { readOnly: options.dryRun === true },
    );
  } catch (error) {
    throw toSeedError(error, options.target);
  } finally {
    await target.close();
  }
}
