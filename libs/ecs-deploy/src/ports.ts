/**
 * The ports of blue/green deploys, named for what shipgate needs. A deployment starts the replacement
 * beside the original, verifies it through test traffic, shifts production traffic per the strategy,
 * bakes (the original stays up: rollback is instant) and finishes. Each controller is a strategy
 * behind DeploymentControllerPort (src/adapters).
 */

import type { DeployController, ServiceTarget } from '@shipgate/model';
import type { TrafficRouting } from './deploy-budget';

/** A task definition ready to register: the rendered template (RegisterTaskDefinition's input shape). */
export interface TaskDefinitionInput {
  family: string;
  containerDefinitions: ContainerDefinitionInput[];
  [key: string]: unknown;
}

/** One container of a task definition, as far as shipgate reads it. */
export interface ContainerDefinitionInput {
  name: string;
  image: string;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  environment?: { name: string; value: string }[];
  [key: string]: unknown;
}

/** A registered task definition as shipgate reads it back. */
export interface RegisteredTaskDefinition {
  arn: string;
  family: string;
  revision: number;
  containers: { name: string; image: string; environment: Record<string, string> }[];
}

/** Registers and reads task definitions. */
export interface TaskDefinitionPort {
  register(definition: TaskDefinitionInput): Promise<RegisteredTaskDefinition>;
  /** The task definition, or undefined when it does not exist. */
  describe(arn: string): Promise<RegisteredTaskDefinition | undefined>;
}

/** Which controller runs an environment's blue/green deployments (`deploy.controller`). */
export type ControllerKind = DeployController;

/**
 * Where a service's deployments run, as the controllers read it: the ECS service, the controller's
 * own names for it (an application and deployment group), the traffic container, and the deploy settings.
 */
export type DeploymentTarget = Pick<
  ServiceTarget,
  | 'environment'
  | 'service'
  | 'cluster'
  | 'ecsService'
  | 'codeDeployApplication'
  | 'deploymentGroup'
  | 'containerName'
  | 'containerPort'
  | 'deploy'
>;

/**
 * Where a blue/green deployment is, in shipgate's words, whatever controller runs it:
 * - `starting`: the replacement starts beside the original; no traffic reaches it yet.
 * - `verifying`: test traffic reaches the replacement; production traffic is held until shipgate
 *   continues (verification passed) or stops it (the controller's ready wait or pause hook).
 * - `shifting`: production traffic moves to the replacement per the strategy (canary or linear
 *   waits included).
 * - `baking`: all production traffic is on the replacement and the original still runs (bake time,
 *   or termination wait): a rollback is instant.
 * - `finished`: the replacement serves and the original is gone.
 * - `rolling-back`: production traffic is returning to the original.
 * - `stopped`: ended by a stop (with or without rollback) or a rollback; the original serves.
 * - `failed`: ended in failure (the controller rolled back what it could).
 */
export type DeploymentPhase =
  'starting' | 'verifying' | 'shifting' | 'baking' | 'finished' | 'rolling-back' | 'stopped' | 'failed';

/** Phases after which a deployment changes no more. */
export const terminalPhases: ReadonlySet<DeploymentPhase> = new Set<DeploymentPhase>(['finished', 'stopped', 'failed']);

/** True when the deployment has ended (finished, stopped or failed). */
export function isTerminalPhase(phase: DeploymentPhase): boolean {
  return terminalPhases.has(phase);
}

/** What `finish now` can skip: the waits between traffic-shift steps, or the bake / termination wait. */
export type SkippableWait = 'shift' | 'bake';

/** What starts one blue/green deployment. */
export interface StartDeploymentInput {
  target: DeploymentTarget;
  taskDefinitionArn: string;
  /** Shift all production traffic at once, whatever the environment's strategy (rollback redeploys). */
  allAtOnce?: boolean;
  /** Up to 100 characters are kept; shipgate's own rollbacks start with ROLLBACK_DESCRIPTION_PREFIX. */
  description: string;
}

/** One step of the controller's own progress (a lifecycle event or stage, as the controller names it). */
export interface LifecycleEventView {
  name: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
  startedAt?: Date;
  endedAt?: Date;
  diagnostics?: { code?: string; message?: string; logTail?: string };
}

/** One side of a blue/green deployment with its share of production traffic (percent): a task set or a service revision. */
export interface DeploymentSide {
  id: string;
  /** `Blue` is the original, `Green` the replacement. */
  label: 'Blue' | 'Green';
  trafficWeight: number;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  status?: string;
  targetGroup?: string;
}

