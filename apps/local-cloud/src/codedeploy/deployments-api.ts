import { createHash } from 'node:crypto';
import type { JsonServiceApi } from '../contract';
import { AwsError } from '../contract';
import { parseEcsAppSpec } from './appspec';
import { parseAlarms, parseAutoRollback } from './deployment-group-settings';
import type { DeploymentEngine } from './engine';
import type { EngineContext } from './engine-context';
import type { DeploymentRecord, DeploymentStatus } from './model';
import { isComplete } from './model';
import { renderDeployment, renderEcsTarget } from './render';
import { readApplicationName, requireApplication, requireGroup } from './setup-api';
import { DEPLOYMENT_ID_PATTERN } from './store';
import type { WireObject } from './wire';
import { decodeNextToken, encodeNextToken, optBool, optList, optObject, optString, readEpoch } from './wire';

const STATUSES: readonly DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Succeeded',
  'Failed',
  'Stopped',
  'Ready',
];

/** The deployment, or AWS's error for a missing, malformed or unknown id. */
export function requireDeployment(ctx: EngineContext, input: WireObject): DeploymentRecord {
  const id = optString(input, 'deploymentId');
  if (id === undefined)
    throw new AwsError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
  if (!DEPLOYMENT_ID_PATTERN.test(id))
    throw new AwsError(
      'InvalidDeploymentIdException',
      `The deployment ID ${id} is not in a valid format (d- followed by nine letters or digits).`,
    );
  const rec = ctx.store.deployments.get(id);
  if (!rec) throw new AwsError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
  return rec;
}

function readRevision(input: WireObject): { revision: WireObject; content: string } {
  const revision = optObject(input, 'revision', 'InvalidRevisionException');
  if (!revision) throw new AwsError('RevisionRequiredException', 'The revision ID was not specified.');
  const type = optString(revision, 'revisionType');
  if (type !== 'AppSpecContent') {
    throw new AwsError(
      'InvalidRevisionException',
      `local-cloud deploys ECS revisions given as revisionType AppSpecContent; found ${type ?? '(none)'}.`,
    );
  }
  const spec = optObject(revision, 'appSpecContent', 'InvalidRevisionException');
  const content = spec ? optString(spec, 'content', 'InvalidRevisionException') : undefined;
  if (!spec || content === undefined)
    throw new AwsError(
      'InvalidRevisionException',
      'revision.appSpecContent.content is required for revisionType AppSpecContent.',
    );
  const sha256 = createHash('sha256').update(content).digest('hex');
  const given = optString(spec, 'sha256', 'InvalidRevisionException');
  if (given !== undefined && given.toLowerCase() !== sha256)
    throw new AwsError(
      'InvalidRevisionException',
      `The AppSpec content's SHA-256 is ${sha256}, not the ${given} given in appSpecContent.sha256.`,
    );
  return { revision: { revisionType: 'AppSpecContent', appSpecContent: { content, sha256 } }, content };
}

function createDeployment(ctx: EngineContext, engine: DeploymentEngine, input: WireObject): WireObject {
  const app = requireApplication(ctx, readApplicationName(input));
  const groupName = optString(input, 'deploymentGroupName');
  if (groupName === undefined)
    throw new AwsError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  const group = requireGroup(ctx, app.applicationName, groupName);
  const { revision, content } = readRevision(input);
  const appSpec = parseEcsAppSpec(content);
  const configName = optString(input, 'deploymentConfigName') ?? group.deploymentConfigName;
  const config = ctx.store.configs.get(configName);
  if (!config)
    throw new AwsError(
      'DeploymentConfigDoesNotExistException',
      `No deployment configuration found for name: ${configName}`,
    );
  if (config.computePlatform !== 'ECS')
    throw new AwsError(
      'InvalidDeploymentConfigNameException',
      `The deployment configuration ${configName} is for the ${config.computePlatform} compute platform, not ECS.`,
    );
  if (input['targetInstances'] !== undefined)
    throw new AwsError('InvalidTargetInstancesException', 'targetInstances is not valid for an ECS deployment.');
  const { clusterName, serviceName } = group.ecsService;
  const service = ctx.ecs.getService(clusterName, serviceName);
  if (!service)
    throw new AwsError(
      'InvalidECSServiceException',
      `The ECS service ${serviceName} in cluster ${clusterName} does not exist.`,
    );
  if (service.deploymentController !== 'CODE_DEPLOY')
    throw new AwsError(
      'InvalidECSServiceException',
      `Deployment group's ECS service must be configured for a CODE_DEPLOY deployment controller.`,
    );
  const settings = {
    ...group,
    autoRollback: parseAutoRollback(
      optObject(input, 'autoRollbackConfiguration', 'InvalidAutoRollbackConfigException'),
      group.autoRollback,
    ),
    alarms: parseAlarms(optObject(input, 'overrideAlarmConfiguration', 'InvalidAlarmConfigException'), group.alarms),
    deploymentConfigName: configName,
  };
  const active = ctx.store.activeDeployment(app.applicationName, group.deploymentGroupName);
  if (active)
    throw new AwsError(
      'DeploymentLimitExceededException',
      `The Deployment Group '${group.deploymentGroupName}' already has an active Deployment '${active.deploymentId}'`,
    );
  const description = optString(input, 'description');
  const rec = ctx.store.addDeployment({
    group,
    settings: {
      deploymentConfigName: settings.deploymentConfigName,
      serviceRoleArn: settings.serviceRoleArn,
      ecsService: settings.ecsService,
      targetGroups: settings.targetGroups,
      prodListenerArns: settings.prodListenerArns,
      testListenerArns: settings.testListenerArns,
      readyOption: settings.readyOption,
      termination: settings.termination,
      autoRollback: settings.autoRollback,
      alarms: settings.alarms,
    },
    config,
    revision,
    appSpec,
    ...(description !== undefined ? { description } : {}),
    creator: 'user',
    serviceArn: service.serviceArn,
    now: ctx.time.now(),
  });
  engine.start(rec);
  return { deploymentId: rec.deploymentId };
}

