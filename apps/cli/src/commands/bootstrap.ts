import { ShipgateError, cryptoRandom, resolveServiceTarget } from '@shipgate/model';
import { defineCommand } from '../command';
import { prepareRelease } from '../deploy/prepare-release';
import { renderTable } from '../render/table';
import { requireEnvironment } from '../support/config';
import { environmentNetwork } from '../support/network';

/** `shipgate bootstrap <env>`: create what blue/green deploys need, idempotently; converge drifted settings. */
export const command = defineCommand({
  name: 'bootstrap',
  usage: 'shipgate bootstrap <env> [--service S] [--release R] [--migrate-controller] [--dry-run]',
  description: [
    'Describes first, creates what is missing and updates settings that drifted from shipgate.yaml: the ECS cluster,',
    'a load balancer with a production and a test listener, the blue and green target groups (health check,',
    'deregistration delay), and per the environment’s deploy.controller:',
    '  codedeploy: the ECS service with the CODE_DEPLOY controller, the CodeDeploy application and deployment group',
    '    (STOP_DEPLOYMENT at Ready so shipgate verifies first, termination wait, auto-rollback, alarms);',
    '  ecs: a production and a test listener rule forwarding to both target groups, a reference to the ECS',
    '    infrastructure role (aws.ecsInfrastructureRoleArn), and the service with the ECS controller (BLUE_GREEN, LINEAR or',
    '    CANARY; PAUSE hooks where shipgate verifies and where it holds the original; alarms).',
    'A service that runs on CodeDeploy while the config says ecs is never recreated: bootstrap says what the migration',
    'would change, and moves it in place (UpdateService, as AWS documents) only with --migrate-controller.',
    'ECS needs a first task definition to create the service: pass --release for that. Run it again: nothing changes.',
  ].join('\n'),
  examples: [
    'shipgate bootstrap test --service sample-service --release rel-3f9a',
    'shipgate bootstrap production --dry-run',
    'shipgate bootstrap production --service sample-service --migrate-controller --dry-run',
  ],
  options: {
    service: {
      type: 'string',
      placeholder: 'S',
      description: 'Only this service (default: every service of the environment)',
    },
    release: {
      type: 'string',
      placeholder: 'R',
      description: 'The release the ECS service starts with, when it has to be created',
    },
    'migrate-controller': {
      type: 'boolean',
      description: 'Move a service from CodeDeploy to the ECS controller in place when deploy.controller says ecs',
    },
    'dry-run': { type: 'boolean', description: 'Show what would be created or updated, and stop' },
  },
  positionals: [{ name: 'environment', required: true, description: 'The environment to bootstrap, e.g. test' }],
  async run(ctx) {
    const v = ctx.values;
    const loaded = await ctx.config();
    const environment = requireEnvironment(loaded, ctx.positionals[0]);
    const services = v.service ? [v.service] : Object.keys(environment.services);
    if (v.release !== undefined && services.length !== 1) {
      throw new ShipgateError(
        'USAGE',
        `bootstrap: --release names one service's release, found ${services.length} services to bootstrap`,
        { hint: `Add --service ${services[0] ?? '<name>'}.` },
      );
    }
    // Every input is checked before the first AWS call.
    const targets = services.map((s) => resolveServiceTarget(loaded.config, environment.name, s));
    const ledger = await ctx.ledger();
    const initial =
      v.release !== undefined
        ? await prepareRelease(ctx, loaded, environment.name, services[0]!, v.release, ledger.releases)
        : undefined;
    const dryRun = v['dry-run'];
    const actor = await ctx.actor();

    const { bootstrapEnvironment } = await import('@shipgate/ecs-deploy');
    const { createAwsInfra, EcsTaskDefinitions } = await import('@shipgate/ecs-deploy/aws');
    const reports = [];
    for (const target of targets) {
      const clients = await ctx.aws(target.region);
      const settings = clients.settings;
      const context = { environment: environment.name, service: target.service };
      ctx.progress(
        `${dryRun ? 'planning' : 'bootstrapping'} ${target.service} in ${environment.name} (${settings.local ? `local-cloud ${settings.endpoint}` : `AWS ${target.region}`})`,
      );
      const report = await bootstrapEnvironment(
        target,
        createAwsInfra(clients, context),
        new EcsTaskDefinitions(clients.ecs, context),
        {
          dryRun,
          local: settings.local,
          migrateController: v['migrate-controller'] === true,
          ...(initial ? { initialTaskDefinition: initial.taskDefinition } : {}),
          network: environmentNetwork(environment, ctx.env),
        },
      );
      const changed = report.steps.filter((s) => s.action === 'create' || s.action === 'update');
      if (!dryRun) {
        await ledger.audit.append({
          actor,
          action: 'bootstrap',
          subject: {
            service: target.service,
            environment: environment.name,
            ...(initial ? { releaseId: initial.release.id } : {}),
          },
          details: { changed: changed.map((s) => `${s.action} ${s.resource} ${s.name}`), complete: report.complete },
        });
      }
      const serviceCreated = report.steps.some((s) => s.resource === 'ecs-service' && s.action === 'create');
      if (!dryRun && initial && serviceCreated) {
        // The service now runs the initial release: record it, so that status, history and rollback
        // (last known good) know what serves here from the first minute.
        const { newRecordId } = await import('@shipgate/ledger');
        const now = ctx.clock.now().toISOString();
        await ledger.deployments.start(
          {
            id: newRecordId('dep', ctx.clock, cryptoRandom),
            releaseId: initial.release.id,
            service: target.service,
            environment: environment.name,
            digest: initial.release.digest,
            controller: 'ecs',
            kind: 'deploy',
            startedBy: actor,
            startedAt: now,
            finishedAt: now,
            outcome: 'succeeded',
            // No durationMs: nothing was deployed to time (status and history show none, not "0 ms").
            reason: 'bootstrap: the ECS service was created with this release',
          },
          actor,
        );
      }
      reports.push({ service: target.service, ...report });
    }
    const complete = reports.every((r) => r.complete);
    const human = reports
      .map((r) =>
        [
          `${r.dryRun ? 'dry run: would change' : 'bootstrap'} ${r.service} in ${environment.name}: ${r.steps.filter((s) => s.action === 'create').length} to create, ${r.steps.filter((s) => s.action === 'update').length} to update, ${r.steps.filter((s) => s.action === 'unchanged').length} unchanged${r.steps.some((s) => s.action === 'migrate') ? ', a controller migration waiting for --migrate-controller' : ''}${r.complete ? '' : r.steps.some((s) => s.action === 'missing') ? ', some missing' : ''}`,
          renderTable(
            ['resource', 'name', 'action', 'detail'],
            r.steps.map((s) => [s.resource, s.name, s.action, [...s.changes, s.note ?? ''].filter(Boolean).join('; ')]),
          ),
        ].join('\n'),
      )
      .join('\n\n');
    return {
      exitCode: complete ? 0 : 1,
      json: { environment: environment.name, dryRun, complete, services: reports },
      human,
    };
  },
});
