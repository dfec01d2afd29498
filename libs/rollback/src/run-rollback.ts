import { buildAppSpec } from '@shipgate/ecs-deploy';
import { ShipgateError, isShipgateError, type Clock, type DeploymentRecord } from '@shipgate/model';
import type { ControllerDeploymentView, RollbackPorts } from './ports';
import {
  rollbackDescription,
  type FastRollbackPlan,
  type RedeployRollbackPlan,
  type ResumeRollbackPlan,
  type RollbackPlan,
} from './rollback-plan';
import { recordRollback } from './record-rollback';
import { checkTrafficRestored, pollUntil, type PollOptions, type TrafficVerification } from './wait-for-traffic';

/** One step of a rollback, for people watching at 3 a.m. */
export interface RollbackProgress {
  step:
    | 'stopping'
    | 'deploying'
    | 'attaching'
    | 'verifying-test-listener'
    | 'moving-traffic'
    | 'waiting-for-traffic'
    | 'restored'
    | 'failed';
  message: string;
  elapsedMs: number;
}

/** How runRollback measures and waits. */
export interface RunRollbackOptions {
  clock: Clock;
  /** When the command started: the time to restore counts from here (default: now). */
  startedAt?: Date;
  onProgress?: (progress: RollbackProgress) => void;
  sleep?: (ms: number) => Promise<void>;
  /** Between two checks of the controller and the listener (default 100 ms). */
  pollMs?: number;
  /** Probes in a row that must name the restored release (default 3). */
  confirmations?: number;
  /** Longest wait for traffic to be restored, per path (defaults: fast 2 min, redeploy 15 min). */
  deadlines?: { fastMs?: number; redeployMs?: number };
}

