import { ShipgateError, isShipgateError, type Clock } from '@shipgate/model';
import type { DeployEvent, TrafficPoint } from './deploy-events';
import {
  explainFailure,
  gatherFailureFacts,
  type FailureExplanation,
  type TargetHealthReport,
} from './explain-failure';
import { followDeployment, type FollowResult } from './follow-deployment';
import { observeDeployState } from './observe-deploy-state';
import { isSameRelease, type DeployAction, type DeployPlan } from './plan-deploy';
import {
  isTerminalPhase,
  type ControllerKind,
  type DeployPorts,
  type LifecycleEventView,
  type StartDeploymentInput,
  type TaskDefinitionInput,
} from './ports';
import type { VerificationReport } from './verify-replacement';

/** How a deploy ended. `traffic-shifted`: production traffic moved and the original is in its termination wait. */
export type DeployOutcomeKind = 'succeeded' | 'traffic-shifted' | 'already-running' | 'failed' | 'rolled-back';

/** The result of a deploy, for the ledger and the `--json` report. */
export interface DeployReport {
  outcome: DeployOutcomeKind;
  action: DeployAction;
  controller: ControllerKind;
  deploymentId?: string;
  /** True when this run followed a deployment it did not start (a re-run after a crash). */
  attached: boolean;
  taskDefinitionArn?: string;
  releaseId: string;
  digest: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  budgetMs: number;
  trafficTimeline: TrafficPoint[];
  lifecycle: LifecycleEventView[];
  verification?: VerificationReport;
  failure?: FailureExplanation;
  /** The deployment stopped (supersede) or waited for (wait) before this one started. */
  previousDeploymentId?: string;
}

/** Effects runDeploy needs besides the ports. */
export interface RunDeployOptions {
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  onProgress?: (event: DeployEvent) => void;
  /**
   * Awaited once the deployment is known (started or attached), before it is followed: the caller
   * records it, so that a run that dies while following leaves a record a re-run can resume.
   */
  onDeployment?: (deploymentId: string, how: 'started' | 'attached') => Promise<void>;
  /** Where the deploy began (default: now), when the caller's clock started earlier (the budget counts from here). */
  startedAt?: Date;
}

/**
 * Carries a DeployPlan out: registers the task definition, starts (or attaches to) the controller's
 * deployment, verifies the replacement through the test listener while it is `verifying`, follows it
 * to the end and explains a failure. One deployment per environment and service, also when two runs
 * race. Deploy and rollback's redeploy both run it.
 */
