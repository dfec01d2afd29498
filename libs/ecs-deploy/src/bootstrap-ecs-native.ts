/**
 * Bootstrap's ECS-native half: the production and test listener rules ECS shifts, the infrastructure role it
 * shifts them with, and the service with the ECS deployment controller. A CODE_DEPLOY service is moved in
 * place, as AWS documents the migration, and only when asked: bootstrap never recreates a service.
 */
import type { ServiceTarget } from '@shipgate/model';
import type { BootstrapOptions, BootstrapStep } from './bootstrap-environment';
import { ecsTrafficRouting, type TrafficRouting } from './deploy-budget';
import type {
  EcsServiceSettings,
  EcsTrafficResources,
  InfraPort,
  ListenerRuleView,
  NetworkSettings,
  TargetGroupView,
} from './infra-port';
import { ecsStrategyOf } from './adapters/ecs-native-settings';
import type { TaskDefinitionPort } from './ports';

/** The role local-cloud accepts for ECS to change listener rules (it checks the ARN's shape, as AWS does). */
export const localEcsInfrastructureRole = 'arn:aws:iam::000000000000:role/shipgate-local-ecs-infrastructure';

/** The PAUSE hooks shipgate's ECS-native deploys rely on (see adapters/ecs-native-settings.ts). */
const wantedPauseStages = ['POST_PRODUCTION_TRAFFIC_SHIFT', 'POST_TEST_TRAFFIC_SHIFT'];

/** The ECS strategy name the config's routing asks for. */
export function strategyOfRouting(routing: TrafficRouting): string {
  return ecsStrategyOf(routing).strategy!;
}

/** The deployment-configuration settings that differ from what shipgate needs, as `name: found → wanted` (pure). */
export function ecsSettingChanges(found: EcsServiceSettings, target: ServiceTarget, routing: TrafficRouting): string[] {
  const list = (v: string[]) => `[${[...v].sort().join(', ')}]`;
  const changes: string[] = [];
  const strategy = strategyOfRouting(routing);
  if (found.strategy !== strategy) changes.push(`strategy: ${found.strategy ?? 'ROLLING'} → ${strategy}`);
  if (list(found.pauseStages) !== list(wantedPauseStages))
    changes.push(`PAUSE hooks: ${list(found.pauseStages)} → ${list(wantedPauseStages)}`);
  if ((found.bakeTimeInMinutes ?? 0) !== 0) changes.push(`bakeTimeInMinutes: ${found.bakeTimeInMinutes} → 0`);
  if (list(found.alarms) !== list(target.deploy.alarms))
    changes.push(`alarms: ${list(found.alarms)} → ${list(target.deploy.alarms)}`);
  return changes;
}

/** Everything the ECS-native half needs from the half that made the load balancer and target groups. */
export interface EcsBootstrapContext {
  target: ServiceTarget;
  infra: InfraPort;
  taskDefinitions: TaskDefinitionPort;
  options: BootstrapOptions;
  network: NetworkSettings;
  blue: TargetGroupView;
  green: TargetGroupView;
  listeners: { production: string; test: string };
  step: (s: Omit<BootstrapStep, 'changes'> & { changes?: string[] }) => void;
}

const pending = (what: string) => `arn:pending:${what}`;

