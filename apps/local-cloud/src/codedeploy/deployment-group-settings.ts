import { AwsError } from '../contract';
import type { EcsControl, ElbControl } from '../contract';
import type { DeploymentConfig } from './deployment-configs';
import type { AutoRollbackEvent, DeploymentGroupRecord, DeploymentGroupSettings } from './model';
import type { WireObject } from './wire';
import { compact, epochSeconds, optBool, optList, optNumber, optObject, optString } from './wire';

/** What validating a deployment group needs to look up. */
export interface GroupValidationContext {
  ecs: EcsControl;
  elb: ElbControl;
  findConfig(name: string): DeploymentConfig | undefined;
  /** The group (app/name) that already maps this ECS service, if any. */
  groupUsingService(clusterName: string, serviceName: string): string | undefined;
}

const ROLLBACK_EVENTS: readonly AutoRollbackEvent[] = [
  'DEPLOYMENT_FAILURE',
  'DEPLOYMENT_STOP_ON_ALARM',
  'DEPLOYMENT_STOP_ON_REQUEST',
];
const MAX_WAIT_MINUTES = 2880;

/** Reads `autoRollbackConfiguration` (also used by CreateDeployment's override). */
export function parseAutoRollback(
  input: WireObject | undefined,
  current?: DeploymentGroupSettings['autoRollback'],
): DeploymentGroupSettings['autoRollback'] {
  if (input === undefined) return current ?? { enabled: false, events: [] };
  const enabled = optBool(input, 'enabled') ?? false;
  const rawEvents = optList(input, 'events', 'InvalidAutoRollbackConfigException') ?? [];
  const events: AutoRollbackEvent[] = [];
  for (const e of rawEvents) {
    if (!ROLLBACK_EVENTS.includes(e as AutoRollbackEvent))
      throw new AwsError(
        'InvalidAutoRollbackConfigException',
        `The automatic rollback event ${JSON.stringify(e)} is invalid; expected one of ${ROLLBACK_EVENTS.join(', ')}.`,
      );
    if (!events.includes(e as AutoRollbackEvent)) events.push(e as AutoRollbackEvent);
  }
  if (enabled && events.length === 0)
    throw new AwsError(
      'InvalidAutoRollbackConfigException',
      'Automatic rollback is enabled but no events are specified; name at least one of DEPLOYMENT_FAILURE, DEPLOYMENT_STOP_ON_ALARM, DEPLOYMENT_STOP_ON_REQUEST.',
    );
  return { enabled, events };
}

/** Reads `alarmConfiguration` (also used by CreateDeployment's `overrideAlarmConfiguration`). */
export function parseAlarms(
  input: WireObject | undefined,
  current?: DeploymentGroupSettings['alarms'],
): DeploymentGroupSettings['alarms'] {
  if (input === undefined) return current ?? { enabled: false, names: [], ignorePollAlarmFailure: false };
  const enabled = optBool(input, 'enabled') ?? false;
  const ignorePollAlarmFailure = optBool(input, 'ignorePollAlarmFailure') ?? false;
  const names: string[] = [];
  for (const alarm of optList(input, 'alarms', 'InvalidAlarmConfigException') ?? []) {
    const name = alarm !== null && typeof alarm === 'object' ? (alarm as WireObject)['name'] : undefined;
    if (typeof name !== 'string' || name === '')
      throw new AwsError('InvalidAlarmConfigException', 'Each alarm in the alarm configuration needs a name.');
    if (!names.includes(name)) names.push(name);
  }
  if (names.length > 10)
    throw new AwsError(
      'AlarmsLimitExceededException',
      `The maximum number of alarms for a deployment group (10) was exceeded: ${names.length} alarms.`,
    );
  if (enabled && names.length === 0)
    throw new AwsError('InvalidAlarmConfigException', 'The alarm configuration is enabled but names no alarm.');
  return { enabled, names, ignorePollAlarmFailure };
}

function minutes(value: number | undefined, what: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > MAX_WAIT_MINUTES) {
    throw new AwsError(
      'InvalidBlueGreenDeploymentConfigurationException',
      `${what} must be a whole number of minutes from 0 to ${MAX_WAIT_MINUTES}; found ${value}.`,
    );
  }
  return value;
}