function listDeployments(ctx: EngineContext, input: WireObject): WireObject {
  const appName = optString(input, 'applicationName');
  const groupName = optString(input, 'deploymentGroupName');
  if (groupName !== undefined && appName === undefined)
    throw new AwsError(
      'ApplicationNameRequiredException',
      'An application name is required when a deployment group name is given.',
    );
  if (appName !== undefined && groupName === undefined)
    throw new AwsError(
      'DeploymentGroupNameRequiredException',
      'A deployment group name is required when an application name is given.',
    );
  if (appName !== undefined && groupName !== undefined)
    requireGroup(ctx, requireApplication(ctx, appName).applicationName, groupName);
  const statuses = (optList(input, 'includeOnlyStatuses', 'InvalidDeploymentStatusException') ?? []).map((s) => {
    if (!STATUSES.includes(s as DeploymentStatus))
      throw new AwsError(
        'InvalidDeploymentStatusException',
        `The deployment status ${JSON.stringify(s)} is invalid; expected one of ${STATUSES.join(', ')}.`,
      );
    return s as DeploymentStatus;
  });
  const range = optObject(input, 'createTimeRange', 'InvalidTimeRangeException');
  const start = range ? readEpoch(range['start']) : undefined;
  const end = range ? readEpoch(range['end']) : undefined;
  if (start && end && start > end)
    throw new AwsError('InvalidTimeRangeException', 'The createTimeRange start is after its end.');
  const externalId = optString(input, 'externalId');
  const matching = [...ctx.store.deployments.values()]
    .filter((d) => appName === undefined || (d.applicationName === appName && d.deploymentGroupName === groupName))
    .filter((d) => statuses.length === 0 || statuses.includes(d.status))
    .filter((d) => (!start || d.createTime >= start) && (!end || d.createTime <= end))
    .filter((d) => externalId === undefined || externalId === d.deploymentId)
    .reverse(); // newest first, as AWS lists them
  const scope = JSON.stringify([appName, groupName, statuses, start?.getTime(), end?.getTime(), externalId]);
  const offset = decodeNextToken(optString(input, 'nextToken'), scope);
  const size = ctx.options.listPageSize;
  const page = matching.slice(offset, offset + size).map((d) => d.deploymentId);
  return {
    deployments: page,
    ...(offset + size < matching.length ? { nextToken: encodeNextToken(offset + size, scope) } : {}),
  };
}

function requireStarted(rec: DeploymentRecord): void {
  if (rec.status === 'Created' || rec.status === 'Queued')
    throw new AwsError('DeploymentNotStartedException', `The deployment ${rec.deploymentId} has not started.`);
}

function requireTargetId(rec: DeploymentRecord, id: unknown): void {
  if (typeof id !== 'string' || id === '')
    throw new AwsError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
  if (id !== rec.target.targetId)
    throw new AwsError(
      'DeploymentTargetDoesNotExistException',
      `The deployment target ${id} does not exist in deployment ${rec.deploymentId}; its target is ${rec.target.targetId}.`,
    );
}

