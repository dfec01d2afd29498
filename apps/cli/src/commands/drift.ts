import { resolveServiceTarget } from '@shipgate/model';
import { defineCommand } from '../command';
import { renderTable } from '../render/table';
import { requireEnvironment } from '../support/config';
import { environmentNetwork } from '../support/network';

/** `shipgate drift <env>`: live resources against shipgate.yaml, every difference with both values. */
export const command = defineCommand({
  name: 'drift',
  usage: 'shipgate drift <env> [--service S] [--json]',
  description: [
    "Reads the environment's live resources through the AWS SDK (AWS or local-cloud) and compares them with what",
    'shipgate.yaml declares, the same comparison `shipgate bootstrap --dry-run` makes: cluster, load balancer,',
    'listeners on the declared ports, target groups (health check, deregistration delay), the ECS service (desired',
    'count, controller), the CodeDeploy application and deployment group (configuration, waits, auto-rollback,',
    'alarms), the alarms. Lists every difference with the live and the declared value; exit 1 when anything drifted.',
    'Changes nothing: `shipgate bootstrap <env>` (local-cloud) or the CDK stack (AWS) converges it.',
  ].join('\n'),
  examples: ['shipgate drift staging --service sample-service', 'shipgate drift production --json'],
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'Only this service (default: every service of the environment)',
    },
  },
  positionals: [{ name: 'environment', required: true, description: 'The environment to compare, e.g. staging' }],
  async run(ctx) {
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const services = ctx.values.service ? [ctx.values.service] : Object.keys(environment.services);
    const targets = services.map((s) => resolveServiceTarget(loaded.config, environment.name, s));
    const [{ bootstrapEnvironment }, { createAwsInfra, EcsTaskDefinitions }, { driftFromBootstrap }] =
      await Promise.all([
        import('@shipgate/ecs-deploy'),
        import('@shipgate/ecs-deploy/aws'),
        import('@shipgate/infra'),
      ]);
    const reports = [];
    for (const target of targets) {
      const clients = await ctx.aws(target.region);
      const context = { environment: environment.name, service: target.service };
      ctx.progress(
        `reading ${target.service} in ${environment.name} (${clients.settings.local ? `local-cloud ${clients.settings.endpoint}` : `AWS ${target.region}`})`,
      );
      // Bootstrap's dry run describes every resource and compares it with the declaration; it changes nothing.
      const report = await bootstrapEnvironment(
        target,
        createAwsInfra(clients, context),
        new EcsTaskDefinitions(clients.ecs, context),
        { dryRun: true, local: clients.settings.local, network: environmentNetwork(environment, ctx.env) },
      );
      reports.push({ service: target.service, report });
    }
    const drift = driftFromBootstrap(environment.name, reports);
    const human = drift.drifted
      ? [
          `${environment.name}: ${drift.items.length} difference(s) between the live resources and shipgate.yaml`,
          renderTable(
            ['service', 'resource', 'name', 'setting', 'live', 'declared'],
            drift.items.map((i) => [i.service, i.resource, i.name, i.setting, i.live, i.declared]),
          ),
        ].join('\n')
      : `${environment.name}: no drift (${drift.compared} resources of ${services.join(', ')} as declared)`;
    return { exitCode: drift.drifted ? 1 : 0, json: drift, human };
  },
});
