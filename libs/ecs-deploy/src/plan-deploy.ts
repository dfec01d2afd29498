import { ShipgateError, type Release, type ServiceTarget } from '@shipgate/model';
import { computeDeployBudget, type DeployBudget, type TrafficRouting } from './deploy-budget';
import type { DeploymentPhase, TaskDefinitionInput } from './ports';

/** What runs and what is in flight for one service in one environment, as observed before deciding. */
export interface DeployState {
  /** Undefined when the ECS service does not exist (the environment was never bootstrapped). */
  service?: { taskDefinitionArn?: string; digest?: string; releaseId?: string };
  inFlight?: { id: string; phase: DeploymentPhase; taskDefinitionArn?: string; digest?: string; releaseId?: string };
  /** How the environment's strategy shifts production traffic, as its controller defines it. */
  routing: TrafficRouting;
}

/** What to do when another deployment is active for the group. */
export type IfBusy = 'fail' | 'wait' | 'supersede';

/** What the plan decided. */
export type DeployAction =
  | 'start'
  /** The same release is already being deployed (a re-run after a crash): follow it. */
  | 'attach'
  /** The release already runs and nothing is in flight. */
  | 'already-running'
  /** Another release is in flight and ifBusy is fail. */
  | 'refuse'
  | 'wait-then-start'
  | 'supersede-then-start';

/** Options of a deploy plan. */
export interface PlanDeployOptions {
  ifBusy?: IfBusy;
  wait?: 'complete' | 'traffic';
  /** local-cloud's time scale when known; 1 on AWS. */
  timeScale?: number;
  taskStartMs?: number;
  /** Shift all production traffic at once, whatever the environment's strategy (rollback redeploys). */
  allAtOnce?: boolean;
  /** Deploy even when the release already runs. */
  force?: boolean;
  /** Poll this often instead of the default (rollback polls fast: its time to restore is measured). */
  pollIntervalMs?: number;
  /** Follow this deployment whatever else is observed (a rollback resumed after its run died). */
  attachTo?: { id: string; reason: string };
  /** The deployment's description (default: `shipgate <service> <release> <digest> to <env>`; rollbacks name theirs). */
  description?: string;
}

/** The whole decision of a deploy, before anything changes. A dry run prints it and stops. */
export interface DeployPlan {
  action: DeployAction;
  reason: string;
  target: ServiceTarget;
  /** The image is known for releases from the ledger; a rollback restoring a recorded task definition may lack it. */
  release: Pick<Release, 'id' | 'service' | 'digest'> & { image?: string };
  /** The task definition to register, or the ARN of one already registered (a rollback's recorded one). */
  taskDefinition: TaskDefinitionInput | { arn: string };
  /** Shift all production traffic at once, whatever the environment's strategy. */
  allAtOnce: boolean;
  routing: TrafficRouting;
  budget: DeployBudget;
  wait: 'complete' | 'traffic';
  /** What to do when another release holds the group: at planning, or when another run wins the start. */
  ifBusy: IfBusy;
  /** The deployment attached to, waited for or superseded. */
  inFlightId?: string;
  /** What that deployment deploys (a release id, else its digest), for messages. */
  inFlightRelease?: string;
  verify: { requests: number; path: string; timeoutMs: number };
  pollIntervalMs: number;
  /** The description the deployment starts with, when not the default. */
  description?: string;
}

