import { ShipgateError, parseDuration, type DeploySettings } from '@shipgate/model';

/** How CodeDeploy moves production traffic. */
export type TrafficRouting =
  | { type: 'all-at-once' }
  | { type: 'canary'; percent: number; intervalMinutes: number }
  | { type: 'linear'; percent: number; intervalMinutes: number };

/**
 * Whether a deployment configuration is one of CodeDeploy's predefined ones (`CodeDeployDefault.*`),
 * whose routing its name gives. Any other is read from CodeDeploy at deploy time.
 */
export function isPredefinedConfig(deploymentConfig: string): boolean {
  return deploymentConfig.startsWith('CodeDeployDefault.');
}

/** Reads the traffic routing of a CodeDeploy ECS deployment configuration from its name. */
export function trafficRoutingOf(deploymentConfig: string): TrafficRouting {
  if (/AllAtOnce$/.test(deploymentConfig)) return { type: 'all-at-once' };
  const linear = /Linear(\d+)PercentEvery(\d+)Minutes?$/.exec(deploymentConfig);
  if (linear) return { type: 'linear', percent: Number(linear[1]), intervalMinutes: Number(linear[2]) };
  const canary = /Canary(\d+)Percent(\d+)Minutes?$/.exec(deploymentConfig);
  if (canary) return { type: 'canary', percent: Number(canary[1]), intervalMinutes: Number(canary[2]) };
  throw new ShipgateError(
    'CONFIG_INVALID',
    `expected a CodeDeploy ECS deployment configuration named like CodeDeployDefault.ECSAllAtOnce, …ECSLinear10PercentEvery1Minutes or …ECSCanary10Percent5Minutes, found "${deploymentConfig}"`,
    {
      location: { path: 'environments.<env>.deploy.deploymentConfig' },
      hint: 'shipgate reads a custom configuration from CodeDeploy when it deploys; without CodeDeploy (a pure plan), name it after its routing (e.g. MyLinear20PercentEvery2Minutes).',
    },
  );
}

/** The time budget of one deploy, each part in real milliseconds. */
export interface DeployBudget {
  /** Tasks starting and passing health checks (never compressed: health checks are real). */
  replacementMs: number;
  readinessWaitMs: number;
  trafficShiftMs: number;
  terminationWaitMs: number;
  /** Deregistration delay of the original targets (real time). */
  drainMs: number;
  marginMs: number;
  /** Until production traffic has fully moved (`--wait traffic`). */
  untilTrafficMs: number;
  /** Until the deployment has succeeded (`--wait complete`). */
  totalMs: number;
  /** CodeDeploy minutes per real minute (1 on AWS). */
  timeScale: number;
}

/** What the budget needs beyond the deploy settings. */
export interface BudgetOptions {
  /** local-cloud's time compression; 1 (the default) on AWS. */
  timeScale?: number;
  /** Time for a task to start before its first health check (image pull, boot). Default 120 s. */
  taskStartMs?: number;
  /** Overrides the deployment configuration (a rollback redeploy goes all at once). */
  deploymentConfig?: string;
  /** The configuration's routing as CodeDeploy defines it; read from its name when absent. */
  routing?: TrafficRouting;
}

/**
 * The deadline of a deploy, computed from the configuration: replacement start + health-check floor,
 * readiness wait, traffic shifting per the deployment configuration, termination wait, drain, and a
 * margin. CodeDeploy's waits are divided by the time scale; task start and health checks are not.
 */
export function computeDeployBudget(settings: DeploySettings, options: BudgetOptions = {}): DeployBudget {
  const scale = options.timeScale ?? 1;
  const scaled = (ms: number) => Math.ceil(ms / scale);
  const hc = settings.healthCheck;
  const healthFloor = parseDuration(hc.interval) * hc.healthyThreshold + parseDuration(hc.timeout);
  const replacementMs = (options.taskStartMs ?? 120_000) + 3 * healthFloor;
  const routing = options.routing ?? trafficRoutingOf(options.deploymentConfig ?? settings.deploymentConfig);
  const minute = 60_000;
  const shiftMinutes =
    routing.type === 'all-at-once'
      ? 0
      : routing.type === 'canary'
        ? routing.intervalMinutes
        : (Math.ceil(100 / routing.percent) - 1) * routing.intervalMinutes;
  const readinessWaitMs = scaled(parseDuration(settings.readinessWait));
  const trafficShiftMs = scaled(shiftMinutes * minute);
  const terminationWaitMs = scaled(parseDuration(settings.terminationWait));
  const drainMs = parseDuration(settings.deregistrationDelay);
  const base = replacementMs + readinessWaitMs + trafficShiftMs + terminationWaitMs + drainMs;
  // Each step of CodeDeploy takes a few polls to observe; the margin grows with the number of steps.
  const marginMs = Math.max(30_000, Math.ceil(base * 0.2));
  const untilTrafficMs = replacementMs + readinessWaitMs + trafficShiftMs + marginMs;
  return {
    replacementMs,
    readinessWaitMs,
    trafficShiftMs,
    terminationWaitMs,
    drainMs,
    marginMs,
    untilTrafficMs,
    totalMs: base + marginMs,
    timeScale: scale,
  };
}
