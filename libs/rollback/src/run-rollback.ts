import type { DeployReport } from '@shipgate/ecs-deploy';
import { ShipgateError, isShipgateError, type Clock, type DeploymentRecord, type ServiceTarget } from '@shipgate/model';
import type { ControllerDeploymentView, RollbackPorts } from './ports';
import { redeployThroughEngine } from './redeploy-through-engine';
import type { FastRollbackPlan, RedeployRollbackPlan, ResumeRollbackPlan, RollbackPlan } from './rollback-plan';
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
  /**
   * Longest wait for traffic to be restored, per path (defaults: fast 2 min, redeploy 15 min). The
   * redeploy path also has the deploy engine's own budget, computed from the environment's settings.
   */
  deadlines?: { fastMs?: number; redeployMs?: number };
  /** The service's target, for the deploy engine (the redeploy and resume paths need it). */
  target?: ServiceTarget;
  /** local-cloud's time scale (1 on AWS) and a task's start time, for the engine's budget. */
  timeScale?: number;
  taskStartMs?: number;
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
  /** Redeploy and resume paths: what the deploy engine reported (budget, test-listener verification, failure explanation). */
  engine?: Pick<DeployReport, 'outcome' | 'budgetMs' | 'trafficTimeline' | 'attached'> &
    Partial<Pick<DeployReport, 'deploymentId' | 'taskDefinitionArn' | 'verification' | 'failure'>>;
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
      controller: ports.deploy.controller.kind,
      kind: 'rollback',
      startedBy: plan.actor,
      startedAt: startedAt.toISOString(),
      outcome: 'in-progress',
      reason: plan.reason,
      ...(controllerDeploymentId ? { controllerDeploymentId } : {}),
      ...(plan.path === 'redeploy' && plan.taskDefinitionArn ? { taskDefinitionArn: plan.taskDefinitionArn } : {}),
      ...(plan.rolledBack ? { rolledBackDeploymentId: plan.rolledBack.deploymentId } : {}),
      ...(plan.path === 'redeploy' && plan.breakGlass ? { breakGlass: plan.breakGlass } : {}),
      ...(plan.authorisation ? { authorisation: plan.authorisation } : {}),
    });
  try {
    const verified =
      plan.path === 'fast'
        ? await runFast(
            plan,
            ports,
            poll,
            confirmations,
            progress,
            async (releaseId) => void (record = await startRecord(undefined, releaseId)),
          )
        : await runThroughEngine(plan, ports, poll, confirmations, {
            target: requireTarget(options.target, plan),
            clock,
            sleep: poll.sleep,
            pollMs: poll.pollMs,
            runStartedAt,
            ...(options.timeScale !== undefined ? { timeScale: options.timeScale } : {}),
            ...(options.taskStartMs !== undefined ? { taskStartMs: options.taskStartMs } : {}),
            progress,
            report,
            onDeployment: async (id) => {
              report.controllerDeploymentId = id;
              record ??= await startRecord(id);
            },
          });
    const restoredAt = clock.now();
    Object.assign(report, {
      outcome: 'restored',
      restoredReleaseId: verified.releaseId,
      restoredAt: restoredAt.toISOString(),
      timeToRestoreMs: restoredAt.getTime() - startedAt.getTime(),
      verification: verified,
    });
    if (plan.path === 'fast') report.controllerDeploymentId = plan.stop.controllerDeploymentId;
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
    `stopping ${id} (${plan.stop.phase}, ${plan.stop.replacementWeight}% on the replacement) with rollback`,
  );
  // Stop first: the ledger write runs beside it and must not delay the restore. When the ledger does
  // not know what served before, the record waits for the probe to say which release came back.
  const known = plan.restore.releaseId !== undefined;
  const [stopped] = await Promise.allSettled([
    ports.deploy.controller.stop(id, { rollback: true }),
    known ? startRecord() : Promise.resolve(),
  ]);
  if (stopped.status === 'rejected') throw explainStopFailure(stopped.reason, id);
  const targetGroup = plan.originalTargetGroup ?? originalTargetGroupOf(await ports.deploy.controller.status(id));
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

/**
 * The redeploy and resume paths: the deploy engine (ecs-deploy's runDeploy, see
 * redeploy-through-engine.ts) redeploys or attaches, verifies and moves the traffic; then the
 * production listener must answer as the restored release `confirmations` times in a row.
 */
async function runThroughEngine(
  plan: RedeployRollbackPlan | ResumeRollbackPlan,
  ports: RollbackPorts,
  poll: PollOptions,
  confirmations: number,
  ctx: Parameters<typeof redeployThroughEngine>[2] & { report: RollbackReport },
) {
  const release = plan.restore.releaseId;
  if (plan.path === 'resume') {
    const by = plan.resume.record;
    ctx.progress(
      'attaching',
      `attaching to rollback ${plan.resume.controllerDeploymentId} to ${release} (${plan.resume.phase}, ${plan.resume.replacementWeight}% of production traffic moved)${by ? `, started by ${by.startedBy} at ${by.startedAt}, whose run no longer follows it` : ''}`,
    );
  }
  const { report: deployed, targetGroup } = await redeployThroughEngine(plan, ports, ctx);
  ctx.report.engine = {
    outcome: deployed.outcome,
    budgetMs: deployed.budgetMs,
    trafficTimeline: deployed.trafficTimeline,
    attached: deployed.attached,
    ...(deployed.deploymentId ? { deploymentId: deployed.deploymentId } : {}),
    ...(deployed.taskDefinitionArn ? { taskDefinitionArn: deployed.taskDefinitionArn } : {}),
    ...(deployed.verification ? { verification: deployed.verification } : {}),
    ...(deployed.failure ? { failure: deployed.failure } : {}),
  };
  if (deployed.outcome !== 'traffic-shifted' && deployed.outcome !== 'succeeded') {
    throw new ShipgateError(
      'DEPLOY_FAILED',
      `expected redeploy ${deployed.deploymentId ?? ''} of ${release} to move traffic, found it ${deployed.outcome}${deployed.failure ? `: ${deployed.failure.summary}` : ''}`,
      {
        hint: 'Run `shipgate status` to see what serves now; the original keeps serving after a failed deployment.',
        details: { ...(deployed.failure ? { failure: deployed.failure } : {}) },
      },
    );
  }
  const group = targetGroup ?? (await groupHoldingTraffic(ports));
  ctx.progress('waiting-for-traffic', `waiting for all production traffic on ${group} answering as ${release}`);
  const verified = await pollUntil(`all production traffic on ${release}`, poll, () =>
    checkTrafficRestored(ports.traffic, ports.probe, { targetGroup: group, releaseId: release, confirmations }),
  );
  return { ...verified, targetGroup: group };
}

/** The target group holding all production traffic (a finished deployment no longer lists its sides). */
async function groupHoldingTraffic(ports: RollbackPorts): Promise<string> {
  const weights = await ports.traffic.productionWeights();
  const top = [...weights].sort((a, b) => b.weight - a.weight)[0];
  if (!top)
    throw new ShipgateError('AWS_ERROR', 'expected the production listener to forward to a target group, found none');
  return top.targetGroup;
}

function requireTarget(target: ServiceTarget | undefined, plan: RollbackPlan): ServiceTarget {
  if (target) return target;
  throw new ShipgateError(
    'INTERNAL',
    `expected the service target of ${plan.service} in ${plan.environment} for the ${plan.path} path, found none`,
  );
}

function originalTargetGroupOf(status: ControllerDeploymentView): string {
  const blue = status.sides.find((t) => t.label === 'Blue')?.targetGroup;
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
