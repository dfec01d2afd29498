import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { requireEnvironment } from '../support/config';
import { embeddedReady, seedTargetFor } from '../support/database';

/** `shipgate data mark`: write the environment marker that seed's guards read (production: once, for good). */
export const command = defineCommand({
  name: 'data mark',
  usage: 'shipgate data mark <env> (--real | --synthetic) [--database-url URL] [--dry-run]',
  description: [
    "Writes the database's environment marker (table shipgate_environment_marker: environment, data policy, when,",
    'by whom). Mark every real database with --real: seed then refuses it whatever a config or URL says. The flag',
    "must agree with the environment's dataPolicy in shipgate.yaml. --synthetic hands an existing database to a",
    'test or staging environment (a new, empty one is marked by `shipgate seed --migrate`). A production marker is never',
    'replaced by a synthetic one. Services can also write the marker in their own migrations: see the seeding',
    'README (libs/seeding/README.md). Audited.',
  ].join('\n'),
  examples: [
    'shipgate data mark production --real --database-url "$PRODUCTION_DATABASE_URL"',
    'shipgate data mark staging --synthetic --dry-run',
  ],
  options: {
    real: {
      type: 'boolean',
      description: 'Mark the database as holding real data (environments with dataPolicy real)',
    },
    synthetic: { type: 'boolean', description: 'Mark it synthetic for <env> (environments with dataPolicy synthetic)' },
    'database-url': {
      type: 'string',
      placeholder: 'URL',
      description:
        "postgres://, mysql:// or mariadb:// server (default: the environment's database setting, else PGlite)",
    },
    'dry-run': { type: 'boolean', description: 'Read the current marker and say what would change; write nothing' },
  },
  positionals: [{ name: 'env', required: true, description: 'Environment the database belongs to' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    if (ctx.values.real === ctx.values.synthetic) {
      throw new ShipgateError(
        'USAGE',
        `data mark: expected exactly one of --real or --synthetic, found ${ctx.values.real ? 'both' : 'neither'}`,
        {
          hint: `The environment's dataPolicy is ${environment.dataPolicy}: shipgate data mark ${environment.name} --${environment.dataPolicy}`,
        },
      );
    }
    const dataPolicy = ctx.values.real ? 'real' : 'synthetic';
    if (dataPolicy !== environment.dataPolicy) {
      throw new ShipgateError(
        'USAGE',
        `data mark: expected --${environment.dataPolicy} for ${environment.name} (its dataPolicy in shipgate.yaml), found --${dataPolicy}`,
        {
          location: { file: loaded.file, path: `environments.${environment.name}.dataPolicy` },
          hint: `Run shipgate data mark ${environment.name} --${environment.dataPolicy}, or fix the environment's dataPolicy.`,
        },
      );
    }
    const { markDatabase, describeTarget } = await import('@shipgate/seeding');
    const actor = await ctx.actor();
    const target = seedTargetFor(ctx, loaded, environment.name, ctx.values['database-url']);
    const report = {
      ...(await markDatabase({
        target: await embeddedReady(target, ctx.values['dry-run']),
        environment: environment.name,
        dataPolicy,
        actor,
        dryRun: ctx.values['dry-run'],
      })),
      target: describeTarget(target),
    };
    if (!report.dryRun) {
      const ledger = await ctx.ledger();
      await ledger.audit.append({
        actor,
        action: 'data.mark',
        subject: { environment: environment.name },
        details: {
          target: report.target,
          environment: environment.name,
          dataPolicy,
          previous: report.previous,
          by: 'data mark',
        },
      });
    }
    const before = report.previous.length
      ? report.previous.map((m) => `${m.environment}/${m.dataPolicy}`).join(', ')
      : 'no marker';
    const human = report.dryRun
      ? `dry run: ${report.target} has ${before}; would mark it ${dataPolicy} for ${environment.name}; nothing was written`
      : `marked ${report.target} ${dataPolicy} for ${environment.name} (was: ${before})`;
    return { json: report, human };
  },
});
