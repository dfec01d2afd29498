import { randomInt } from 'node:crypto';
import type { Clock, DataPolicy, Random } from '@shipgate/model';
import { ShipgateError, systemClock } from '@shipgate/model';
import type { Dataset, Profile } from './define-dataset';
import { PROFILES, isDataset } from './define-dataset';
import { isProductionMarker, readEnvironmentMarkers } from './environment-marker';
import { ContentHasher, tableChunks } from './generate-rows';
import type { CompiledTable, GenerationPlan } from './generation-plan';
import { compilePlan } from './generation-plan';
import { openTarget as defaultOpenTarget } from './open-target';
import type { SeedProgress } from './progress';
import { ProgressMeter } from './progress';
import { redactDatabaseUrl } from './redact-database-url';
import { toSeedError } from './seed-errors';
import { prepareTables } from './prepare-tables';
import { suspendConstraints } from './bulk-load';
import type { OpenTarget, SeedSession, SeedTargetSpec } from './seed-target';

/** Options of seedDatabase. */
export interface SeedOptions {
  dataset: Dataset;
  profile: Profile;
  /** Omitted: one is chosen at random and returned in the report (print it, so the run can be repeated). */
  seed?: number;
  /** Empty the dataset's tables first (TRUNCATE … CASCADE, in the same transaction). */
  reset?: boolean;
  /** Run the dataset's CREATE TABLE SQL first when any of its tables is missing (in the same transaction). */
  migrate?: boolean;
  /** The environment's data policy: `real` is refused before any connection. */
  dataPolicy: DataPolicy;
  /** The environment's name, for the report and the refusal audit. */
  environment: string;
  target: SeedTargetSpec;
  onProgress?: (progress: SeedProgress) => void;
  /** Chooses the seed when none is given (default: crypto). */
  random?: Random;
  clock?: Clock;
  /** Connection factory (default: the PGlite and pg writers). */
  openTarget?: OpenTarget;
}

/** What a seed run did. `datasetHash` is sha256 over the generated COPY bytes (see ContentHasher). */
export interface SeedReport {
  dataset: string;
  environment: string;
  target: string;
  seed: number;
  seedWasRandom: boolean;
  profile: Profile;
  rowsPerTable: Record<string, number>;
  totalRows: number;
  durationMs: number;
  datasetHash: string;
  datasetHashOf: 'generated-copy-bytes';
  tableHashes: Record<string, string>;
  /** The schema SQL was run (migrate was asked and a table was missing). */
  migrated: boolean;
  reset: boolean;
}

/** The target without secrets, for reports, errors and audit records. */
export function describeTarget(spec: SeedTargetSpec): string {
  const where =
    spec.kind === 'postgres'
      ? redactDatabaseUrl(spec.url)
      : `pglite:${spec.dataDir ?? (spec.instance ? '(instance)' : '(memory)')}`;
  return spec.schema ? `${where} schema ${spec.schema}` : where;
}

function checkOptions(options: SeedOptions): void {
  // First, before anything else and before any connection: production data is never touched.
  if (options.dataPolicy !== 'synthetic') {
    throw new ShipgateError(
      'DATA_POLICY_REAL',
      `refusing to seed environment "${options.environment}": expected data policy "synthetic", found "${options.dataPolicy}"`,
      {
        hint: 'Seeding only ever targets environments whose dataPolicy is synthetic (test, staging). Check shipgate.yaml.',
        details: {
          refusal: {
            reason: 'DATA_POLICY_REAL',
            environment: options.environment,
            dataPolicy: options.dataPolicy,
            dataset: options.dataset?.name,
            target: describeTarget(options.target),
            connectionOpened: false,
          },
        },
      },
    );
  }
  if (!isDataset(options.dataset))
    throw new ShipgateError('DATASET_INVALID', 'expected a dataset made by defineDataset(), found something else');
  if (!PROFILES.includes(options.profile)) {
    throw new ShipgateError('USAGE', `expected profile ${PROFILES.join(' or ')}, found "${options.profile}"`, {
      location: { path: 'profile' },
    });
  }
}

/**
 * Seeds a synthetic environment's database in ONE transaction: refuses `real` data policies before any
 * connection and production-marked databases before any write, then streams every table through COPY.
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedReport> {
  checkOptions(options);
  const clock = options.clock ?? systemClock;
  const seedWasRandom = options.seed === undefined;
  const seed =
    options.seed ?? (options.random ? Math.floor(options.random.next() * 2 ** 32) : randomInt(0, 2 ** 32 - 1));
  const plan = compilePlan(options.dataset, options.profile, seed); // dataset errors surface before connecting
  const label = describeTarget(options.target);
  const target = await (options.openTarget ?? defaultOpenTarget)(options.target);
  const meter = new ProgressMeter(clock, plan.totalRows, options.onProgress);
  const hasher = new ContentHasher();
  let migrated = false;
  try {
    await target.transaction(async (session) => {
      const markers = await readEnvironmentMarkers(session);
      const production = markers.find(isProductionMarker);
      if (production) {
        throw new ShipgateError(
          'DATABASE_IS_PRODUCTION',
          `refusing to seed ${label}: the database identifies itself as environment "${production.name}" with data policy "${production.dataPolicy}" (table shipgate_environment), although the config says "${options.environment}" is ${options.dataPolicy}`,
          {
            hint: "The connection settings point at a production database. Fix the environment's database URL; never remove the marker to get past this.",
            details: {
              refusal: {
                reason: 'DATABASE_IS_PRODUCTION',
                environment: options.environment,
                dataPolicy: options.dataPolicy,
                dataset: options.dataset.name,
                target: label,
                marker: production,
                connectionOpened: true,
                rowsWritten: 0,
              },
            },
          },
        );
      }
      ({ migrated } = await prepareTables(session, options.dataset, plan, {
        migrate: options.migrate === true,
        reset: options.reset === true,
        label,
        schema: options.target.schema,
      }));
      const restore = await suspendConstraints(
        session,
        plan.tables.map((t) => t.name),
      );
      for (const table of plan.tables) await writeTable(session, plan, table, meter, hasher);
      await restore();
    });
  } catch (error) {
    throw toSeedError(error, options.target);
  } finally {
    await target.close();
  }
  const { tableHashes, datasetHash } = hasher.digest(plan.tables.map((t) => t.name));
  return {
    dataset: options.dataset.name,
    environment: options.environment,
    target: label,
    seed,
    seedWasRandom,
    profile: options.profile,
    rowsPerTable: Object.fromEntries(plan.tables.map((t) => [t.name, t.volume])),
    totalRows: plan.totalRows,
    durationMs: meter.elapsedMs(),
    datasetHash,
    datasetHashOf: 'generated-copy-bytes',
    tableHashes,
    migrated,
    reset: options.reset === true,
  };
}

async function writeTable(
  session: SeedSession,
  plan: GenerationPlan,
  table: CompiledTable,
  meter: ProgressMeter,
  hasher: ContentHasher,
): Promise<void> {
  let written = 0;
  async function* lines(): AsyncGenerator<string> {
    for (const chunk of tableChunks(plan, table)) {
      hasher.update(table.name, chunk.text);
      written += chunk.rows;
      meter.advance(table.name, written, table.volume, chunk.rows);
      yield chunk.text;
    }
  }
  await session.copyIn(table.name, table.columns, lines());
  meter.advance(table.name, written, table.volume, 0, true);
}
