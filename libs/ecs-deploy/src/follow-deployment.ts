import { ShipgateError, formatDuration, isShipgateError, type Clock } from '@shipgate/model';
import type { DeployEvent, TrafficPoint } from './deploy-events';
import type { FailureEvidence, TargetHealthReport } from './explain-failure';
import type { DeployPlan } from './plan-deploy';
import { isTerminalPhase, type DeploymentView, type DeployPorts, type LifecycleEventView } from './ports';
import { verifyReplacement, type VerificationReport } from './verify-replacement';

/** How following ended. */
export interface FollowResult {
  status: DeploymentView;
  /** True when `wait: traffic` returned once production traffic had fully moved. */
  trafficMoved: boolean;
  verification?: VerificationReport;
  /** Why shipgate stopped the deployment itself, if it did. */
  stoppedBecause?: string;
  trafficTimeline: TrafficPoint[];
  maxGreenWeight: number;
  /** Target health and tasks as they were when shipgate decided to stop (the stop removes them). */
  factsAtStop?: Pick<FailureEvidence, 'targetHealth' | 'stoppedTasks' | 'alarms'>;
  /** The last target health of the replacement's target group that had unhealthy targets, seen while it started. */
  replacementHealth?: TargetHealthReport;
}

/** What following needs besides the plan. */
export interface FollowContext {
  ports: DeployPorts;
  clock: Clock;
  sleep: (ms: number) => Promise<void>;
  emit: (event: DeployEvent) => void;
  /** When the whole deploy began (the budget counts from here). */
  startedMs: number;
  /** Verify and continue while `verifying` (false when merely waiting for someone else's deployment). */
  drive: boolean;
  testListenerUrl?: () => Promise<string>;
  /** Gathers the failure facts; called just before shipgate stops a deployment itself. */
  snapshot?: () => Promise<Pick<FailureEvidence, 'targetHealth' | 'stoppedTasks' | 'alarms'>>;
}

/** Percent of production traffic on the original (Blue) and replacement (Green) task sets. */
export function trafficSplit(status: Pick<DeploymentView, 'sides'>): { blue: number; green: number } {
  const blue = status.sides.find((t) => t.label === 'Blue')?.trafficWeight ?? (status.sides.length ? 0 : 100);
  const green = status.sides.find((t) => t.label === 'Green')?.trafficWeight ?? 0;
  return { blue, green };
}

/**
 * Polls one deployment until it ends (or, with `wait: traffic`, until production traffic fully moved),
 * verifying the replacement through the test listener while it is `verifying`. Every wait has the plan's
 * budget as its deadline; the error names it.
 */
