import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ShipgateError, isShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { formatDuration, renderTable } from '../render/table';
import { requireEnvironment, requireService } from '../support/config';
import { seedTargetFor } from '../support/database';

/** `shipgate seed`: synthetic, deterministic data into a test or staging database; never production. */
export const command = defineCommand({
  name: 'seed',
  usage:
    'shipgate seed <env> --service S [--profile small|production-like] [--seed N] [--reset] [--migrate] [--database-url URL]',
  description: [
    "Generates the service's dataset (services.<S>.seed in shipgate.yaml) from a seed and streams it into the",
    'database with COPY, in one transaction: a failure leaves the database as it was. The same seed gives',
    "byte-identical data anywhere. Refused before any connection where the environment's data policy is real,",
    'and refused by any database that identifies itself as production. The password in a URL is never printed.',
    'Without --database-url the embedded PGlite database under the state directory is used.',
  ].join('\n'),
  examples: [
    'shipgate seed test --service sample-service --seed 42 --migrate',
    'shipgate seed staging --service sample-service --profile production-like --reset --database-url "$STAGING_DATABASE_URL"',
  ],
  options: {
    service: { type: 'string', placeholder: 'S', description: 'Service whose dataset to seed' },
    profile: {
      type: 'string',
      placeholder: 'P',
      description: "Volume profile: small or production-like (default: the environment's seedProfile)",
    },
    seed: {
      type: 'string',
      placeholder: 'N',
      description: 'Seed (an integer); default random, printed so the run can be repeated',
    },
    reset: { type: 'boolean', description: "Empty the dataset's tables first (same transaction)" },
    migrate: { type: 'boolean', description: "Create the dataset's tables first when they are missing" },
    'database-url': {
      type: 'string',
      placeholder: 'URL',
      description: "PostgreSQL server to seed (default: the environment's database setting, else PGlite)",
    },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment to seed (data policy must be synthetic)' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const ledger = await ctx.ledger();
    const actor = await ctx.actor();
    const subject = { service: service.name, environment: environment.name };
    const { seedDatabase, loadDataset, describeTarget, PROFILES } = await import('@shipgate/seeding');
    try {
      if (environment.dataPolicy === 'real') {
        // Checked here too, before even reading the dataset: production data is never touched.
        throw new ShipgateError(
          'DATA_POLICY_REAL',
          `expected an environment whose data policy is synthetic, found "${environment.name}" with data policy real`,
          {
            location: { file: loaded.file, path: `environments.${environment.name}.dataPolicy` },
            hint: 'Seed test or staging; production data is never seeded.',
          },
        );
      }
      if (!service.seed)
        throw new ShipgateError('USAGE', `expected services.${service.name}.seed in shipgate.yaml, found none`, {
          hint: 'Declare the dataset module: seed: { dataset: path/to/dataset.ts, export: dataset }',
        });
      const names = Object.keys(loaded.config.environments);
      const profile =
        ctx.values.profile ??
        environment.seedProfile ??
        (names.indexOf(environment.name) === 0 ? 'small' : 'production-like');
      if (!(PROFILES as readonly string[]).includes(profile))
        throw new ShipgateError('USAGE', `expected --profile ${PROFILES.join(' or ')}, found "${profile}"`);
      const seedText = ctx.values.seed;
      if (seedText !== undefined && !/^\d{1,15}$/.test(seedText))
        throw new ShipgateError('USAGE', `expected --seed to be a non-negative integer, found "${seedText}"`);
      const dataset = await loadDataset(resolve(loaded.dir, service.seed.dataset), { exportName: service.seed.export });
      const target = seedTargetFor(ctx, loaded, environment.name, ctx.values['database-url']);
      if (target.kind === 'pglite' && target.dataDir) await mkdir(target.dataDir, { recursive: true });
      ctx.progress(
        `seeding ${environment.name} (${describeTarget(target)}) with ${dataset.name}, profile ${profile}${seedText ? `, seed ${seedText}` : ''}`,
      );
      const report = await seedDatabase({
        dataset,
        profile: profile as (typeof PROFILES)[number],
        ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
        reset: ctx.values.reset,
        migrate: ctx.values.migrate,
        dataPolicy: environment.dataPolicy,
        environment: environment.name,
        target,
        onProgress: (p) =>
          ctx.progress(
            `  ${p.table.padEnd(14)} ${String(p.rows).padStart(9)} / ${p.totalRows} rows  ${Math.round(p.rowsPerSecond).toLocaleString('en')} rows/s  ${p.etaSeconds !== undefined ? `~${Math.ceil(p.etaSeconds)} s left` : ''}`,
          ),
      });
      if (report.seedWasRandom)
        ctx.warn(`seed chosen at random: ${report.seed} (repeat this run with --seed ${report.seed})`);
      await ledger.audit.append({ actor, action: 'seed', subject, details: { ...report } });
      const human = [
        `seeded ${environment.name}: ${report.totalRows.toLocaleString('en')} rows in ${formatDuration(report.durationMs)} (seed ${report.seed}, profile ${report.profile}, dataset hash ${report.datasetHash.slice(0, 16)}…)`,
        renderTable(
          ['table', 'rows'],
          Object.entries(report.rowsPerTable).map(([t, n]) => [t, n.toLocaleString('en')]),
        ),
      ].join('\n');
      return { json: report, human };
    } catch (error) {
      if (isShipgateError(error) && (error.code === 'DATA_POLICY_REAL' || error.code === 'DATABASE_IS_PRODUCTION')) {
        await ledger.audit.append({
          actor,
          action: 'seed.refused',
          subject,
          details: {
            code: error.code,
            message: error.message,
            ...(error.details?.refusal ? { refusal: error.details.refusal } : {}),
          },
        });
      }
      throw error;
    }
  },
});