export async function runDeploy(
  plan: DeployPlan,
  ports: DeployPorts,
  options: RunDeployOptions,
): Promise<DeployReport> {
  const { clock } = options;
  const started = options.startedAt ?? clock.now();
  const budgetMs = plan.wait === 'traffic' ? plan.budget.untilTrafficMs : plan.budget.totalMs;
  const emit = options.onProgress ?? (() => {});
  const event = (e: Record<string, unknown> & { type: DeployEvent['type'] }) =>
    emit({ ...e, elapsedMs: clock.now().getTime() - started.getTime(), budgetMs } as DeployEvent);
  const where = {
    cluster: plan.target.cluster,
    service: plan.target.ecsService,
    targetGroups: [...plan.target.targetGroups],
    alarms: plan.target.deploy.alarms,
  };
  const followCtx = {
    ports,
    clock,
    sleep: options.sleep,
    emit,
    startedMs: started.getTime(),
    testListenerUrl: () => ports.smoke.listenerUrl(plan.target.loadBalancer, plan.target.testListenerPort),
    snapshot: () => gatherFailureFacts(ports.diagnostics, where),
  };
  const report = (fields: Partial<DeployReport> & Pick<DeployReport, 'outcome'>): DeployReport => {
    const finished = clock.now();
    return {
      action: plan.action,
      controller: ports.controller.kind,
      attached: false,
      releaseId: plan.release.id,
      digest: plan.release.digest,
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      budgetMs,
      trafficTimeline: [],
      lifecycle: [],
      ...fields,
    };
  };

  /**
   * Follows a deployment to its end without driving it, then the rollback deployment a controller may
   * create when a deployment is stopped with rollback (or fails with auto-rollback): the service stays
   * busy until that one ends too, and a start before then is refused.
   */
  const waitUntilGroupIsFree = async (id: string) => {
    const waitPlan = { ...plan, wait: 'complete' as const };
    const ended = await followDeployment(id, waitPlan, { ...followCtx, drive: false });
    const rollbackId = ended.status.rollback?.rollbackDeploymentId;
    if (rollbackId && rollbackId !== id) {
      event({
        type: 'waiting-for-other',
        deploymentId: rollbackId,
        status: (await ports.controller.status(rollbackId)).phase,
      });
      await followDeployment(rollbackId, waitPlan, { ...followCtx, drive: false });
    }
  };

  if (plan.action === 'refuse') throw inFlightError(plan.inFlightId!, plan, plan.inFlightRelease);
  if (plan.action === 'already-running') return report({ outcome: 'already-running' });

  let previousDeploymentId: string | undefined;
  /** --if-busy wait or supersede, against the deployment of another release that holds the group. */
  const clearTheWay = async (otherId: string, how: 'wait' | 'supersede') => {
    previousDeploymentId = otherId;
    if (how === 'supersede') {
      event({ type: 'superseding', deploymentId: otherId });
      try {
        await ports.controller.stop(otherId, { rollback: true });
      } catch (error) {
        // It ended between the plan and the stop (AWS refuses to stop a completed deployment): nothing is
        // left to supersede. Anything else is a real failure.
        if (!isTerminalPhase((await ports.controller.status(otherId)).phase)) throw error;
      }
    } else {
      event({
        type: 'waiting-for-other',
        deploymentId: otherId,
        status: (await ports.controller.status(otherId)).phase,
      });
    }
    await waitUntilGroupIsFree(otherId);
  };
  if (plan.action === 'wait-then-start') await clearTheWay(plan.inFlightId!, 'wait');
  if (plan.action === 'supersede-then-start') await clearTheWay(plan.inFlightId!, 'supersede');

  let deploymentId: string;
  let attached = plan.action === 'attach';
  let taskDefinitionArn: string | undefined;
  if (attached) {
    deploymentId = plan.inFlightId!;
    event({ type: 'attached', deploymentId, reason: plan.reason });
  } else {
    const definition = plan.taskDefinition;
    let arn: string;
    if ('arn' in definition && typeof definition.arn === 'string') arn = definition.arn;
    else {
      arn = (await ports.taskDefinitions.register(definition as TaskDefinitionInput)).arn;
      event({ type: 'registered', taskDefinitionArn: arn });
    }
    taskDefinitionArn = arn;
    const start = () => ports.controller.start(startInput(plan, arn));
    try {
      deploymentId = await start();
      event({ type: 'started', deploymentId, controller: ports.controller.label });
    } catch (error) {
      // Lost a race with another run: attach when it deploys the same release; otherwise do what
      // --if-busy says, as if that deployment had been in flight when this one was planned.
      if (!isShipgateError(error) || error.code !== 'DEPLOY_IN_FLIGHT') throw error;
      const state = await observeDeployState(plan.target, ports);
      if (!state.inFlight) throw error;
      if (isSameRelease(state.inFlight, plan.release)) {
        deploymentId = state.inFlight.id;
        attached = true;
        event({ type: 'attached', deploymentId, reason: 'another run started this release first' });
      } else if (plan.ifBusy === 'fail') {
        throw inFlightError(state.inFlight.id, plan, state.inFlight.releaseId ?? state.inFlight.digest);
      } else {
        await clearTheWay(state.inFlight.id, plan.ifBusy);
        deploymentId = await start();
        event({ type: 'started', deploymentId, controller: ports.controller.label });
      }
    }
  }

  await options.onDeployment?.(deploymentId, attached ? 'attached' : 'started');
  const followed = await followDeployment(deploymentId, plan, { ...followCtx, drive: true });
  taskDefinitionArn ??= followed.status.taskDefinitionArn;
  const common = {
    deploymentId,
    attached,
    ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
    ...(previousDeploymentId ? { previousDeploymentId } : {}),
    trafficTimeline: followed.trafficTimeline,
    lifecycle: followed.status.lifecycleEvents,
    ...(followed.verification ? { verification: followed.verification } : {}),
  };
  if (followed.trafficMoved) return report({ ...common, outcome: 'traffic-shifted' });
  if (followed.status.phase === 'finished' && !followed.stoppedBecause)
    return report({ ...common, outcome: 'succeeded' });
  const failure = await explain(plan, ports, followed);
  const rolledBack = Boolean(
    followed.stoppedBecause ||
    followed.status.rollback?.message ||
    followed.status.rollback?.rollbackDeploymentId ||
    followed.status.phase === 'stopped',
  );
  return report({ ...common, outcome: rolledBack ? 'rolled-back' : 'failed', failure });
}