function parseBlueGreen(
  input: WireObject | undefined,
  current?: DeploymentGroupSettings,
): Pick<DeploymentGroupSettings, 'readyOption' | 'termination'> {
  if (input === undefined) {
    if (current) return { readyOption: current.readyOption, termination: current.termination };
    throw new AwsError(
      'InvalidBlueGreenDeploymentConfigurationException',
      'An ECS deployment group requires blueGreenDeploymentConfiguration (deploymentReadyOption and terminateBlueInstancesOnDeploymentSuccess).',
    );
  }
  const ready = optObject(input, 'deploymentReadyOption', 'InvalidBlueGreenDeploymentConfigurationException');
  const action = ready ? (optString(ready, 'actionOnTimeout') ?? 'CONTINUE_DEPLOYMENT') : 'CONTINUE_DEPLOYMENT';
  if (action !== 'CONTINUE_DEPLOYMENT' && action !== 'STOP_DEPLOYMENT')
    throw new AwsError(
      'InvalidBlueGreenDeploymentConfigurationException',
      `deploymentReadyOption.actionOnTimeout must be CONTINUE_DEPLOYMENT or STOP_DEPLOYMENT; found ${action}.`,
    );
  const waitTimeInMinutes = minutes(
    ready ? optNumber(ready, 'waitTimeInMinutes') : undefined,
    'deploymentReadyOption.waitTimeInMinutes',
    0,
  );
  const term = optObject(
    input,
    'terminateBlueInstancesOnDeploymentSuccess',
    'InvalidBlueGreenDeploymentConfigurationException',
  );
  const termAction = term ? (optString(term, 'action') ?? 'TERMINATE') : 'TERMINATE';
  if (termAction !== 'TERMINATE')
    throw new AwsError(
      'InvalidBlueGreenDeploymentConfigurationException',
      `For ECS, terminateBlueInstancesOnDeploymentSuccess.action must be TERMINATE; found ${termAction}.`,
    );
  const terminationWaitTimeInMinutes = minutes(
    term ? optNumber(term, 'terminationWaitTimeInMinutes') : undefined,
    'terminateBlueInstancesOnDeploymentSuccess.terminationWaitTimeInMinutes',
    0,
  );
  if (input['greenFleetProvisioningOption'] !== undefined)
    throw new AwsError(
      'InvalidBlueGreenDeploymentConfigurationException',
      'greenFleetProvisioningOption is not valid for the ECS compute platform.',
    );
  return {
    readyOption: { actionOnTimeout: action, waitTimeInMinutes },
    termination: { action: 'TERMINATE', terminationWaitTimeInMinutes },
  };
}

function parseStyle(input: WireObject | undefined, required: boolean): void {
  if (input === undefined) {
    if (required)
      throw new AwsError(
        'InvalidDeploymentStyleException',
        'An ECS deployment group requires deploymentStyle {deploymentType: BLUE_GREEN, deploymentOption: WITH_TRAFFIC_CONTROL}.',
      );
    return;
  }
  const type = optString(input, 'deploymentType');
  const option = optString(input, 'deploymentOption');
  if (type !== 'BLUE_GREEN' || option !== 'WITH_TRAFFIC_CONTROL') {
    throw new AwsError(
      'InvalidDeploymentStyleException',
      `For the ECS compute platform the deployment style must be BLUE_GREEN with WITH_TRAFFIC_CONTROL; found ${type ?? '(none)'} with ${option ?? '(none)'}.`,
    );
  }
}

function parseEcsService(
  list: unknown[] | undefined,
  ctx: GroupValidationContext,
  self: string,
  current?: DeploymentGroupSettings,
): DeploymentGroupSettings['ecsService'] {
  if (list === undefined) {
    if (current) return current.ecsService;
    throw new AwsError(
      'InvalidECSServiceException',
      'An ECS deployment group requires ecsServices with one {clusterName, serviceName}.',
    );
  }
  if (list.length !== 1)
    throw new AwsError(
      'ECSServiceMappingLimitExceededException',
      `A deployment group maps exactly one ECS service; found ${list.length}.`,
    );
  const entry = (list[0] ?? {}) as WireObject;
  const clusterName = optString(entry, 'clusterName');
  const serviceName = optString(entry, 'serviceName');
  if (clusterName === undefined || serviceName === undefined)
    throw new AwsError('InvalidECSServiceException', 'ecsServices[0] requires clusterName and serviceName.');
  const service = ctx.ecs.getService(clusterName, serviceName);
  if (!service)
    throw new AwsError(
      'InvalidECSServiceException',
      `The ECS service ${serviceName} in cluster ${clusterName} does not exist.`,
    );
  if (service.deploymentController !== 'CODE_DEPLOY') {
    throw new AwsError(
      'InvalidECSServiceException',
      `Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller; ${clusterName}/${serviceName} uses ${service.deploymentController}.`,
    );
  }
  const owner = ctx.groupUsingService(clusterName, serviceName);
  if (owner !== undefined && owner !== self)
    throw new AwsError(
      'ECSServiceMappingLimitExceededException',
      `The ECS service ${clusterName}/${serviceName} is already associated with deployment group ${owner}.`,
    );
  return { clusterName, serviceName };
}

