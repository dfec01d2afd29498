import { randomInt } from 'node:crypto';
import type { Clock, DataPolicy, Random } from '@shipgate/model';
import { ShipgateError, systemClock } from '@shipgate/model';
import type { Dataset, Profile } from './define-dataset';
import { PROFILES, isDataset, volumeRange } from './define-dataset';
import { describeTarget } from './describe-target';
import { parseDatabaseUrl } from './parse-database-url';
import { writeEnvironmentMarker } from './environment-marker';
import { guardTarget } from './guard-target';
import type { MarkerRequest } from './marker-decision';
import { ContentHasher } from './generate-rows';
import type { ChunkSource } from './chunk-worker';
import { threadChunks, workerChunks } from './chunk-worker';
import { datasetSource } from './dataset-source';
import type { CompiledTable, GenerationPlan } from './generation-plan';
import { compilePlan } from './generation-plan';
import { openTarget as defaultOpenTarget } from './open-target';
import type { SeedProgress } from './progress';
import { ProgressMeter } from './progress';
import { toSeedError } from './seed-errors';
import { inspectTables, planTables, prepareTables } from './prepare-tables';
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
  /** Claim a database that carries no environment marker: mark it synthetic for this environment, then seed. */
  init?: boolean;
  /** Who runs it, recorded in the marker when the run claims a database. */
  actor?: string;
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
  /**
   * Where the rows are generated: `worker` (a worker thread, ahead of the writer; the dataset must come from
   * loadDataset), `thread` (this one), or `auto` (default: a worker for a loaded dataset of 50,000 rows or
   * more). The rows are the same either way.
   */
  generateIn?: 'auto' | 'thread' | 'worker';
}

/** Below this many rows a worker thread's start (importing the dataset again) costs more than it saves. */
const WORKER_MIN_ROWS = 200_000;

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
  /** The marker the database carried, or the one this run wrote (`claimed`). */
  marker: { environment: string; dataPolicy: 'synthetic'; claimed: boolean };
  /** Where the rows were generated (see SeedOptions.generateIn). */
  generatedIn: 'thread' | 'worker';
}

/** What a dry run found and would do; nothing was written. */
export interface SeedPlanReport {
  dryRun: true;
  dataset: string;
  environment: string;
  target: string;
  seed: number | null;
  profile: Profile;
  rowsPerTable: Record<string, number>;
  totalRows: number;
  /** `present`: the database is marked synthetic for this environment; `claim`: the run would mark it. */
  marker: { action: 'present' | 'claim'; environment: string };
  /** Tables the run would create (migrate) and empty (reset). */
  wouldCreate: string[];
  wouldEmpty: string[];
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
  // A malformed URL or an unsupported scheme is a usage error, found before anything connects.
  if (options.target.kind !== 'pglite') checkUrlKind(options.target.kind, options.target.url);
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
 * connection, and a database not marked synthetic for this environment before any write (see decideMarker);
 * then streams every table in (COPY, or LOAD DATA on MySQL).
 */
export async function seedDatabase(options: SeedOptions): Promise<SeedReport> {
  checkOptions(options);
  const clock = options.clock ?? systemClock;
  const seedWasRandom = options.seed === undefined;
  const seed =
    options.seed ?? (options.random ? Math.floor(options.random.next() * 2 ** 32) : randomInt(0, 2 ** 32 - 1));
  const plan = compilePlan(options.dataset, options.profile, seed); // dataset errors surface before connecting
  const label = describeTarget(options.target);
  const chunks = chunkSource(plan, options);
  const target = await (options.openTarget ?? defaultOpenTarget)(options.target).catch(async (error: unknown) => {
    await chunks.close();
    throw error;
  });
  const meter = new ProgressMeter(clock, plan.totalRows, options.onProgress);
  const hasher = new ContentHasher();
  const names = plan.tables.map((t) => t.name);
  const schema = options.target.schema;
  let migrated = false;
  let claimed = false;
  try {
    await target.transaction(async (session) => {
      const decision = await guardTarget(session, markerRequest(options), context(options, label));
      if (decision.action === 'claim') {
        if (schema && session.dialect.name === 'postgres')
          await session.exec(`CREATE SCHEMA IF NOT EXISTS ${session.dialect.quoteIdent(schema)}`);
        await writeEnvironmentMarker(
          session,
          {
            environment: options.environment,
            dataPolicy: 'synthetic',
            markedBy: options.actor ?? 'shipgate seed',
            markedAt: clock.now().toISOString(),
          },
          schema,
        );
        claimed = true;
      }
      ({ migrated } = await prepareTables(session, options.dataset, names, {
        migrate: options.migrate === true,
        reset: options.reset === true,
        label,
        schema,
      }));
      // PostgreSQL: keys dropped and re-validated around the load. MySQL keeps them (parents load first).
      const restore = session.dialect.name === 'postgres' ? await suspendConstraints(session, names) : undefined;
      for (const table of plan.tables) await writeTable(session, chunks, table, meter, hasher);
      await restore?.();
    });
  } catch (error) {
    throw toSeedError(error, options.target);
  } finally {
    await chunks.close();
    await target.close();
  }
  const { tableHashes, datasetHash } = hasher.digest(names);
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
    marker: { environment: options.environment, dataPolicy: 'synthetic', claimed },
    generatedIn: chunks.where,
  };
}

