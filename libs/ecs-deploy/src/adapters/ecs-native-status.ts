/**
 * An ECS service deployment (DescribeServiceDeployments) in shipgate's words. Pure, so that every status
 * and lifecycle stage AWS names has a test without a cloud.
 */
import type { DeploymentLifecycleHookDetail, ServiceDeployment } from '@aws-sdk/client-ecs';
import type { DeploymentPhase, DeploymentSide, DeploymentView, LifecycleEventView } from '../ports';
import { holdStage, verifyStage } from './ecs-native-settings';

/** The stages of an ECS blue/green (and linear, canary) deployment, in the order ECS runs them. */
export const ecsLifecycleStages = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

/** Service deployment statuses after which nothing changes any more. */
export const ecsTerminalStatuses = new Set(['SUCCESSFUL', 'STOPPED', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED']);

/** Statuses of a service deployment that still holds the service (a new one would have to wait). */
export const ecsActiveStatuses = [
  'PENDING',
  'IN_PROGRESS',
  'STOP_REQUESTED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
] as const;

/** What the adapter learned about the revisions of a deployment (DescribeServiceRevisions, DescribeTargetGroups). */
export interface RevisionFacts {
  /** Task definition ARN by service revision ARN. */
  taskDefinition: Map<string, string>;
  /** Target group name each revision serves from, by service revision ARN. */
  targetGroup: Map<string, string>;
}

/** The PAUSE hook awaiting action at a stage, if any. */
export function awaitingHook(deployment: ServiceDeployment, stage: string): DeploymentLifecycleHookDetail | undefined {
  if (deployment.lifecycleStage !== stage) return undefined;
  return deployment.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION');
}

/** A service deployment as shipgate's controller-neutral view. */
export function ecsDeploymentStatus(deployment: ServiceDeployment, facts: RevisionFacts): DeploymentView {
  const target = deployment.targetServiceRevision;
  const source = deployment.sourceServiceRevisions?.[0];
  const sides: DeploymentSide[] = [];
  const sideOf = (label: 'Blue' | 'Green', r: NonNullable<typeof target>, weight: number): DeploymentSide => {
    const group = r.arn ? facts.targetGroup.get(r.arn) : undefined;
    return {
      id: r.arn ?? '',
      label,
      trafficWeight: weight,
      desiredCount: r.requestedTaskCount ?? 0,
      runningCount: r.runningTaskCount ?? 0,
      pendingCount: r.pendingTaskCount ?? 0,
      ...(group ? { targetGroup: group } : {}),
    };
  };
  const green = target?.requestedProductionTrafficWeight ?? 0;
  if (source) sides.push(sideOf('Blue', source, source.requestedProductionTrafficWeight ?? 100 - green));
  if (target) sides.push(sideOf('Green', target, green));
  const taskDefinitionArn = target?.arn ? facts.taskDefinition.get(target.arn) : undefined;
  const phase = ecsPhase(deployment);
  const rolledBack = deployment.status?.startsWith('ROLLBACK_');
  const reason = deployment.rollback?.reason ?? deployment.statusReason;
  return {
    id: deployment.serviceDeploymentArn ?? '',
    phase,
    controllerStatus: `${deployment.status ?? 'PENDING'}${deployment.lifecycleStage ? ` at ${deployment.lifecycleStage}` : ''}`,
    ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
    strategy: deployment.deploymentConfiguration?.strategy ?? 'BLUE_GREEN',
    lifecycleEvents: lifecycleEvents(deployment),
    sides,
    ...(phase === 'failed' && reason ? { error: { code: deployment.status ?? 'FAILED', message: reason } } : {}),
    ...(rolledBack ? { rollback: { ...(reason ? { message: reason } : {}) } } : {}),
    ...(deployment.createdAt ? { createdAt: deployment.createdAt } : {}),
    ...(deployment.finishedAt || deployment.stoppedAt
      ? { completedAt: (deployment.finishedAt ?? deployment.stoppedAt)! }
      : {}),
  };
}

/**
 * ECS's statuses and stages in shipgate's phases: `verifying` while the verification hook awaits shipgate,
 * `baking` while the original revision is held after all production traffic moved. A deployment ECS rolled
 * back by itself (alarm, circuit breaker, a hook timing out with ROLLBACK) has `failed`; one stopped with
 * ROLLBACK, or rolled back at a hook on request, is `stopped`.
 */
export function ecsPhase(d: ServiceDeployment): DeploymentPhase {
  switch (d.status) {
    case 'PENDING':
      return 'starting';
    case 'SUCCESSFUL':
      return 'finished';
    case 'STOPPED':
      return 'stopped';
    case 'ROLLBACK_FAILED':
      return 'failed';
    case 'ROLLBACK_SUCCESSFUL':
      return stoppedByRequest(d) ? 'stopped' : 'failed';
    case 'IN_PROGRESS': {
      const stage = d.lifecycleStage;
      if (awaitingHook(d, verifyStage)) return 'verifying';
      if (stage === holdStage || stage === 'BAKE_TIME' || stage === 'CLEAN_UP') return 'baking';
      if (stage === 'PRODUCTION_TRAFFIC_SHIFT' || stage === verifyStage) return 'shifting';
      return 'starting';
    }
    default:
      // STOP_REQUESTED, ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS: production traffic returns to the original.
      return 'rolling-back';
  }
}

/** A rollback someone asked for (StopServiceDeployment or a hook's ROLLBACK), not one a monitor triggered. */
function stoppedByRequest(d: ServiceDeployment): boolean {
  if (d.alarms?.status === 'TRIGGERED' || d.deploymentCircuitBreaker?.status === 'TRIGGERED') return false;
  if (
    d.lifecycleHookDetails?.some(
      (h) => (h.status === 'TIMED_OUT' && h.timeoutAction === 'ROLLBACK') || h.status === 'FAILED',
    )
  )
    return false;
  return true;
}

/**
 * ECS reports the current stage only; the stages before it have passed. Shown as lifecycle events so that
 * `shipgate deploy` prints progress and failure explanations name the stage, as with CodeDeploy.
 */
function lifecycleEvents(d: ServiceDeployment): LifecycleEventView[] {
  const terminal = ecsTerminalStatuses.has(d.status ?? '');
  const at = ecsLifecycleStages.indexOf(d.lifecycleStage as (typeof ecsLifecycleStages)[number]);
  const failedHere = d.status === 'ROLLBACK_FAILED' || (d.status === 'ROLLBACK_SUCCESSFUL' && !stoppedByRequest(d));
  // RECONCILE_SERVICE runs only when more than one revision is active; shown only while it runs.
  return ecsLifecycleStages
    .filter((name) => name !== 'RECONCILE_SERVICE' || at === 0)
    .map((name) => {
      const i = ecsLifecycleStages.indexOf(name);
      let status: LifecycleEventView['status'];
      if (d.status === 'SUCCESSFUL' || i < at) status = 'Succeeded';
      else if (i === at) status = !terminal ? 'InProgress' : failedHere ? 'Failed' : 'Skipped';
      else status = terminal ? 'Skipped' : 'Pending';
      const reason = status === 'Failed' ? (d.rollback?.reason ?? d.statusReason) : undefined;
      return { name, status, ...(reason ? { diagnostics: { message: reason } } : {}) };
    });
}