function listenerArns(route: unknown, what: string, ctx: GroupValidationContext, required: boolean): string[] {
  const arns = route !== null && typeof route === 'object' ? (route as WireObject)['listenerArns'] : undefined;
  if (arns === undefined) {
    if (required) throw new AwsError('InvalidLoadBalancerInfoException', `${what}.listenerArns is required.`);
    return [];
  }
  if (!Array.isArray(arns) || arns.length !== 1 || typeof arns[0] !== 'string')
    throw new AwsError('InvalidLoadBalancerInfoException', `${what}.listenerArns must hold exactly one listener ARN.`);
  if (!ctx.elb.getListener(arns[0]))
    throw new AwsError('InvalidLoadBalancerInfoException', `The listener ${arns[0]} in ${what} does not exist.`);
  return [arns[0]];
}

function parseLoadBalancerInfo(
  input: WireObject | undefined,
  ctx: GroupValidationContext,
  current?: DeploymentGroupSettings,
): Pick<DeploymentGroupSettings, 'targetGroups' | 'prodListenerArns' | 'testListenerArns'> {
  if (input === undefined) {
    if (current)
      return {
        targetGroups: current.targetGroups,
        prodListenerArns: current.prodListenerArns,
        testListenerArns: current.testListenerArns,
      };
    throw new AwsError(
      'InvalidLoadBalancerInfoException',
      'An ECS deployment group requires loadBalancerInfo.targetGroupPairInfoList.',
    );
  }
  const pairs = optList(input, 'targetGroupPairInfoList', 'InvalidLoadBalancerInfoException');
  if (!pairs || pairs.length !== 1)
    throw new AwsError(
      'InvalidLoadBalancerInfoException',
      `loadBalancerInfo.targetGroupPairInfoList must hold exactly one target group pair; found ${pairs?.length ?? 0}.`,
    );
  const pair = (pairs[0] ?? {}) as WireObject;
  const tgs = optList(pair, 'targetGroups', 'InvalidTargetGroupPairException') ?? [];
  const names = tgs.map((tg) => (tg !== null && typeof tg === 'object' ? (tg as WireObject)['name'] : undefined));
  if (names.length !== 2 || names.some((n) => typeof n !== 'string' || n === ''))
    throw new AwsError(
      'InvalidTargetGroupPairException',
      `A target group pair must name exactly two target groups; found ${names.length}.`,
    );
  const [a, b] = names as [string, string];
  if (a === b)
    throw new AwsError(
      'InvalidTargetGroupPairException',
      `The two target groups of the pair must differ; both are ${a}.`,
    );
  for (const name of [a, b])
    if (!ctx.elb.findTargetGroupByName(name))
      throw new AwsError('InvalidTargetGroupPairException', `The target group ${name} does not exist.`);
  return {
    targetGroups: [a, b],
    prodListenerArns: listenerArns(pair['prodTrafficRoute'], 'prodTrafficRoute', ctx, true),
    testListenerArns: listenerArns(pair['testTrafficRoute'], 'testTrafficRoute', ctx, false),
  };
}