/** Decides a deploy from the observed state: pure, so every branch is testable without a cloud. */
export function planDeploy(
  state: DeployState,
  release: DeployPlan['release'],
  target: ServiceTarget,
  taskDefinition: TaskDefinitionInput | { arn: string },
  options: PlanDeployOptions = {},
): DeployPlan {
  if (release.service !== target.service) {
    throw new ShipgateError(
      'RELEASE_SERVICE_MISMATCH',
      `expected a release of ${target.service}, found ${release.id} of ${release.service}`,
      { hint: `Pick a release of ${target.service} (\`shipgate release list --service ${target.service}\`).` },
    );
  }
  if (!state.service) {
    throw new ShipgateError(
      'AWS_NOT_FOUND',
      `expected ECS service ${target.ecsService} in cluster ${target.cluster}, found none`,
      { hint: `Run \`shipgate bootstrap ${target.environment}\` first.` },
    );
  }
  const allAtOnce = options.allAtOnce ?? false;
  const routing: TrafficRouting = allAtOnce ? { type: 'all-at-once' } : state.routing;
  const budget = computeDeployBudget(target.deploy, {
    timeScale: options.timeScale ?? 1,
    routing,
    ...(options.taskStartMs !== undefined ? { taskStartMs: options.taskStartMs } : {}),
  });
  const base = {
    target,
    release,
    taskDefinition,
    allAtOnce,
    routing,
    ...(options.description ? { description: options.description } : {}),
    budget,
    wait: options.wait ?? 'complete',
    ifBusy: options.ifBusy ?? 'fail',
    verify: { requests: target.deploy.verifyRequests, path: target.releasePath, timeoutMs: 5_000 },
    // Poll often enough to catch the readiness wait many times over, never faster than 10 Hz.
    pollIntervalMs: options.pollIntervalMs ?? Math.min(5_000, Math.max(100, Math.floor(budget.readinessWaitMs / 40))),
  };
  if (options.attachTo)
    return { ...base, action: 'attach', inFlightId: options.attachTo.id, reason: options.attachTo.reason };
  const busy = state.inFlight;
  if (busy) {
    if (isSameRelease(busy, release))
      return {
        ...base,
        action: 'attach',
        inFlightId: busy.id,
        reason: `deployment ${busy.id} (${busy.phase}) is already deploying ${release.id}: following it instead of starting a second`,
      };
    const inFlightRelease = busy.releaseId ?? busy.digest ?? 'another release';
    const what = `deployment ${busy.id} (${busy.phase}) is deploying ${inFlightRelease}`;
    switch (options.ifBusy ?? 'fail') {
      case 'fail':
        return {
          ...base,
          action: 'refuse',
          inFlightId: busy.id,
          inFlightRelease,
          reason: `${what}; one deployment per environment and service`,
        };
      case 'wait':
        return {
          ...base,
          action: 'wait-then-start',
          inFlightId: busy.id,
          reason: `${what}: waiting for it to finish, then deploying`,
        };
      case 'supersede':
        return {
          ...base,
          action: 'supersede-then-start',
          inFlightId: busy.id,
          reason: `${what}: stopping it with rollback, then deploying`,
        };
    }
  }
  // Another release of the same image is not running this one: its task definition names the other
  // release, and verification would find the other one answering.
  if (!options.force && isSameRelease(state.service, release)) {
    return {
      ...base,
      action: 'already-running',
      reason: `${target.ecsService} already runs ${release.id} (${state.service.taskDefinitionArn ?? 'its task definition'}) and nothing is in flight`,
    };
  }
  return {
    ...base,
    action: 'start',
    reason: `deploying ${release.id} over ${state.service.releaseId ?? state.service.taskDefinitionArn ?? 'the current release'}`,
  };
}

/**
 * True when an in-flight deployment deploys this very release: the same digest and the same release id
 * (its task definition's SHIPGATE_RELEASE). Two releases of one image differ in id, and each deploy
 * verifies the test listener against its own id, so following the other's deployment would fail it.
 */
export function isSameRelease(
  inFlight: { digest?: string; releaseId?: string },
  release: Pick<Release, 'id' | 'digest'>,
): boolean {
  return inFlight.digest === release.digest && inFlight.releaseId === release.id;
}

/** The digest of the image a task definition runs in its traffic container. */
export function digestOfImage(image: string | undefined): string | undefined {
  return image ? /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1] : undefined;
}