/** What a rollback did and how long production took to be whole again. */
export interface RollbackReport {
  path: RollbackPlan['path'];
  outcome: 'restored' | 'failed';
  service: string;
  environment: string;
  actor: string;
  reason: string;
  reasonGiven: boolean;
  /** The ledger record of this rollback. */
  rollbackDeploymentId?: string;
  /** The ledger deployment marked rolled-back. */
  rolledBackDeploymentId?: string;
  /** Fast path: the controller deployment stopped; redeploy path: the one started. */
  controllerDeploymentId?: string;
  restoredReleaseId?: string;
  /** When the rollback began: this command's start, or, for a resumed one, the start of the run that began it. */
  startedAt: string;
  restoredAt?: string;
  /**
   * From `startedAt` until all production traffic is served by the restored release. For a resumed
   * rollback it counts from the first run's start: that is how long production waited.
   */
  timeToRestoreMs?: number;
  /** Set when this run followed a rollback an earlier run had started (and recorded) but no longer followed. */
  resumed?: { controllerDeploymentId: string; recordId?: string; startedBy?: string };
  verification?: TrafficVerification & { targetGroup: string };
  failure?: { code: string; message: string; hint?: string };
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Carries a rollback plan out, measures the time to restore, records a `rollback` deployment, marks
 * the rolled-back deployment, and always appends an audit entry with who and why, also when it fails.
 */
export async function runRollback(
  plan: RollbackPlan,
  ports: RollbackPorts,
  options: RunRollbackOptions,
): Promise<RollbackReport> {
  const { clock } = options;
  const runStartedAt = options.startedAt ?? clock.now();
  const adopted = plan.path === 'resume' ? plan.resume.record : undefined;
  const startedAt = adopted ? new Date(adopted.startedAt) : runStartedAt;
  const elapsed = () => clock.now().getTime() - startedAt.getTime();
  const progress = (step: RollbackProgress['step'], message: string) =>
    options.onProgress?.({ step, message, elapsedMs: elapsed() });
  const deadlineMs =
    plan.path === 'fast' ? (options.deadlines?.fastMs ?? 120_000) : (options.deadlines?.redeployMs ?? 900_000);
  const poll: PollOptions = {
    clock,
    sleep: options.sleep ?? realSleep,
    pollMs: options.pollMs ?? 100,
    // The deadline is this run's own: a resumed rollback gets the whole wait again.
    deadline: runStartedAt.getTime() + deadlineMs,
  };
  const confirmations = options.confirmations ?? 3;
  const report: RollbackReport = {
    path: plan.path,
    outcome: 'failed',
    service: plan.service,
    environment: plan.environment,
    actor: plan.actor,
    reason: plan.reason,
    reasonGiven: plan.reasonGiven,
    ...(plan.rolledBack ? { rolledBackDeploymentId: plan.rolledBack.deploymentId } : {}),
    startedAt: startedAt.toISOString(),
    ...(plan.path === 'resume'
      ? {
          resumed: {
            controllerDeploymentId: plan.resume.controllerDeploymentId,
            ...(adopted ? { recordId: adopted.id, startedBy: adopted.startedBy } : {}),
          },
        }
      : {}),
  };
  let record: Pick<DeploymentRecord, 'id'> | undefined = adopted ? { id: adopted.id } : undefined;
  const startRecord = (controllerDeploymentId?: string, releaseId = plan.restore.releaseId) =>
    ports.ledger.startDeployment({
      releaseId: releaseId ?? 'unknown',
      service: plan.service,
      environment: plan.environment,
      digest: plan.restore.digest ?? 'unknown',
      controller: ports.control.controller,
      kind: 'rollback',
      startedBy: plan.actor,
      startedAt: startedAt.toISOString(),
      outcome: 'in-progress',
      reason: plan.reason,
      ...(controllerDeploymentId ? { controllerDeploymentId } : {}),
      ...(plan.path === 'redeploy' && plan.taskDefinitionArn ? { taskDefinitionArn: plan.taskDefinitionArn } : {}),
      ...(plan.rolledBack ? { rolledBackDeploymentId: plan.rolledBack.deploymentId } : {}),
      ...(plan.path === 'redeploy' && plan.breakGlass ? { breakGlass: plan.breakGlass } : {}),
    });
  try {
    const verified =
      plan.path === 'resume'
        ? await runResume(plan, ports, poll, confirmations, progress, async (id) => {
            record ??= await startRecord(id);
          })
        : plan.path === 'fast'
          ? await runFast(
              plan,
              ports,
              poll,
              confirmations,
              progress,
              async (releaseId) => void (record = await startRecord(undefined, releaseId)),
            )
          : await runRedeploy(
              plan,
              ports,
              poll,
              confirmations,
              progress,
              async (id) => (record = await startRecord(id)),
              report,
            );
    const restoredAt = clock.now();
    Object.assign(report, {
      outcome: 'restored',
      restoredReleaseId: verified.releaseId,
      restoredAt: restoredAt.toISOString(),
      timeToRestoreMs: restoredAt.getTime() - startedAt.getTime(),
      verification: verified,
    });
    if (plan.path === 'fast') report.controllerDeploymentId = plan.stop.controllerDeploymentId;
    if (plan.path === 'resume') report.controllerDeploymentId = plan.resume.controllerDeploymentId;
    progress(
      'restored',
      `all production traffic is served by ${verified.releaseId} (${verified.targetGroup}), ${report.timeToRestoreMs} ms after the ${adopted ? 'first run' : 'command'} started`,
    );
  } catch (error) {
    report.failure = isShipgateError(error)
      ? { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
      : { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
    progress('failed', `rollback failed: ${report.failure.message}`);
  } finally {
    await recordRollback(ports, plan, report, record, clock);
  }
  return report;
}

type Progress = (step: RollbackProgress['step'], message: string) => void;

async function runFast(
  plan: FastRollbackPlan,
  ports: RollbackPorts,
  poll: PollOptions,
  confirmations: number,
  progress: Progress,
  startRecord: (releaseId?: string) => Promise<void>,
) {
  const id = plan.stop.controllerDeploymentId;
  progress(
    'stopping',
    `stopping ${id} (${plan.stop.status}${plan.stop.inTerminationWait ? ', termination wait' : ''}, ${plan.stop.replacementWeight}% on the replacement) with rollback`,
  );
  // Stop first: the ledger write runs beside it and must not delay the restore. When the ledger does
  // not know what served before, the record waits for the probe to say which release came back.
  const known = plan.restore.releaseId !== undefined;
  const [stopped] = await Promise.allSettled([
    ports.control.stop(id, { rollback: true }),
    known ? startRecord() : Promise.resolve(),
  ]);
  if (stopped.status === 'rejected') throw explainStopFailure(stopped.reason, id);
  const targetGroup = plan.originalTargetGroup ?? originalTargetGroupOf(await ports.control.status(id));
  progress(
    'waiting-for-traffic',
    `waiting for all production traffic on ${targetGroup}${plan.restore.releaseId ? ` answering as ${plan.restore.releaseId}` : ''}`,
  );
  const verified = await pollUntil(`all production traffic on ${targetGroup}`, poll, () =>
    checkTrafficRestored(ports.traffic, ports.probe, {
      targetGroup,
      confirmations,
      ...(plan.restore.releaseId ? { releaseId: plan.restore.releaseId } : {}),
    }),
  );
  if (!known) await startRecord(verified.releaseId);
  return { ...verified, targetGroup };
}

async function runRedeploy(
  plan: RedeployRollbackPlan,
  ports: RollbackPorts,
  poll: PollOptions,
  confirmations: number,
  progress: Progress,
  startRecord: (id: string) => Promise<unknown>,
  report: RollbackReport,
) {
  const release = plan.restore.releaseId;
  let taskDefinitionArn = plan.taskDefinitionArn;
  if (!taskDefinitionArn) {
    if (!ports.taskDefinitions) {
      throw new ShipgateError(
        'DEPLOY_FAILED',
        `expected a task definition recorded for ${release} or a way to register one, found neither`,
        { hint: 'Deploy it with `shipgate deploy` instead.' },
      );
    }
    taskDefinitionArn = await ports.taskDefinitions.taskDefinitionFor({
      id: release,
      digest: plan.restore.digest,
      ...(plan.restore.image ? { image: plan.restore.image } : {}),
    });
  }
  progress('deploying', `redeploying ${release} (${taskDefinitionArn}) with ${plan.deploymentConfig}, no gate`);
  let id: string;
  try {
    id = await ports.control.start({
      ...plan.group,
      taskDefinitionArn,
      appSpec: buildAppSpec(taskDefinitionArn, plan.container.name, plan.container.port),
      deploymentConfig: plan.deploymentConfig,
      description: rollbackDescription(release, plan.reason),
    });
  } catch (error) {
    throw explainStartConflict(error, plan);
  }
  report.controllerDeploymentId = id;
  await startRecord(id);
  return followRedeploy(id, release, ports, poll, confirmations, progress);
}

/** Follows a redeploy rollback an earlier run started: from wherever it is now to all traffic restored. */
async function runResume(
  plan: ResumeRollbackPlan,
  ports: RollbackPorts,
  poll: PollOptions,
  confirmations: number,
  progress: Progress,
  ensureRecord: (id: string) => Promise<void>,
) {
  const { controllerDeploymentId: id, record } = plan.resume;
  progress(
    'attaching',
    `attaching to rollback ${id} to ${plan.restore.releaseId} (${plan.resume.status}, ${plan.resume.replacementWeight}% of production traffic moved)${record ? `, started by ${record.startedBy} at ${record.startedAt}, whose run no longer follows it` : ''}`,
  );
  // Killed between starting the deployment and recording it: this run records it.
  await ensureRecord(id);
  return followRedeploy(id, plan.restore.releaseId, ports, poll, confirmations, progress);
}

/**
 * Until all production traffic is on the redeployed release: at Ready the test listener must answer
 * as the release before traffic is let through; a deployment that fails or is stopped ends it.
 */
async function followRedeploy(
  id: string,
  release: string,
  ports: RollbackPorts,
  poll: PollOptions,
  confirmations: number,
  progress: Progress,
) {
  let continued = false;
  let targetGroup: string | undefined;
  const verified = await pollUntil(`all production traffic on ${release}`, poll, async () => {
    const status = await ports.control.status(id);
    if (status.status === 'Failed' || status.status === 'Stopped') {
      throw new ShipgateError(
        'DEPLOY_FAILED',
        `expected redeploy ${id} of ${release} to move traffic, found it ${status.status}${status.error?.message ? `: ${status.error.message}` : ''}`,
        {
          hint: 'Run `shipgate status` to see what serves now; the original task set keeps serving after a failed deployment.',
        },
      );
    }
    targetGroup ??= status.taskSets.find((t) => t.label === 'Green')?.targetGroup;
    if (status.status === 'Ready' && !continued) {
      const { test } = await ports.traffic.listenerUrls();
      const answer = await ports.probe.whoAnswers(test);
      if (answer.ok && answer.releaseId === release) {
        progress('moving-traffic', `the test listener answers as ${release}; moving production traffic`);
        await continueTolerantly(ports, id);
        continued = true;
      } else {
        progress(
          'verifying-test-listener',
          `waiting for the test listener to answer as ${release} (now: ${answer.releaseId ?? answer.error ?? answer.status})`,
        );
      }
      return undefined;
    }
    if (!targetGroup) return undefined;
    return checkTrafficRestored(ports.traffic, ports.probe, { targetGroup, releaseId: release, confirmations });
  });
  return { ...verified, targetGroup: targetGroup! };
}

/** Another follower of the same rollback (the run it resumed, still alive after all) may have continued it first. */
async function continueTolerantly(ports: RollbackPorts, id: string): Promise<void> {
  try {
    await ports.control.continue(id, 'ready');
  } catch (error) {
    if ((await ports.control.status(id)).status === 'Ready') throw error;
  }
}

/** Lost the start to another deployment (two rollbacks at once): say what rollback itself can do next. */
function explainStartConflict(error: unknown, plan: RedeployRollbackPlan): unknown {
  if (!isShipgateError(error) || error.code !== 'DEPLOY_IN_FLIGHT') return error;
  const other = typeof error.details?.deploymentId === 'string' ? error.details.deploymentId : 'another deployment';
  const rollback = `shipgate rollback ${plan.environment} --service ${plan.service}`;
  return new ShipgateError(
    'DEPLOY_IN_FLIGHT',
    `expected no deployment of ${plan.service} in ${plan.environment} in flight when redeploying ${plan.restore.releaseId}, found ${other}, started after this rollback was planned (another rollback or deploy)`,
    {
      hint: `Run \`${rollback}\` again: it follows a rollback in flight to its end, or stops a deploy in flight; \`shipgate status ${plan.environment} --service ${plan.service}\` shows what serves.`,
      cause: error,
      details: { ...(error.details ?? {}) },
    },
  );
}

function originalTargetGroupOf(status: ControllerDeploymentView): string {
  const blue = status.taskSets.find((t) => t.label === 'Blue')?.targetGroup;
  if (!blue)
    throw new ShipgateError(
      'AWS_ERROR',
      `expected deployment ${status.id} to name its original task set's target group, found none`,
    );
  return blue;
}

/** A deployment that finished between planning and stopping can no longer be stopped: say what to do. */
function explainStopFailure(error: unknown, id: string): unknown {
  const awsError = isShipgateError(error) ? error.details?.awsError : undefined;
  if (awsError !== 'DeploymentAlreadyCompletedException') return error;
  return new ShipgateError(
    'DEPLOY_FAILED',
    `expected ${id} to be still in flight so that stopping it restores the original task set, found it already completed`,
    {
      hint: 'Run the rollback again: with nothing in flight it redeploys the last known good release.',
      cause: error,
    },
  );
}