function parseConfigName(input: WireObject, ctx: GroupValidationContext, current?: DeploymentGroupSettings): string {
  const name =
    optString(input, 'deploymentConfigName') ?? current?.deploymentConfigName ?? 'CodeDeployDefault.ECSAllAtOnce';
  const config = ctx.findConfig(name);
  if (!config)
    throw new AwsError('DeploymentConfigDoesNotExistException', `No deployment configuration found for name: ${name}`);
  if (config.computePlatform !== 'ECS')
    throw new AwsError(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration ${name} is for the ${config.computePlatform} compute platform, not ECS.`,
    );
  return name;
}

/** Validates Create/UpdateDeploymentGroup input as AWS does; with `current`, absent members keep their value. */
export function parseGroupSettings(
  input: WireObject,
  ctx: GroupValidationContext,
  self: string,
  current?: DeploymentGroupSettings,
): DeploymentGroupSettings {
  const serviceRoleArn = optString(input, 'serviceRoleArn') ?? current?.serviceRoleArn;
  if (serviceRoleArn === undefined) throw new AwsError('RoleRequiredException', 'Role ARN is required.');
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(serviceRoleArn))
    throw new AwsError(
      'InvalidRoleException',
      `The service role ARN ${serviceRoleArn} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>).`,
    );
  for (const key of [
    'ec2TagFilters',
    'onPremisesInstanceTagFilters',
    'autoScalingGroups',
    'ec2TagSet',
    'onPremisesTagSet',
  ]) {
    const value = input[key];
    if (value !== undefined && !(Array.isArray(value) && value.length === 0))
      throw new AwsError('InvalidInputException', `${key} is not valid for an ECS deployment group.`);
  }
  parseStyle(optObject(input, 'deploymentStyle', 'InvalidDeploymentStyleException'), current === undefined);
  return {
    deploymentConfigName: parseConfigName(input, ctx, current),
    serviceRoleArn,
    ecsService: parseEcsService(optList(input, 'ecsServices', 'InvalidECSServiceException'), ctx, self, current),
    ...parseLoadBalancerInfo(optObject(input, 'loadBalancerInfo', 'InvalidLoadBalancerInfoException'), ctx, current),
    ...parseBlueGreen(
      optObject(input, 'blueGreenDeploymentConfiguration', 'InvalidBlueGreenDeploymentConfigurationException'),
      current,
    ),
    autoRollback: parseAutoRollback(
      optObject(input, 'autoRollbackConfiguration', 'InvalidAutoRollbackConfigException'),
      current?.autoRollback,
    ),
    alarms: parseAlarms(optObject(input, 'alarmConfiguration', 'InvalidAlarmConfigException'), current?.alarms),
  };
}

/** The wire form of a group's blue/green settings (shared by DeploymentGroupInfo and DeploymentInfo). */
export function renderGroupSettings(s: DeploymentGroupSettings): WireObject {
  return {
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      terminateBlueInstancesOnDeploymentSuccess: {
        action: s.termination.action,
        terminationWaitTimeInMinutes: s.termination.terminationWaitTimeInMinutes,
      },
      deploymentReadyOption: {
        actionOnTimeout: s.readyOption.actionOnTimeout,
        waitTimeInMinutes: s.readyOption.waitTimeInMinutes,
      },
    },
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        compact({
          targetGroups: s.targetGroups.map((name) => ({ name })),
          prodTrafficRoute: { listenerArns: s.prodListenerArns },
          testTrafficRoute: s.testListenerArns.length > 0 ? { listenerArns: s.testListenerArns } : undefined,
        }),
      ],
    },
  };
}

/** The wire form (`DeploymentGroupInfo`). */
export function renderDeploymentGroup(g: DeploymentGroupRecord): WireObject {
  const last = (d: DeploymentGroupRecord['lastSuccessful']) =>
    d &&
    compact({
      deploymentId: d.deploymentId,
      status: d.status,
      endTime: epochSeconds(d.endTime),
      createTime: epochSeconds(d.createTime),
    });
  return compact({
    applicationName: g.applicationName,
    deploymentGroupId: g.deploymentGroupId,
    deploymentGroupName: g.deploymentGroupName,
    deploymentConfigName: g.deploymentConfigName,
    ec2TagFilters: [],
    onPremisesInstanceTagFilters: [],
    autoScalingGroups: [],
    serviceRoleArn: g.serviceRoleArn,
    targetRevision: g.targetRevision,
    triggerConfigurations: [],
    alarmConfiguration: {
      enabled: g.alarms.enabled,
      ignorePollAlarmFailure: g.alarms.ignorePollAlarmFailure,
      alarms: g.alarms.names.map((name) => ({ name })),
    },
    autoRollbackConfiguration: { enabled: g.autoRollback.enabled, events: g.autoRollback.events },
    ...renderGroupSettings(g),
    outdatedInstancesStrategy: 'UPDATE',
    lastSuccessfulDeployment: last(g.lastSuccessful),
    lastAttemptedDeployment: last(g.lastAttempted),
    computePlatform: 'ECS',
    ecsServices: [{ serviceName: g.ecsService.serviceName, clusterName: g.ecsService.clusterName }],
    terminationHookEnabled: false,
  });
}
