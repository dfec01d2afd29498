import { parseDuration, type ServiceTarget } from '@shipgate/model';
import type { DeploymentGroupSpec, InfraPort, NetworkSettings, TargetGroupSpec, TargetGroupView } from './infra-port';
import { bootstrapEcsNative } from './bootstrap-ecs-native';
import type { TaskDefinitionInput, TaskDefinitionPort } from './ports';

/** What bootstrap did (or, in a dry run, would do) to one resource. */
export interface BootstrapStep {
  resource:
    | 'cluster'
    | 'load-balancer'
    | 'target-group'
    | 'listener'
    | 'listener-rule'
    | 'infrastructure-role'
    | 'ecs-service'
    | 'codedeploy-application'
    | 'deployment-group'
    | 'alarm';
  name: string;
  /** `migrate`: the service would move to another deployment controller, which bootstrap does only when asked. */
  action: 'create' | 'update' | 'unchanged' | 'missing' | 'migrate';
  /** For updates: each setting that differs, `name: found → wanted`. */
  changes: string[];
  /** The same differences as values (drift reports them). */
  differences?: SettingDifference[];
  note?: string;
}

/** The whole bootstrap result. */
export interface BootstrapReport {
  dryRun: boolean;
  steps: BootstrapStep[];
  /** False when something could not be created (see the `missing` steps' notes) or a migration waits to be asked for. */
  complete: boolean;
}

/** Options of bootstrap. */
export interface BootstrapOptions {
  dryRun: boolean;
  /** True on local-cloud: bootstrap may create the configured alarms there. */
  local: boolean;
  /** The first task definition of the ECS service (CreateService requires one): the template rendered for `--release`. */
  initialTaskDefinition?: TaskDefinitionInput;
  /** CodeDeploy's service role; defaults to the config's, and to a placeholder role on local-cloud. */
  serviceRoleArn?: string;
  /** The role ECS-native blue/green shifts listener rules with; defaults to the config's, and to a placeholder on local-cloud. */
  infrastructureRoleArn?: string;
  /** Move a CODE_DEPLOY service to the ECS controller in place when the config says `ecs` (never done unasked). */
  migrateController?: boolean;
  network?: NetworkSettings;
}

/** The VPC local-cloud's target groups are put in (it checks that one is named, as AWS does). */
export const localVpcId = 'vpc-0000000000000000a';

/** The role local-cloud accepts (it checks the ARN's shape, as AWS does, but no IAM). */
export const localCodeDeployRole = 'arn:aws:iam::000000000000:role/shipgate-local-codedeploy';

const seconds = (text: string) => Math.max(1, Math.round(parseDuration(text) / 1000));
const minutesUp = (text: string, min: number) => Math.max(min, Math.ceil(parseDuration(text) / 60_000));

/** The target groups the config asks for: blue and green, same health check and deregistration delay. */
export function desiredTargetGroups(target: ServiceTarget): [TargetGroupSpec, TargetGroupSpec] {
  const hc = target.deploy.healthCheck;
  const spec = (name: string): TargetGroupSpec => ({
    name,
    port: target.containerPort,
    healthCheckPath: target.healthCheckPath,
    healthCheckIntervalSeconds: seconds(hc.interval),
    healthCheckTimeoutSeconds: seconds(hc.timeout),
    healthyThreshold: hc.healthyThreshold,
    unhealthyThreshold: hc.unhealthyThreshold,
    deregistrationDelaySeconds: Math.round(parseDuration(target.deploy.deregistrationDelay) / 1000),
  });
  return [spec(target.targetGroups[0]), spec(target.targetGroups[1])];
}