/** Everything shipgate reads about one deployment, whatever controller runs it. */
export interface DeploymentView {
  id: string;
  phase: DeploymentPhase;
  /** The controller's own word for its state (`Ready`, `IN_PROGRESS`), for people and diagnostics. */
  controllerStatus: string;
  /** The task definition the deployment installs. */
  taskDefinitionArn?: string;
  description?: string;
  /** The controller's name for how it shifts traffic (a deployment configuration, a strategy). */
  strategy?: string;
  lifecycleEvents: LifecycleEventView[];
  /** The original and the replacement, with their traffic weights (empty before the replacement exists). */
  sides: DeploymentSide[];
  error?: { code?: string; message?: string };
  /**
   * Set when the deployment was rolled back (`rollbackDeploymentId`: the separate deployment some
   * controllers create to roll back) or is itself the controller's rollback of another (`triggeringDeploymentId`).
   */
  rollback?: { rollbackDeploymentId?: string; triggeringDeploymentId?: string; message?: string };
  createdAt?: Date;
  completedAt?: Date;
}

/** Starts, follows, continues, stops and finishes blue/green deployments: one strategy per controller (src/adapters). */
export interface DeploymentControllerPort {
  readonly kind: ControllerKind;
  /** The controller's name for people, as in "<label> says …". */
  readonly label: string;
  /** Which waits `finishNow` can skip on this controller (some can skip only the bake). */
  readonly skippableWaits: ReadonlySet<SkippableWait>;
  /** Starts a deployment; returns the controller's id. Throws DEPLOY_IN_FLIGHT when one is already active. */
  start(input: StartDeploymentInput): Promise<string>;
  /** What `start` would send to the controller, for dry runs. Pure. */
  preview(input: StartDeploymentInput): Record<string, unknown>;
  status(id: string): Promise<DeploymentView>;
  /** Verification passed (phase `verifying`): let production traffic shift now. */
  continue(id: string): Promise<void>;
  /** Ends the deployment; with `rollback: true` production traffic returns to the original. */
  stop(id: string, options: { rollback: boolean }): Promise<void>;
  /** Skips what is left of `wait` now (the deployment must be in it: `shift` while shifting, `bake` while baking). */
  finishNow(id: string, wait: SkippableWait): Promise<void>;
  /** The active deployment of the service, if any (including one in its bake / termination wait). */
  inFlight(target: DeploymentTarget): Promise<string | undefined>;
  /**
   * How the environment's strategy moves production traffic, as the controller defines it (a custom
   * configuration is read from the controller). Throws CONFIG_INVALID when it has none by that name.
   */
  trafficRouting(target: DeploymentTarget): Promise<TrafficRouting>;
}

/** What ECS says the service runs now. */
export interface ServiceView {
  taskDefinitionArn?: string;
  desiredCount: number;
  runningCount: number;
}

/** Reads the ECS service. */
export interface ServicePort {
  /** The service, or undefined when the cluster or service does not exist. */
  describe(cluster: string, service: string): Promise<ServiceView | undefined>;
}

/** One stopped task with why it stopped and what it last printed. */
export interface StoppedTaskReport {
  taskArn: string;
  taskDefinitionArn?: string;
  reason: string;
  exitCode?: number;
  lastOutput: string[];
  /** Where the full output is (a CloudWatch log group on AWS). */
  logHint?: string;
}

/** What explains a failure: target health, stopped tasks, alarms. */
export interface DiagnosticsPort {
  /** Target health of a target group by name: healthy count and the reasons of the others. */
  targetHealth(targetGroup: string): Promise<{
    healthy: number;
    unhealthy: { target: string; state: string; reason?: string; description?: string }[];
  }>;
  /** Recently stopped tasks of the service. */
  stoppedTasks(cluster: string, service: string, limit: number): Promise<StoppedTaskReport[]>;
  /** Of these alarms, the ones in ALARM now. */
  alarmsInAlarm(names: string[]): Promise<string[]>;
}

/** One HTTP answer of a smoke request. */
export interface SmokeAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** HTTP requests through a load balancer's listener. */
export interface SmokePort {
  /** The base URL of the listener on `port` of the load balancer, e.g. `http://lb-dns:8081`. */
  listenerUrl(loadBalancer: string, port: number): Promise<string>;
  /** One GET; network failures resolve to status 0 with the error in the body, never throw. */
  get(url: string, timeoutMs: number): Promise<SmokeAnswer>;
}

/** Everything runDeploy talks to. */
export interface DeployPorts {
  taskDefinitions: TaskDefinitionPort;
  controller: DeploymentControllerPort;
  service: ServicePort;
  diagnostics: DiagnosticsPort;
  smoke: SmokePort;
}
