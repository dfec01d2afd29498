import { renderEcsAppSpec } from './appspec';
import type { EngineContext } from './engine-context';
import { endEvent } from './engine-context';
import type { DeploymentRecord, DeploymentStatus } from './model';
import { isComplete } from './model';
import { createHash } from 'node:crypto';

/** How a deployment ends when it does not succeed. */
export interface StopOutcome {
  status: Extract<DeploymentStatus, 'Stopped' | 'Failed'>;
  code: string;
  message: string;
  /** Route traffic back to the original task set and create a rollback deployment. */
  rollback: boolean;
  /** Without rollback: still put the listeners back and remove the replacement (ready-wait timeout). */
  cleanUp?: boolean;
}

/** Records a final status on the deployment and its group. */
export function markComplete(ctx: EngineContext, rec: DeploymentRecord, status: DeploymentStatus): void {
  const now = ctx.time.now();
  rec.status = status;
  rec.completeTime = now;
  rec.phase = 'done';
  rec.waiter = undefined;
  rec.target.status = status === 'Succeeded' ? 'Succeeded' : 'Failed';
  rec.target.lastUpdatedAt = now;
  const group = ctx.store.group(rec.applicationName, rec.deploymentGroupName);
  if (!group) return;
  const summary = { deploymentId: rec.deploymentId, status, createTime: rec.createTime, endTime: now };
  if (group.lastAttempted?.deploymentId === rec.deploymentId || group.lastAttempted === undefined)
    group.lastAttempted = summary;
  if (status === 'Succeeded') {
    group.lastSuccessful = summary;
    group.targetRevision = rec.revision;
  }
}

/**
 * Ends a running deployment now: aborts its engine, closes its lifecycle events, and, with rollback, puts the
 * production and test listeners back as they were before the deployment in this same call, so that traffic is on the
 * original task set when StopDeployment returns. The slow part (deleting the replacement) runs in the background.
 */
export function stopDeployment(
  ctx: EngineContext,
  rec: DeploymentRecord,
  outcome: StopOutcome,
  track: (work: Promise<void>) => void,
): DeploymentRecord | undefined {
  if (isComplete(rec.status)) return undefined;
  rec.controller.abort();
  const now = ctx.time.now();
  const diagnostics = { errorCode: 'UnknownError', message: outcome.message };
  for (const event of rec.target.events) {
    if (event.status === 'InProgress') endEvent(rec, event.name, now, 'Failed', diagnostics);
    else if (event.status === 'Pending') endEvent(rec, event.name, now, 'Skipped');
  }
  rec.errorInformation = { code: outcome.code, message: outcome.message };
  rec.statusMessages.push(outcome.message);
  markComplete(ctx, rec, outcome.status);
  if (outcome.rollback && rec.creator !== 'codeDeployRollback') return rollBack(ctx, rec, track);
  if (outcome.cleanUp) {
    restoreTraffic(ctx, rec);
    track(deleteGreen(ctx, rec));
  }
  return undefined;
}

/** Puts every listener the deployment touched back as it was, and the original task set back as primary. */
function restoreTraffic(ctx: EngineContext, rec: DeploymentRecord): void {
  for (const before of rec.listenersBefore) {
    const now = ctx.elb.getListener(before.listenerArn);
    // Only listeners the deployment changed are written back: an untouched production listener stays untouched.
    if (now && JSON.stringify(now.targetGroups) === JSON.stringify(before.targetGroups)) continue;
    ctx.elb.setListenerWeights(before.listenerArn, before.targetGroups);
  }
  rec.target.greenWeight = 0;
  const { clusterName, serviceName } = rec.settings.ecsService;
  if (rec.primarySwitched && rec.target.blue && !rec.target.blue.deleted) {
    ctx.ecs.setPrimaryTaskSet(clusterName, serviceName, rec.target.blue.taskSetArn);
    rec.primarySwitched = false;
  }
}

async function deleteGreen(ctx: EngineContext, rec: DeploymentRecord): Promise<void> {
  const green = rec.target.green;
  if (!green || green.deleted) return;
  green.deleted = true;
  await ctx.ecs.deleteTaskSet(green.taskSetArn);
  green.last = { ...green.last, runningCount: 0, pendingCount: 0, healthyTargets: 0 };
}

function rollBack(
  ctx: EngineContext,
  rec: DeploymentRecord,
  track: (work: Promise<void>) => void,
): DeploymentRecord | undefined {
  restoreTraffic(ctx, rec);
  const blue = rec.target.blue;
  const group = ctx.store.group(rec.applicationName, rec.deploymentGroupName);
  if (!blue || !group) {
    // Nothing was replaced yet (the failure came before Install found the original): nothing to roll back to.
    track(deleteGreen(ctx, rec));
    return undefined;
  }
  const appSpec = {
    taskDefinition: blue.last.taskDefinition,
    containerName: rec.appSpec.containerName,
    containerPort: rec.appSpec.containerPort,
  };
  const content = renderEcsAppSpec(appSpec);
  const now = ctx.time.now();
  const rb = ctx.store.addDeployment({
    group,
    settings: rec.settings,
    config: rec.config,
    revision: {
      revisionType: 'AppSpecContent',
      appSpecContent: { content, sha256: createHash('sha256').update(content).digest('hex') },
    },
    appSpec,
    creator: 'codeDeployRollback',
    serviceArn: rec.target.targetArn,
    now,
  });
  rb.previousRevision = rec.revision;
  rec.rollbackInfo = {
    rollbackDeploymentId: rb.deploymentId,
    rollbackMessage:
      `Deployment ${rec.deploymentId} was rolled back by deployment ${rb.deploymentId}: ${rec.errorInformation?.message ?? ''}`.trim(),
  };
  rb.rollbackInfo = {
    rollbackTriggeringDeploymentId: rec.deploymentId,
    rollbackMessage: `Rolling back deployment ${rec.deploymentId}: traffic returned to the original task set ${blue.last.id}.`,
  };
  // The rollback's "replacement" is the original task set, back on 100% of traffic; the failed one is what it removes.
  rb.target.blue = rec.target.green ? { ...rec.target.green, label: 'Blue' } : undefined;
  rb.target.green = { ...blue, label: 'Green' };
  rb.target.greenWeight = 100;
  rb.status = 'InProgress';
  rb.startTime = now;
  rb.phase = 'rolling-back';
  rb.target.status = 'InProgress';
  for (const event of rb.target.events) endEvent(rb, event.name, now, 'Succeeded');
  rb.statusMessages.push(`Rolled back deployment ${rec.deploymentId}; removing its replacement task set.`);
  track(
    (async () => {
      try {
        await deleteGreen(ctx, rec);
        if (rb.target.blue) rb.target.blue.deleted = true;
        if (!isComplete(rb.status)) markComplete(ctx, rb, 'Succeeded');
      } catch (error) {
        if (!isComplete(rb.status)) {
          rb.errorInformation = {
            code: 'ECS_UPDATE_ERROR',
            message: `The replacement task set could not be deleted: ${(error as Error).message}`,
          };
          markComplete(ctx, rb, 'Failed');
        }
      }
    })(),
  );
  return rb;
}