/** Deployments and their targets: create, read, list, stop, continue. */
export function deploymentsApi(ctx: EngineContext, engine: DeploymentEngine): JsonServiceApi {
  return {
    CreateDeployment: (input) => createDeployment(ctx, engine, input),
    GetDeployment: (input) => ({ deploymentInfo: renderDeployment(requireDeployment(ctx, input)) }),
    BatchGetDeployments(input) {
      const ids = optList(input, 'deploymentIds') ?? [];
      if (ids.length === 0)
        throw new AwsError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
      if (ids.length > 25)
        throw new AwsError(
          'BatchLimitExceededException',
          'The maximum number of names or IDs allowed for this request (25) was exceeded.',
        );
      for (const id of ids)
        if (typeof id !== 'string' || !DEPLOYMENT_ID_PATTERN.test(id))
          throw new AwsError(
            'InvalidDeploymentIdException',
            `The deployment ID ${String(id)} is not in a valid format.`,
          );
      const found = ids.map((id) => ctx.store.deployments.get(id as string)).filter((d) => d !== undefined);
      return { deploymentsInfo: found.map(renderDeployment) };
    },
    ListDeployments: (input) => listDeployments(ctx, input),
    StopDeployment(input) {
      const rec = requireDeployment(ctx, input);
      if (isComplete(rec.status))
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${rec.deploymentId} has already completed (${rec.status}).`,
        );
      if (rec.phase === 'terminating' || rec.phase === 'rolling-back') {
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${rec.deploymentId} is removing a task set and can no longer be stopped.`,
        );
      }
      const { enabled, events } = rec.settings.autoRollback;
      const rollback =
        optBool(input, 'autoRollbackEnabled') ?? (enabled && events.includes('DEPLOYMENT_STOP_ON_REQUEST'));
      const message = `The deployment was stopped by a StopDeployment request${rollback ? '; traffic was routed back to the original task set' : ''}.`;
      const rb = engine.stop(rec, { status: 'Stopped', code: 'MANUAL_STOP', message, rollback });
      return {
        status: 'Succeeded',
        statusMessage: rb
          ? `Deployment ${rec.deploymentId} stopped; rollback deployment ${rb.deploymentId} created.`
          : `Deployment ${rec.deploymentId} stopped.`,
      };
    },
    ContinueDeployment(input) {
      const rec = requireDeployment(ctx, input);
      const type = optString(input, 'deploymentWaitType') ?? 'READY_WAIT';
      if (type !== 'READY_WAIT' && type !== 'TERMINATION_WAIT')
        throw new AwsError(
          'InvalidDeploymentWaitTypeException',
          `The wait type ${type} is invalid; expected READY_WAIT or TERMINATION_WAIT.`,
        );
      if (isComplete(rec.status))
        throw new AwsError(
          'DeploymentAlreadyCompletedException',
          `The deployment ${rec.deploymentId} has already completed (${rec.status}).`,
        );
      if (rec.waiter?.type !== type) {
        if (type === 'READY_WAIT')
          throw new AwsError(
            'DeploymentIsNotInReadyStateException',
            `The deployment ${rec.deploymentId} is not in the Ready state (it is ${rec.status}); READY_WAIT can only be continued while it waits to reroute traffic.`,
          );
        throw new AwsError(
          'InvalidDeploymentStatusException',
          `The deployment ${rec.deploymentId} is not waiting to terminate the original task set; TERMINATION_WAIT can only be continued during the termination wait.`,
        );
      }
      rec.waiter.resolve();
      return {};
    },
    ListDeploymentTargets(input) {
      const rec = requireDeployment(ctx, input);
      requireStarted(rec);
      const filters = optObject(input, 'targetFilters', 'InvalidTargetFilterNameException') ?? {};
      for (const key of Object.keys(filters))
        if (key !== 'TargetStatus' && key !== 'ServerInstanceLabel')
          throw new AwsError('InvalidTargetFilterNameException', `The target filter name ${key} is invalid.`);
      const wanted = Array.isArray(filters['TargetStatus']) ? (filters['TargetStatus'] as unknown[]) : [];
      const labels = Array.isArray(filters['ServerInstanceLabel']) ? (filters['ServerInstanceLabel'] as unknown[]) : [];
      const keep = (wanted.length === 0 || wanted.includes(rec.target.status)) && labels.length === 0;
      return { targetIds: keep ? [rec.target.targetId] : [] };
    },
    GetDeploymentTarget(input) {
      const rec = requireDeployment(ctx, input);
      requireStarted(rec);
      requireTargetId(rec, input['targetId']);
      return { deploymentTarget: renderEcsTarget(ctx.ecs, rec) };
    },
    BatchGetDeploymentTargets(input) {
      const rec = requireDeployment(ctx, input);
      requireStarted(rec);
      const ids = optList(input, 'targetIds') ?? [];
      if (ids.length === 0)
        throw new AwsError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
      if (ids.length > 25)
        throw new AwsError(
          'DeploymentTargetListSizeExceededException',
          'The maximum number of targets that can be associated with an Amazon ECS deployment (25) was exceeded.',
        );
      for (const id of ids) requireTargetId(rec, id);
      return { deploymentTargets: ids.map(() => renderEcsTarget(ctx.ecs, rec)) };
    },
  };
}