/** The listener rules, the role and the ECS-native service, each as a step of the report. */
export async function bootstrapEcsNative(ctx: EcsBootstrapContext): Promise<void> {
  const { target, infra, options, step } = ctx;
  const apply = !options.dryRun;
  // Production traffic stays where it is: on a service CodeDeploy deployed, that may be green by now.
  const [live, idle] = await liveAndIdle(ctx);
  const rules = {
    production: await ensureRule(ctx, 'production', ctx.listeners.production, live, idle),
    test: await ensureRule(ctx, 'test', ctx.listeners.test, live, idle),
  };
  const roleArn =
    options.infrastructureRoleArn ??
    target.ecsInfrastructureRoleArn ??
    (options.local ? localEcsInfrastructureRole : undefined);
  if (roleArn)
    step({
      resource: 'infrastructure-role',
      name: roleArn,
      action: 'unchanged',
      note: 'referenced by the service so that ECS may shift the listener rules; shipgate does not create IAM roles',
    });
  else
    step({
      resource: 'infrastructure-role',
      name: 'ECS infrastructure role',
      action: 'missing',
      note: `set environments.${target.environment}.aws.ecsInfrastructureRoleArn: a role ECS assumes, with AmazonECSInfrastructureRolePolicyForLoadBalancers`,
    });
  const routing = ecsTrafficRouting(target.deploy);
  const resources: EcsTrafficResources = {
    targetGroupArn: live.arn,
    alternateTargetGroupArn: idle.arn,
    productionListenerRuleArn: rules.production,
    testListenerRuleArn: rules.test,
    roleArn: roleArn ?? '',
  };
  const spec = { target, resources, routing };
  const service = await infra.describeService(target.cluster, target.ecsService);

  if (!service) {
    if (!options.initialTaskDefinition || !roleArn) {
      step({
        resource: 'ecs-service',
        name: target.ecsService,
        action: 'missing',
        note: !roleArn
          ? 'it needs the infrastructure role (see above)'
          : `CreateService needs a first task definition: run \`shipgate bootstrap ${target.environment} --service ${target.service} --release <release id>\``,
      });
      return;
    }
    if (apply) {
      const registered = await ctx.taskDefinitions.register(options.initialTaskDefinition);
      await infra.createService(
        {
          cluster: target.cluster,
          service: target.ecsService,
          taskDefinitionArn: registered.arn,
          desiredCount: target.desiredCount,
          targetGroupArn: live.arn,
          containerName: target.containerName,
          containerPort: target.containerPort,
          ecs: spec,
        },
        ctx.network,
      );
    }
    step({
      resource: 'ecs-service',
      name: target.ecsService,
      action: 'create',
      note: `ECS controller, ${strategyOfRouting(routing)}, with the ${options.initialTaskDefinition.family} task definition of the given release`,
    });
    return;
  }

  if (service.controller === 'CODE_DEPLOY') return migrate(ctx, spec, idle, roleArn);

  // The ECS controller already: converge the deployment configuration (it applies from the next deployment on).
  const changes = [
    ...(service.desiredCount !== target.desiredCount
      ? [`desiredCount: ${service.desiredCount} → ${target.desiredCount}`]
      : []),
    ...ecsSettingChanges(service.ecs ?? { pauseStages: [], alarms: [] }, target, routing),
  ];
  const drifted = resourceChanges(service.ecs?.resources ?? {}, resources);
  if (apply && changes.some((c) => !c.startsWith('desiredCount')))
    await infra.updateEcsDeploymentConfiguration({ target, routing });
  if (apply && service.desiredCount !== target.desiredCount)
    await infra.updateDesiredCount(target.cluster, target.ecsService, target.desiredCount);
  step({
    resource: 'ecs-service',
    name: target.ecsService,
    action: drifted.length ? 'missing' : changes.length ? 'update' : 'unchanged',
    changes,
    ...(drifted.length
      ? {
          note: `its load balancer configuration differs (${drifted.join('; ')}); ECS changes that only with a new deployment, so bootstrap leaves it: fix it with UpdateService`,
        }
      : {}),
  });
}

/** The target group production traffic is on now (the production listener's default action), and the other. */
async function liveAndIdle(ctx: EcsBootstrapContext): Promise<[TargetGroupView, TargetGroupView]> {
  const { blue, green } = ctx;
  if (ctx.listeners.production.startsWith('arn:pending:')) return [blue, green];
  const rules = await ctx.infra.describeListenerRules(ctx.listeners.production);
  const top = rules.find((r) => r.isDefault)?.forward.reduce((a, b) => (b.weight > a.weight ? b : a));
  return top?.targetGroupArn === green.arn ? [green, blue] : [blue, green];
}

