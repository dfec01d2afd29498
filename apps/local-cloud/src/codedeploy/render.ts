import type { EcsControl } from '../contract';
import { renderGroupSettings } from './deployment-group-settings';
import type { DeploymentRecord, TaskSetRef } from './model';
import type { WireObject } from './wire';
import { compact, epochSeconds } from './wire';

/** The wire form (`DeploymentInfo`). */
export function renderDeployment(rec: DeploymentRecord): WireObject {
  const overview = { Pending: 0, InProgress: 0, Succeeded: 0, Failed: 0, Skipped: 0, Ready: 0 };
  const key = rec.target.status;
  if (key in overview) overview[key as keyof typeof overview] += 1;
  return compact({
    applicationName: rec.applicationName,
    deploymentGroupName: rec.deploymentGroupName,
    deploymentConfigName: rec.config.deploymentConfigName,
    deploymentId: rec.deploymentId,
    previousRevision: rec.previousRevision,
    revision: rec.revision,
    status: rec.status,
    errorInformation: rec.errorInformation,
    createTime: epochSeconds(rec.createTime),
    startTime: epochSeconds(rec.startTime),
    completeTime: epochSeconds(rec.completeTime),
    deploymentOverview: overview,
    description: rec.description,
    creator: rec.creator,
    ignoreApplicationStopFailures: false,
    autoRollbackConfiguration: { enabled: rec.settings.autoRollback.enabled, events: rec.settings.autoRollback.events },
    updateOutdatedInstancesOnly: false,
    rollbackInfo: rec.rollbackInfo && compact({ ...rec.rollbackInfo }),
    ...renderGroupSettings(rec.settings),
    instanceTerminationWaitTimeStarted: rec.instanceTerminationWaitTimeStarted,
    fileExistsBehavior: 'DISALLOW',
    deploymentStatusMessages: rec.statusMessages,
    computePlatform: 'ECS',
  });
}

function renderTaskSet(ecs: EcsControl, ref: TaskSetRef, trafficWeight: number): WireObject {
  if (!ref.deleted) ref.last = ecs.describeTaskSet(ref.taskSetArn) ?? ref.last;
  const view = ref.last;
  return {
    identifer: view.id, // sic: AWS's model spells the member this way
    desiredCount: ref.deleted ? 0 : view.computedDesiredCount,
    pendingCount: ref.deleted ? 0 : view.pendingCount,
    runningCount: ref.deleted ? 0 : view.runningCount,
    status: ref.deleted ? 'DRAINING' : view.status,
    trafficWeight,
    targetGroup: { name: ref.targetGroupName },
    taskSetLabel: ref.label,
  };
}

/** The wire form of the deployment's one ECS target (`DeploymentTarget`). */
export function renderEcsTarget(ecs: EcsControl, rec: DeploymentRecord): WireObject {
  const { target } = rec;
  const taskSetsInfo: WireObject[] = [];
  if (target.blue) taskSetsInfo.push(renderTaskSet(ecs, target.blue, 100 - target.greenWeight));
  if (target.green) taskSetsInfo.push(renderTaskSet(ecs, target.green, target.greenWeight));
  return {
    deploymentTargetType: 'ECSTarget',
    ecsTarget: {
      deploymentId: rec.deploymentId,
      targetId: target.targetId,
      targetArn: target.targetArn,
      lastUpdatedAt: epochSeconds(target.lastUpdatedAt),
      lifecycleEvents: target.events.map((e) =>
        compact({
          lifecycleEventName: e.name,
          diagnostics: e.diagnostics,
          startTime: epochSeconds(e.startTime),
          endTime: epochSeconds(e.endTime),
          status: e.status,
        }),
      ),
      status: target.status,
      taskSetsInfo,
    },
  };
}