/** What starts the plan's deployment (and what a dry run previews). */
export function startInput(plan: DeployPlan, taskDefinitionArn: string): StartDeploymentInput {
  return {
    target: plan.target,
    taskDefinitionArn,
    ...(plan.allAtOnce ? { allAtOnce: true } : {}),
    description:
      plan.description ??
      `shipgate ${plan.release.service} ${plan.release.id} ${plan.release.digest} to ${plan.target.environment}`,
  };
}

async function explain(plan: DeployPlan, ports: DeployPorts, followed: FollowResult): Promise<FailureExplanation> {
  const now = await gatherFailureFacts(ports.diagnostics, {
    cluster: plan.target.cluster,
    service: plan.target.ecsService,
    targetGroups: [...plan.target.targetGroups],
    alarms: plan.target.deploy.alarms,
  });
  const before = followed.factsAtStop;
  // Only the tasks of the release being deployed explain its failure.
  const mine = (tasks: typeof now.stoppedTasks) =>
    tasks.filter(
      (t) =>
        !followed.status.taskDefinitionArn ||
        !t.taskDefinitionArn ||
        t.taskDefinitionArn === followed.status.taskDefinitionArn,
    );
  const stopped = mine(now.stoppedTasks);
  return explainFailure({
    status: followed.status,
    controller: ports.controller.label,
    targetHealth: pickTargetHealth([
      before?.targetHealth,
      now.targetHealth,
      followed.replacementHealth ? [followed.replacementHealth] : undefined,
    ]),
    stoppedTasks: stopped.length ? stopped : mine(before?.stoppedTasks ?? []),
    alarms: [...new Set([...(before?.alarms ?? []), ...now.alarms])],
    ...(followed.verification ? { verification: followed.verification } : {}),
    ...(followed.stoppedBecause ? { stoppedBecause: followed.stoppedBecause } : {}),
    maxGreenWeight: followed.maxGreenWeight,
  });
}

/** The first target-health reading that shows unhealthy targets (the stop empties the groups). */
function pickTargetHealth(readings: (TargetHealthReport[] | undefined)[]): TargetHealthReport[] {
  return (
    readings.find((r) => r?.some((g) => g.unhealthy.some((u) => u.state === 'unhealthy'))) ??
    readings.find((r) => r?.some((g) => g.unhealthy.length)) ??
    readings.find((r) => r) ??
    []
  );
}

function inFlightError(id: string, plan: DeployPlan, what?: string): ShipgateError {
  return new ShipgateError(
    'DEPLOY_IN_FLIGHT',
    `expected no active deployment of ${plan.target.service} in ${plan.target.environment}, found ${id}${what ? ` deploying ${what}` : ''}`,
    {
      hint: `Wait for ${id} to finish, or re-run with --if-busy wait (queue behind it) or --if-busy supersede (stop it with rollback first).`,
      details: { deploymentId: id },
    },
  );
}