/** One listener's rule that forwards to both target groups: found, or created at the first free priority. */
async function ensureRule(
  ctx: EcsBootstrapContext,
  role: 'production' | 'test',
  listenerArn: string,
  live: TargetGroupView,
  idle: TargetGroupView,
): Promise<string> {
  const name = `${ctx.target.loadBalancer}:${role === 'production' ? ctx.target.productionListenerPort : ctx.target.testListenerPort} (${role} rule)`;
  const rules: ListenerRuleView[] = listenerArn.startsWith('arn:pending:')
    ? []
    : await ctx.infra.describeListenerRules(listenerArn);
  const ours = new Set([ctx.blue.arn, ctx.green.arn]);
  const found = rules.find(
    (r) => !r.isDefault && r.forward.length === 2 && r.forward.every((f) => ours.has(f.targetGroupArn)),
  );
  if (found) {
    ctx.step({ resource: 'listener-rule', name, action: 'unchanged' });
    return found.arn;
  }
  const taken = new Set(rules.filter((r) => !r.isDefault).map((r) => Number(r.priority)));
  let priority = 1;
  while (taken.has(priority)) priority++;
  // All traffic where production traffic is now; ECS moves the weights, and the test rule's, at each deployment.
  const forward = [
    { targetGroupArn: live.arn, weight: 100 },
    { targetGroupArn: idle.arn, weight: 0 },
  ];
  const arn = ctx.options.dryRun
    ? pending(name)
    : (await ctx.infra.createListenerRule(listenerArn, priority, forward)).arn;
  ctx.step({
    resource: 'listener-rule',
    name,
    action: 'create',
    note: `priority ${priority}, every path, ${live.name} 100 / ${idle.name} 0`,
  });
  return arn;
}

/** The differences between the service's load balancer resources and the wanted ones (pure). */
function resourceChanges(found: Partial<EcsTrafficResources>, wanted: EcsTrafficResources): string[] {
  // Which target group is primary alternates with every deployment; the pair is what must match.
  const pair = (r: Partial<EcsTrafficResources>) => [r.targetGroupArn, r.alternateTargetGroupArn].sort().join(' + ');
  const out: string[] = [];
  if (pair(found) !== pair(wanted)) out.push(`target groups: ${pair(found)} → ${pair(wanted)}`);
  for (const key of ['productionListenerRuleArn', 'testListenerRuleArn', 'roleArn'] as const)
    if (found[key] !== wanted[key] && !wanted[key].startsWith('arn:pending:'))
      out.push(`${key}: ${found[key] ?? 'none'} → ${wanted[key]}`);
  return out;
}

/**
 * A CODE_DEPLOY service and a config that says `ecs`: AWS documents an in-place migration (UpdateService
 * with the ECS controller, the strategy and the advanced load balancer configuration, reusing the target
 * groups and listeners, with no deployment in flight). Bootstrap says exactly that, and does it only with
 * `migrateController` (`shipgate bootstrap --migrate-controller`).
 */
async function migrate(
  ctx: EcsBootstrapContext,
  spec: { target: ServiceTarget; resources: EcsTrafficResources; routing: TrafficRouting },
  idle: TargetGroupView,
  roleArn: string | undefined,
): Promise<void> {
  const { target, infra, options, step } = ctx;
  const changes = [
    'deploymentController: CODE_DEPLOY → ECS',
    `strategy: → ${strategyOfRouting(spec.routing)}, PAUSE hooks at POST_TEST_TRAFFIC_SHIFT and POST_PRODUCTION_TRAFFIC_SHIFT`,
    `alternate target group ${idle.name}, production and test listener rules, infrastructure role`,
  ];
  const what = 'in place with UpdateService (the tasks keep running; the next deploy is the first ECS-native one)';
  if (!options.migrateController) {
    step({
      resource: 'ecs-service',
      name: target.ecsService,
      action: 'migrate',
      changes,
      note: `runs with the CODE_DEPLOY controller; shipgate.yaml says ecs. Re-run with --migrate-controller to move it ${what}; nothing is recreated`,
    });
    return;
  }
  const busy = await infra.activeCodeDeployDeployment(target.codeDeployApplication, target.deploymentGroup);
  if (busy || !roleArn) {
    step({
      resource: 'ecs-service',
      name: target.ecsService,
      action: 'missing',
      changes,
      note: busy
        ? `CodeDeploy deployment ${busy} is in flight; AWS requires none during the migration: wait for it, then re-run`
        : 'the migration needs the infrastructure role (see above)',
    });
    return;
  }
  if (!options.dryRun) await infra.migrateServiceToEcs(spec);
  step({
    resource: 'ecs-service',
    name: target.ecsService,
    action: 'update',
    changes,
    note: `${options.dryRun ? 'would move it' : 'moved'} ${what}`,
  });
  if (await infra.describeDeploymentGroup(target.codeDeployApplication, target.deploymentGroup))
    step({
      resource: 'deployment-group',
      name: `${target.codeDeployApplication}/${target.deploymentGroup}`,
      action: 'unchanged',
      note: 'no longer used by shipgate: delete it (and the CodeDeploy application) once the migration is confirmed',
    });
}
