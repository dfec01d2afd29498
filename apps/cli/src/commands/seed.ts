import { resolve } from 'node:path';
import { ShipgateError, isShipgateError } from '@shipgate/model';
import type { SeedPlanReport } from '@shipgate/seeding';
import { defineCommand } from '../command';
import { durationCell, renderTable } from '../render/table';
import { requireEnvironment, requireService } from '../support/config';
import { embeddedReady, seedTargetFor } from '../support/database';

/** The refusals the audit log records: every time a guard stopped a seed run. */
const REFUSALS = new Set(['DATA_POLICY_REAL', 'DATABASE_IS_PRODUCTION', 'DATABASE_NOT_MARKED']);

/** What a dry run prints: the target (redacted), the marker, and the tables and rows it would write. */
function dryRunOutcome(plan: SeedPlanReport, label: string) {
  const report = { ...plan, target: label };
  const human = [
    `dry run: would seed ${report.environment} (${label}) with ${report.dataset}, profile ${report.profile}: ${report.totalRows.toLocaleString('en')} rows; nothing was written`,
    report.marker.action === 'claim'
      ? `  the database carries no marker: it would be marked synthetic for ${report.environment}`
      : `  the database is marked synthetic for ${report.environment}`,
    ...(report.wouldCreate.length ? [`  would create: ${report.wouldCreate.join(', ')}`] : []),
    ...(report.wouldEmpty.length ? [`  would empty first (--reset): ${report.wouldEmpty.join(', ')}`] : []),
    renderTable(
      ['table', 'rows'],
      Object.entries(report.rowsPerTable).map(([t, n]) => [t, n.toLocaleString('en')]),
    ),
  ].join('\n');
  return { json: report, human };
}

/** `shipgate seed`: synthetic, deterministic data into a test or staging database; never production. */
export const command = defineCommand({
  name: 'seed',
  usage:
    'shipgate seed <env> --service S [--profile small|production-like] [--seed N] [--reset] [--migrate] [--init] [--dry-run] [--database-url URL]',
  description: [
    "Generates the service's dataset (services.<S>.seed in shipgate.yaml) from a seed and streams it into the",
    'database (COPY on PostgreSQL, LOAD DATA on MySQL/MariaDB), in one transaction: a failure leaves the rows as',
    'they were. The same seed gives byte-identical data anywhere. Refused before any connection where the',
    "environment's data policy is real. The database must carry the marker (table shipgate_environment_marker)",
    'saying it is synthetic for this environment: --migrate marks a new, empty database, --init claims an',
    'unmarked one (both audited), and a database marked production or another environment is refused before',
    'any write; --reset never empties a database that was not marked before the run. --dry-run reads the marker',
    'and says what would be written, writing nothing. The password in a URL is never printed. Without',
    '--database-url the embedded PGlite database under the state directory is used.',
  ].join('\n'),
  examples: [
    'shipgate seed test --service sample-service --seed 42 --migrate',
    'shipgate seed staging --service sample-service --profile production-like --reset --database-url "$STAGING_DATABASE_URL"',
    'shipgate seed test --service sample-service --init --dry-run --database-url mysql://app@127.0.0.1:3306/shop',
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
    migrate: {
      type: 'boolean',
      description: "Create the dataset's tables first when they are missing (marks a new, empty database)",
    },
    init: {
      type: 'boolean',
      description: 'Claim a database that carries no environment marker: mark it synthetic for <env> (audited)',
    },
    'dry-run': {
      type: 'boolean',
      description: 'Check the marker and the tables read-only and print what would be written; write nothing',
    },
    'database-url': {
      type: 'string',
      placeholder: 'URL',
      description:
        "postgres://, mysql:// or mariadb:// server to seed (default: the environment's database setting, else PGlite)",
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
    const { seedDatabase, planSeed, loadDataset, describeTarget, PROFILES } = await import('@shipgate/seeding');
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
      const target = seedTargetFor(ctx, loaded, environment.name, ctx.values['database-url']);
      const dataset = await loadDataset(resolve(loaded.dir, service.seed.dataset), { exportName: service.seed.export });
      const options = {
        dataset,
        // A dry run creates no embedded database directory; a real run makes sure there is one.
        target: await embeddedReady(target, ctx.values['dry-run']),
        profile: profile as (typeof PROFILES)[number],
        ...(seedText !== undefined ? { seed: Number(seedText) } : {}),
        reset: ctx.values.reset,
        migrate: ctx.values.migrate,
        init: ctx.values.init,
        actor,
        dataPolicy: environment.dataPolicy,
        environment: environment.name,
      };
      if (ctx.values['dry-run']) return dryRunOutcome(await planSeed(options), describeTarget(target));
      ctx.progress(
        `seeding ${environment.name} (${describeTarget(target)}) with ${dataset.name}, profile ${profile}${seedText ? `, seed ${seedText}` : ''}`,
      );
      const report = await seedDatabase({
        ...options,
        onProgress: (p) =>
          ctx.progress(
            `  ${p.table.padEnd(14)} ${String(p.rows).padStart(9)} / ${p.totalRows} rows  ${Math.round(p.rowsPerSecond).toLocaleString('en')} rows/s  ${p.etaSeconds !== undefined ? `~${Math.ceil(p.etaSeconds)} s left` : ''}`,
          ),
      });
      if (report.seedWasRandom)
        ctx.warn(`seed chosen at random: ${report.seed} (repeat this run with --seed ${report.seed})`);
      if (report.marker.claimed) {
        await ledger.audit.append({
          actor,
          action: 'data.mark',
          subject,
          details: {
            target: report.target,
            environment: environment.name,
            dataPolicy: 'synthetic',
            by: ctx.values.init ? 'seed --init' : 'seed --migrate (new, empty database)',
          },
        });
      }
      await ledger.audit.append({ actor, action: 'seed', subject, details: { ...report } });
      const human = [
        `seeded ${environment.name}: ${report.totalRows.toLocaleString('en')} rows in ${durationCell(report.durationMs)} (seed ${report.seed}, profile ${report.profile}, dataset hash ${report.datasetHash.slice(0, 16)}…)${report.marker.claimed ? `; marked the database synthetic for ${environment.name}` : ''}`,
        renderTable(
          ['table', 'rows'],
          Object.entries(report.rowsPerTable).map(([t, n]) => [t, n.toLocaleString('en')]),
        ),
      ].join('\n');
      return { json: report, human };
    } catch (error) {
      if (isShipgateError(error) && REFUSALS.has(error.code)) {
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
