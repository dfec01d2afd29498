import { ShipgateError } from '@shipgate/model';
import type { CommandSpec } from '../command';
import { createDeployCommand } from './deploy';
import { loadConfig, requireEnvironment, requireService } from '../support/config';
import { withPromotionGate } from '../support/deploy-gate-wiring';
import { servingRelease } from '../support/evidence';
import { openLedgerFor } from '../support/ledger';

const deploy = withPromotionGate(createDeployCommand);

/** `shipgate promote`: take what serves in the previous environment, gate it, deploy it here. */
export const command: CommandSpec = {
  name: 'promote',
  summary: 'Gate and deploy the release now serving in the previous environment',
  usage: 'shipgate promote <env> --service S [--wait complete|traffic] [--if-busy fail|wait|supersede] [--dry-run]',
  description: [
    'The release is the one serving in the environment named by promotion.from (or the environment before this',
    'one in shipgate.yaml). The promotion gate is evaluated first and a block refuses the deploy: no flag skips it.',
  ].join('\n'),
  examples: [
    'shipgate promote production --service sample-service',
    'shipgate promote staging --service sample-service --json',
  ],
  options: {
    service: deploy.options.service!,
    wait: deploy.options.wait!,
    'if-busy': deploy.options['if-busy']!,
    'dry-run': deploy.options['dry-run']!,
  },
  positionals: [{ name: 'env', required: true, description: 'Environment to promote into' }],
  async run(ctx) {
    const loaded = await loadConfig(ctx);
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const service = requireService(loaded, ctx.values.service as string | undefined);
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
    const ledger = await openLedgerFor(ctx);
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
      values: { ...ctx.values, service: service.name, release: release.id },
    });
    return { ...outcome, json: { promotedFrom: from, release: release.id, ...(outcome.json as object) } };
  },
};