export async function followDeployment(id: string, plan: DeployPlan, ctx: FollowContext): Promise<FollowResult> {
  const { ports, clock } = ctx;
  const budgetMs = plan.wait === 'traffic' ? plan.budget.untilTrafficMs : plan.budget.totalMs;
  const elapsed = () => clock.now().getTime() - ctx.startedMs;
  const emit = (event: Record<string, unknown> & { type: DeployEvent['type'] }) =>
    ctx.emit({ ...event, elapsedMs: elapsed(), budgetMs } as DeployEvent);
  const followStart = clock.now().getTime();
  const timeline: TrafficPoint[] = [];
  const seenEvents = new Map<string, string>();
  let lastStatus = '';
  let lastSides = '';
  let maxGreen = 0;
  let verification: VerificationReport | undefined;
  let stoppedBecause: string | undefined;
  let readySeen = false;
  let factsAtStop: FollowResult['factsAtStop'];
  let replacementHealth: TargetHealthReport | undefined;
  let healthCheckedAt = 0;
  let lastHealthLine = '';
  let pollErrors = 0;
  for (;;) {
    let status: DeploymentView;
    try {
      status = await ports.controller.status(id);
      pollErrors = 0;
    } catch (error) {
      // A poll that failed after the SDK's own retries is not the deployment failing: try again at
      // the next poll, within the same deadline, unless the API keeps failing.
      if (!isShipgateError(error) || error.code !== 'AWS_ERROR' || ++pollErrors > 5 || elapsed() > budgetMs)
        throw error;
      emit({ type: 'poll-failed', deploymentId: id, message: error.message, attempt: pollErrors });
      await ctx.sleep(plan.pollIntervalMs * pollErrors);
      continue;
    }
    const seen = `${status.phase}/${status.controllerStatus}`;
    if (seen !== lastStatus) {
      lastStatus = seen;
      emit({ type: 'status', deploymentId: id, phase: status.phase, status: status.controllerStatus });
    }
    for (const event of status.lifecycleEvents) {
      if (seenEvents.get(event.name) !== event.status) {
        seenEvents.set(event.name, event.status);
        if (event.status !== 'Pending') emit({ type: 'lifecycle', deploymentId: id, event });
      }
    }
    const sides = status.sides.map((t) => `${t.label}:${t.runningCount}/${t.desiredCount}`).join(',');
    if (sides && sides !== lastSides) {
      lastSides = sides;
      emit({ type: 'sides', deploymentId: id, sides: status.sides });
    }
    const split = trafficSplit(status);
    const last = timeline[timeline.length - 1];
    if (status.sides.length && (!last || last.blue !== split.blue || last.green !== split.green)) {
      timeline.push({ atMs: elapsed(), ...split });
      emit({ type: 'traffic', deploymentId: id, ...split });
    }
    maxGreen = Math.max(maxGreen, split.green);
    const result = (trafficMoved: boolean): FollowResult => ({
      status,
      trafficMoved,
      ...(verification ? { verification } : {}),
      ...(stoppedBecause ? { stoppedBecause } : {}),
      ...(factsAtStop ? { factsAtStop } : {}),
      ...(replacementHealth ? { replacementHealth } : {}),
      trafficTimeline: timeline,
      maxGreenWeight: maxGreen,
    });
    if (isTerminalPhase(status.phase)) return result(false);
    if (ctx.drive && plan.wait === 'traffic' && !stoppedBecause && (split.green >= 100 || status.phase === 'baking'))
      return result(true);

    if (status.phase === 'verifying') readySeen = true;
    if (ctx.drive && status.phase === 'verifying' && !verification && !stoppedBecause) {
      const base = await ctx.testListenerUrl!();
      emit({ type: 'verifying', deploymentId: id, url: base + plan.verify.path, requests: plan.verify.requests });
      verification = await verifyReplacement(
        ports.smoke,
        base,
        plan.verify.path,
        plan.release.id,
        plan.verify.requests,
        plan.verify.timeoutMs,
      );
      emit({ type: 'verified', deploymentId: id, report: verification });
      if (verification.passed) {
        await continueTolerantly(ports, id);
        emit({ type: 'continued', deploymentId: id, wait: 'ready' });
      } else {
        stoppedBecause = `verification through the test listener failed (${verification.succeeded}/${verification.requests} requests passed)`;
        emit({ type: 'stopping', deploymentId: id, reason: stoppedBecause });
        factsAtStop = await ctx.snapshot?.();
        await stopTolerantly(ports, id);
      }
      continue;
    }
    // The replacement has its own deadline: task start plus the health-check floor, from config.
    const installing = !readySeen && split.green === 0 && status.phase === 'starting';
    // While the replacement starts, watch its target health on every poll: the reasons are
    // what explains a replacement that never gets healthy, and ECS replaces failing tasks as we watch.
    const greenGroup = status.sides.find((t) => t.label === 'Green')?.targetGroup;
    if (ctx.drive && installing && greenGroup && clock.now().getTime() - healthCheckedAt >= plan.pollIntervalMs) {
      healthCheckedAt = clock.now().getTime();
      const health = await ports.diagnostics.targetHealth(greenGroup).catch(() => undefined);
      if (health && health.unhealthy.length) {
        // A reading with failed checks says more than one of targets still in their initial checks.
        const failing = health.unhealthy.some((u) => u.state === 'unhealthy');
        if (failing || !replacementHealth?.unhealthy.some((u) => u.state === 'unhealthy'))
          replacementHealth = { targetGroup: greenGroup, ...health };
        const line = `${health.healthy} healthy; ${[...new Set(health.unhealthy.map((u) => `${u.state}${u.reason ? ` (${u.reason})` : ''}`))].join(', ')}`;
        if (line !== lastHealthLine)
          emit({
            type: 'replacement-health',
            deploymentId: id,
            targetGroup: greenGroup,
            summary: (lastHealthLine = line),
          });
      }
    }
    if (ctx.drive && installing && !stoppedBecause && clock.now().getTime() - followStart > plan.budget.replacementMs) {
      stoppedBecause = `the replacement task set was not healthy within ${formatDuration(plan.budget.replacementMs)} (task start + 3 × the health-check floor)`;
      emit({ type: 'stopping', deploymentId: id, reason: stoppedBecause });
      factsAtStop = await ctx.snapshot?.();
      await stopTolerantly(ports, id);
      continue;
    }
    if (elapsed() > budgetMs) throw timeout(id, plan, status, budgetMs, elapsed());
    await ctx.sleep(plan.pollIntervalMs);
  }
}

async function continueTolerantly(ports: DeployPorts, id: string): Promise<void> {
  try {
    await ports.controller.continue(id);
  } catch (error) {
    // A second follower (a concurrent re-run of the same release) may have continued it first.
    const now = await ports.controller.status(id);
    if (now.phase === 'verifying') throw error;
  }
}

async function stopTolerantly(ports: DeployPorts, id: string): Promise<void> {
  try {
    await ports.controller.stop(id, { rollback: true });
  } catch (error) {
    const now = await ports.controller.status(id);
    if (!isTerminalPhase(now.phase)) throw error;
  }
}

function timeout(
  id: string,
  plan: DeployPlan,
  status: DeploymentView,
  budgetMs: number,
  elapsedMs: number,
): ShipgateError {
  const b = plan.budget;
  const current = [...status.lifecycleEvents]
    .reverse()
    .find((e: LifecycleEventView) => e.status === 'InProgress')?.name;
  const goal = plan.wait === 'traffic' ? 'move all production traffic' : 'complete';
  return new ShipgateError(
    'DEPLOY_TIMEOUT',
    `expected deployment ${id} to ${goal} within ${formatDuration(budgetMs)} (replacement ${formatDuration(b.replacementMs)} + readiness wait ${formatDuration(b.readinessWaitMs)} + traffic shift ${formatDuration(b.trafficShiftMs)}${plan.wait === 'complete' ? ` + bake ${formatDuration(b.bakeMs)} + drain ${formatDuration(b.drainMs)}` : ''} + margin ${formatDuration(b.marginMs)}), found it ${status.phase} (${status.controllerStatus}${current ? ` in ${current}` : ''}) after ${formatDuration(elapsedMs)}`,
    {
      hint: `The deployment is still running. Run the same \`shipgate deploy\` again to follow it, or \`shipgate rollback ${plan.target.environment} --service ${plan.target.service}\` to stop it.`,
      details: { deploymentId: id, budgetMs, elapsedMs, phase: status.phase, status: status.controllerStatus },
    },
  );
}