/** The deployment group the config asks for: STOP_DEPLOYMENT so shipgate verifies before traffic moves. */
export function desiredDeploymentGroup(
  target: ServiceTarget,
  serviceRoleArn: string,
  listeners: { production: string; test: string },
): DeploymentGroupSpec {
  return {
    application: target.codeDeployApplication,
    deploymentGroup: target.deploymentGroup,
    serviceRoleArn,
    deploymentConfig: target.deploy.deploymentConfig,
    cluster: target.cluster,
    service: target.ecsService,
    targetGroups: target.targetGroups,
    productionListenerArn: listeners.production,
    testListenerArn: listeners.test,
    readyAction: 'STOP_DEPLOYMENT',
    readyWaitMinutes: minutesUp(target.deploy.readinessWait, 1),
    terminationWaitMinutes: minutesUp(target.deploy.terminationWait, 0),
    autoRollbackEvents: ['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM'],
    alarms: target.deploy.alarms,
  };
}

/** One setting whose live value differs from the declared one. */
export interface SettingDifference {
  setting: string;
  found: string;
  wanted: string;
}

/** The settings that differ, found (live) and wanted (declared) (pure). */
export function settingDifferences<T extends object>(found: T, wanted: T, keys: (keyof T)[]): SettingDifference[] {
  const show = (v: unknown) => (Array.isArray(v) ? `[${v.join(', ')}]` : String(v));
  return keys
    .filter((k) => show(found[k]) !== show(wanted[k]))
    .map((k) => ({ setting: String(k), found: show(found[k]), wanted: show(wanted[k]) }));
}

/** The settings that differ, as `name: found → wanted` (pure). */
export function settingChanges<T extends object>(found: T, wanted: T, keys: (keyof T)[]): string[] {
  return settingDifferences(found, wanted, keys).map((d) => `${d.setting}: ${d.found} → ${d.wanted}`);
}

const tgKeys: (keyof TargetGroupSpec)[] = [
  'healthCheckPath',
  'healthCheckIntervalSeconds',
  'healthCheckTimeoutSeconds',
  'healthyThreshold',
  'unhealthyThreshold',
  'deregistrationDelaySeconds',
];
const groupKeys: (keyof DeploymentGroupSpec)[] = [
  'deploymentConfig',
  'readyAction',
  'readyWaitMinutes',
  'terminationWaitMinutes',
  'autoRollbackEvents',
  'alarms',
  'productionListenerArn',
  'testListenerArn',
  'targetGroups',
];

/**
 * Brings one service's environment to what the config says, idempotently: describes first, creates
 * what is missing, converges settings that drifted, leaves the rest alone. A dry run only describes.
 */
