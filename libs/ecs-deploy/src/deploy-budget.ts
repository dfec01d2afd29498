import { ecsTrafficShift, fastRollbackWindow, parseDuration, type DeploySettings } from '@shipgate/model';

/** How a deployment moves production traffic: at once, a canary then the rest, or linear steps (percent may be fractional). */
export type TrafficRouting =
  | { type: 'all-at-once' }
  | { type: 'canary'; percent: number; intervalMinutes: number }
  | { type: 'linear'; percent: number; intervalMinutes: number };

/** How an ECS-native environment's strategy moves traffic (its config says it all; nothing to read from AWS). */
export function ecsTrafficRouting(deploy: DeploySettings): TrafficRouting {
  const shift = ecsTrafficShift(deploy);
  const minutes = (text: string) => parseDuration(text) / 60_000;
  if (shift.strategy === 'LINEAR')
    return { type: 'linear', percent: shift.stepPercent, intervalMinutes: minutes(shift.stepBakeTime) };
  if (shift.strategy === 'CANARY')
    return { type: 'canary', percent: shift.percent, intervalMinutes: minutes(shift.bakeTime) };
  return { type: 'all-at-once' };
}

/** The time budget of one deploy, each part in real milliseconds. */
export interface DeployBudget {
  /** Tasks starting and passing health checks (never compressed: health checks are real). */
  replacementMs: number;
  readinessWaitMs: number;
  trafficShiftMs: number;
  /** The bake (termination wait): the original stays up after all traffic moved. */
  bakeMs: number;
  /** Deregistration delay of the original targets (real time). */
  drainMs: number;
  marginMs: number;
  /** Until production traffic has fully moved (`--wait traffic`). */
  untilTrafficMs: number;
  /** Until the deployment has succeeded (`--wait complete`). */
  totalMs: number;
  /** Controller minutes per real minute (1 on AWS). */
  timeScale: number;
}

/** What the budget needs beyond the deploy settings. */
export interface BudgetOptions {
  /** local-cloud's time compression; 1 (the default) on AWS. */
  timeScale?: number;
  /** Time for a task to start before its first health check (image pull, boot). Default 120 s. */
  taskStartMs?: number;
  /** How this deployment shifts traffic, as the controller defines it (a rollback redeploy: all at once). */
  routing: TrafficRouting;
}

/**
 * The deadline of a deploy, computed from the configuration: replacement start + health-check floor,
 * readiness wait, traffic shifting per the strategy, bake (termination wait), drain, and a margin.
 * The controller's waits are divided by the time scale; task start and health checks are not.
 */
export function computeDeployBudget(settings: DeploySettings, options: BudgetOptions): DeployBudget {
  const scale = options.timeScale ?? 1;
  const scaled = (ms: number) => Math.ceil(ms / scale);
  const hc = settings.healthCheck;
  const healthFloor = parseDuration(hc.interval) * hc.healthyThreshold + parseDuration(hc.timeout);
  const replacementMs = (options.taskStartMs ?? 120_000) + 3 * healthFloor;
  const routing = options.routing;
  const minute = 60_000;
  const shiftMinutes =
    routing.type === 'all-at-once'
      ? 0
      : routing.type === 'canary'
        ? routing.intervalMinutes
        : // The last step needs no wait; a fractional percent (ECS allows 0.1 steps) still takes whole steps.
          (Math.ceil(100 / routing.percent - 1e-9) - 1) * routing.intervalMinutes;
  const readinessWaitMs = scaled(parseDuration(settings.readinessWait));
  const trafficShiftMs = scaled(shiftMinutes * minute);
  const bakeMs = scaled(parseDuration(fastRollbackWindow(settings)));
  const drainMs = parseDuration(settings.deregistrationDelay);
  const base = replacementMs + readinessWaitMs + trafficShiftMs + bakeMs + drainMs;
  // Each step of the controller takes a few polls to observe; the margin grows with the number of steps.
  const marginMs = Math.max(30_000, Math.ceil(base * 0.2));
  const untilTrafficMs = replacementMs + readinessWaitMs + trafficShiftMs + marginMs;
  return {
    replacementMs,
    readinessWaitMs,
    trafficShiftMs,
    bakeMs,
    drainMs,
    marginMs,
    untilTrafficMs,
    totalMs: base + marginMs,
    timeScale: scale,
  };
}
