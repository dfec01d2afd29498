import { ShipgateError } from '@shipgate/model';
import { defineCommand } from '../command';
import { deployOptions } from '../deploy/deploy-options';
import { createDeployCommand } from './deploy';
import { requireEnvironment, requireService } from '../support/config';
import { withPromotionGate } from '../support/deploy-gate-wiring';
import { servingRelease } from '../support/evidence';

const deploy = withPromotionGate(createDeployCommand);

/** `shipgate promote`: take what serves in the previous environment, gate it, deploy it here. */
export const command = defineCommand({
  name: 'promote',
  usage:
    'shipgate promote <env> --service S [--wait complete|traffic] [--if-busy fail|wait|supersede] [--break-glass] [--dry-run]',
  description: [
    'The release is the one serving in the environment named by promotion.from (or the environment before this',
    'one in shipgate.yaml). The promotion gate is evaluated first and a block refuses the deploy; only --break-glass with a',
    'verified break-glass override (signed, by someone the trust policy names, not expired) goes past it, recorded as break-glass.',
  ].join('\n'),
  examples: [
    'shipgate promote production --service sample-service',
    'shipgate promote staging --service sample-service --json',
    'shipgate promote production --service sample-service --break-glass',
  ],
  options: {
    service: deployOptions.service,
    wait: deployOptions.wait,
    'if-busy': deployOptions['if-busy'],
    'break-glass': deployOptions['break-glass'],
    'dry-run': deployOptions['dry-run'],
  },
  positionals: [{ name: 'env', required: true, description: 'Environment to promote into' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service);
    const names = Object.keys(loaded.config.environments);
    const from = environment.promotion?.from ?? names[names.indexOf(environment.name) - 1];
    if (!from) {
      throw new ShipgateError(
        'USAGE',
        `expected an environment before ${environment.name} to promote from, found none (it is the first in promotion order)`,
        {
          hint: `Deploy a release directly: shipgate deploy ${environment.name} --service ${service.name} --release R.`,
        },
      );
    }
    const ledger = await ctx.ledger();
    const release = await servingRelease(ledger, service.name, from);
    if (!release) {
      throw new ShipgateError(
        'RELEASE_NOT_FOUND',
        `expected a release of ${service.name} serving in ${from}, found none in the ledger`,
        { hint: `Deploy to ${from} first: shipgate promote ${from} --service ${service.name}.` },
      );
    }
    ctx.progress(`promote: ${release.id} is serving in ${from}; promoting it to ${environment.name}`);
    const outcome = await deploy.run({
      ...ctx,
      positionals: [environment.name],
      // The deploy is promote's own: it runs with the same config, ledger and AWS clients (one read, one open).
      values: { ...ctx.values, service: service.name, release: release.id, force: false },
    });
    return { ...outcome, json: { promotedFrom: from, release: release.id, ...(outcome.json as object) } };
  },
});