export async function bootstrapEnvironment(
  target: ServiceTarget,
  infra: InfraPort,
  taskDefinitions: TaskDefinitionPort,
  options: BootstrapOptions,
): Promise<BootstrapReport> {
  const steps: BootstrapStep[] = [];
  const apply = !options.dryRun;
  const network = { ...(options.local ? { vpcId: localVpcId } : {}), ...options.network };
  const step = (s: Omit<BootstrapStep, 'changes'> & { changes?: string[] }) => steps.push({ changes: [], ...s });
  const pending = (what: string) => `arn:pending:${what}`;

  // Cluster
  if (await infra.clusterExists(target.cluster))
    step({ resource: 'cluster', name: target.cluster, action: 'unchanged' });
  else {
    if (apply) await infra.createCluster(target.cluster);
    step({ resource: 'cluster', name: target.cluster, action: 'create' });
  }

  // Target groups (before the load balancer's listeners, which forward to blue)
  const groups: TargetGroupView[] = [];
  for (const spec of desiredTargetGroups(target)) {
    const found = await infra.describeTargetGroup(spec.name);
    if (!found && !network.vpcId) {
      groups.push({ ...spec, arn: pending(spec.name) });
      step({
        resource: 'target-group',
        name: spec.name,
        action: 'missing',
        note: 'a target group needs the VPC of the service: pass the network settings (VPC, subnets, security groups)',
      });
      continue;
    }
    if (!found) {
      groups.push(apply ? await infra.createTargetGroup(spec, network) : { ...spec, arn: pending(spec.name) });
      step({ resource: 'target-group', name: spec.name, action: 'create' });
      continue;
    }
    const differences = settingDifferences(found, spec, tgKeys);
    const changes = settingChanges(found, spec, tgKeys);
    if (changes.length && apply) await infra.updateTargetGroup(found.arn, spec);
    groups.push(found);
    step({
      resource: 'target-group',
      name: spec.name,
      action: changes.length ? 'update' : 'unchanged',
      changes,
      ...(differences.length ? { differences } : {}),
    });
  }
  const [blue, green] = groups as [TargetGroupView, TargetGroupView];
  // Everything after needs the target groups; stop here rather than half-create.
  if (steps.some((s) => s.action === 'missing')) return { dryRun: options.dryRun, steps, complete: false };

  // Load balancer and its two listeners
  let lb = await infra.describeLoadBalancer(target.loadBalancer);
  if (lb) step({ resource: 'load-balancer', name: target.loadBalancer, action: 'unchanged' });
  else {
    lb = apply
      ? await infra.createLoadBalancer(target.loadBalancer, network)
      : { arn: pending(target.loadBalancer), dnsName: '' };
    step({ resource: 'load-balancer', name: target.loadBalancer, action: 'create' });
  }
  const existing = lb.arn.startsWith('arn:pending:') ? [] : await infra.describeListeners(lb.arn);
  const listenerArns: Record<'production' | 'test', string> = { production: '', test: '' };
  for (const [role, port] of [
    ['production', target.productionListenerPort],
    ['test', target.testListenerPort],
  ] as const) {
    const found = existing.find((l) => l.port === port);
    const name = `${target.loadBalancer}:${port} (${role})`;
    if (found) {
      listenerArns[role] = found.arn;
      step({ resource: 'listener', name, action: 'unchanged' });
    } else {
      // Production starts on blue; the test listener on green, so that both target groups belong to the
      // load balancer (a target group no listener uses is never health-checked: Target.NotInUse).
      listenerArns[role] = apply
        ? (await infra.createListener(lb.arn, port, role === 'production' ? blue.arn : green.arn)).arn
        : pending(name);
      step({ resource: 'listener', name, action: 'create' });
    }
  }

  const done = (): BootstrapReport => ({
    dryRun: options.dryRun,
    steps,
    complete: steps.every((s) => s.action !== 'missing' && s.action !== 'migrate'),
  });
  if (target.deploy.controller === 'ecs') {
    // Alarms first: the service's deployment configuration names them.
    await ensureAlarms(target, infra, options, lb.arn, step);
    await bootstrapEcsNative({
      target,
      infra,
      taskDefinitions,
      options,
      network,
      blue,
      green,
      listeners: listenerArns,
      step,
    });
    return done();
  }

  // ECS service (CODE_DEPLOY controller): CreateService needs a first task definition.
  const service = await infra.describeService(target.cluster, target.ecsService);
  let serviceReady = Boolean(service);
  if (service) {
    const counts = [{ desiredCount: service.desiredCount }, { desiredCount: target.desiredCount }] as const;
    const changes = settingChanges(counts[0], counts[1], ['desiredCount']);
    const differences = settingDifferences(counts[0], counts[1], ['desiredCount']);
    if (service.controller && service.controller !== 'CODE_DEPLOY') {
      step({
        resource: 'ecs-service',
        name: target.ecsService,
        action: 'missing',
        note: `the service exists with the ${service.controller} deployment controller and shipgate.yaml says codedeploy; shipgate moves services from CodeDeploy to ECS-native, not back: set environments.${target.environment}.deploy.controller: ecs`,
      });
      serviceReady = false;
    } else {
      if (changes.length && apply)
        await infra.updateDesiredCount(target.cluster, target.ecsService, target.desiredCount);
      step({
        resource: 'ecs-service',
        name: target.ecsService,
        action: changes.length ? 'update' : 'unchanged',
        changes,
        ...(differences.length ? { differences } : {}),
      });
    }
  } else if (!options.initialTaskDefinition) {
    step({
      resource: 'ecs-service',
      name: target.ecsService,
      action: 'missing',
      note: `CreateService needs a first task definition: run \`shipgate bootstrap ${target.environment} --service ${target.service} --release <release id>\``,
    });
  } else {
    if (apply) {
      const registered = await taskDefinitions.register(options.initialTaskDefinition);
      await infra.createService(
        {
          cluster: target.cluster,
          service: target.ecsService,
          taskDefinitionArn: registered.arn,
          desiredCount: target.desiredCount,
          targetGroupArn: blue.arn,
          containerName: target.containerName,
          containerPort: target.containerPort,
        },
        network,
      );
    }
    serviceReady = true;
    step({
      resource: 'ecs-service',
      name: target.ecsService,
      action: 'create',
      note: `with the ${options.initialTaskDefinition.family} task definition of the given release`,
    });
  }

  // CodeDeploy application and deployment group
  if (await infra.applicationExists(target.codeDeployApplication))
    step({ resource: 'codedeploy-application', name: target.codeDeployApplication, action: 'unchanged' });
  else {
    if (apply) await infra.createApplication(target.codeDeployApplication);
    step({ resource: 'codedeploy-application', name: target.codeDeployApplication, action: 'create' });
  }
  // Alarms must exist before a deployment group can name them.
  await ensureAlarms(target, infra, options, lb.arn, step);
  const role =
    options.serviceRoleArn ?? target.codeDeployServiceRoleArn ?? (options.local ? localCodeDeployRole : undefined);
  const groupName = `${target.codeDeployApplication}/${target.deploymentGroup}`;
  const foundGroup = await infra.describeDeploymentGroup(target.codeDeployApplication, target.deploymentGroup);
  const wanted = desiredDeploymentGroup(target, role ?? foundGroup?.serviceRoleArn ?? '', listenerArns);
  if (foundGroup) {
    const changes = settingChanges(foundGroup, wanted, groupKeys);
    const differences = settingDifferences(foundGroup, wanted, groupKeys);
    if (changes.length && apply) await infra.updateDeploymentGroup(wanted);
    step({
      resource: 'deployment-group',
      name: groupName,
      action: changes.length ? 'update' : 'unchanged',
      changes,
      ...(differences.length ? { differences } : {}),
    });
  } else if (!wanted.serviceRoleArn) {
    step({
      resource: 'deployment-group',
      name: groupName,
      action: 'missing',
      note: `CodeDeploy needs a service role: set environments.${target.environment}.aws.codeDeployServiceRoleArn`,
    });
  } else if (!serviceReady) {
    step({
      resource: 'deployment-group',
      name: groupName,
      action: 'missing',
      note: 'it needs the ECS service (see above)',
    });
  } else {
    if (apply) await infra.createDeploymentGroup(wanted);
    step({
      resource: 'deployment-group',
      name: groupName,
      action: 'create',
      note: `${wanted.deploymentConfig}, verify for up to ${wanted.readyWaitMinutes} min, keep the original ${wanted.terminationWaitMinutes} min`,
    });
  }
  return done();
}

async function ensureAlarms(
  target: ServiceTarget,
  infra: InfraPort,
  options: BootstrapOptions,
  lbArn: string,
  step: (s: Omit<BootstrapStep, 'changes'>) => void,
): Promise<void> {
  if (target.deploy.alarms.length === 0) return;
  const present = new Set(await infra.existingAlarms(target.deploy.alarms));
  for (const name of target.deploy.alarms) {
    if (present.has(name)) step({ resource: 'alarm', name, action: 'unchanged' });
    else if (options.local) {
      if (!options.dryRun) await infra.createAlarm(name, lbArn);
      step({ resource: 'alarm', name, action: 'create', note: '5xx count of the load balancer (local-cloud)' });
    } else
      step({
        resource: 'alarm',
        name,
        action: 'missing',
        note: 'create this CloudWatch alarm in the account; shipgate does not own production alarms',
      });
  }
}