/**
 * A dry run: connects in a read-only transaction, applies the same guard and table checks as seedDatabase
 * (and throws the same refusals), and says what it would write. Generates nothing, writes nothing.
 */
export async function planSeed(options: SeedOptions): Promise<SeedPlanReport> {
  checkOptions(options);
  const label = describeTarget(options.target);
  const names = options.dataset.tableOrder;
  const target = await (options.openTarget ?? defaultOpenTarget)(options.target);
  try {
    return await target.transaction(
      async (session) => {
        const decision = await guardTarget(session, markerRequest(options), context(options, label));
        const tables = planTables(options.dataset, await inspectTables(session, names, options.target.schema), {
          migrate: options.migrate === true,
          reset: options.reset === true,
          label,
        });
        // With a seed the counts are exact (a grouped table's rows depend on it); without, the most there can be.
        const compiled =
          options.seed !== undefined ? compilePlan(options.dataset, options.profile, options.seed) : undefined;
        const rowsPerTable = Object.fromEntries(
          names.map((t) => [
            t,
            compiled?.tables.find((c) => c.name === t)?.volume ?? volumeRange(options.dataset, t, options.profile).max,
          ]),
        );
        return {
          dryRun: true as const,
          dataset: options.dataset.name,
          environment: options.environment,
          target: label,
          seed: options.seed ?? null,
          profile: options.profile,
          rowsPerTable,
          totalRows: Object.values(rowsPerTable).reduce((n, v) => n + v, 0),
          marker: { action: decision.action === 'claim' ? 'claim' : 'present', environment: options.environment },
          wouldCreate: tables.migrate,
          wouldEmpty: tables.empty,
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

function checkUrlKind(kind: 'postgres' | 'mysql', url: string): void {
  const parsed = parseDatabaseUrl(url);
  if (parsed.dialect !== kind)
    throw new ShipgateError(
      'DATABASE_URL_INVALID',
      `expected a ${kind} URL for this target, found ${parsed.redacted} (a ${parsed.dialect} URL)`,
      { hint: 'Make the target kind agree with the URL scheme (use targetForUrl to derive it).' },
    );
}

function markerRequest(options: SeedOptions): MarkerRequest {
  return {
    environment: options.environment,
    init: options.init === true,
    migrate: options.migrate === true,
    reset: options.reset === true,
  };
}

function context(options: SeedOptions, label: string) {
  return {
    dataset: options.dataset.name,
    dataPolicy: options.dataPolicy,
    label,
    ...(options.target.schema ? { schema: options.target.schema } : {}),
  };
}

/** The worker when asked or worth it (a loaded dataset, big enough), else this thread. */
function chunkSource(plan: GenerationPlan, options: SeedOptions): ChunkSource {
  const where = options.generateIn ?? 'auto';
  const source = datasetSource(options.dataset);
  if (where === 'worker' && !source)
    throw new ShipgateError(
      'USAGE',
      'expected a dataset loaded by loadDataset() to generate in a worker thread, found one defined in this process',
      { hint: "Load it with loadDataset(file), or pass generateIn: 'thread'." },
    );
  const worker = where === 'worker' || (where === 'auto' && plan.totalRows >= WORKER_MIN_ROWS);
  return worker && source ? workerChunks(plan, source) : threadChunks(plan);
}

async function writeTable(
  session: SeedSession,
  source: ChunkSource,
  table: CompiledTable,
  meter: ProgressMeter,
  hasher: ContentHasher,
): Promise<void> {
  let written = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const chunk of source.chunks(table)) {
      hasher.update(table.name, chunk.text);
      written += chunk.rows;
      meter.advance(table.name, written, table.volume, chunk.rows);
      yield chunk.text;
    }
  }
  await session.copyIn(table.name, table.columns, lines());
  meter.advance(table.name, written, table.volume, 0, true);
}
