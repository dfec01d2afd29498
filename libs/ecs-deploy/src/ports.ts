/**
 * The ports of blue/green deploys, named for what shipgate needs. CodeDeploy implements them first
 * (src/adapters); ECS-native blue/green can implement the same ports later under the same commands.
 */

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

/** Where a blue/green deployment runs. */
export interface DeploymentGroupRef {
  application: string;
  deploymentGroup: string;
}

/** What starts one blue/green deployment. */
export interface StartBlueGreenInput extends DeploymentGroupRef {
  taskDefinitionArn: string;
  /** The AppSpec (JSON text) naming the task definition, container and port. */
  appSpec: string;
  /** Overrides the group's deployment configuration (rollback redeploys use all-at-once). */
  deploymentConfig?: string;
  description: string;
}

/** Controller statuses, as CodeDeploy names them. */
export type ControllerStatus =
  'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped';

/** One lifecycle event of a deployment (BeforeInstall, Install, AfterInstall, AllowTestTraffic, …). */
export interface LifecycleEventView {
  name: string;
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
  startedAt?: Date;
  endedAt?: Date;
  diagnostics?: { code?: string; message?: string; logTail?: string };
}

/** One task set of a deployment with its share of production traffic (percent). */
export interface TaskSetTraffic {
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

/** Everything shipgate reads about one controller deployment. */
export interface BlueGreenStatus {
  id: string;
  status: ControllerStatus;
  /** The task definition the deployment installs (from its AppSpec). */
  taskDefinitionArn?: string;
  description?: string;
  deploymentConfig?: string;
  lifecycleEvents: LifecycleEventView[];
  taskSets: TaskSetTraffic[];
  error?: { code?: string; message?: string };
  rollback?: { rollbackDeploymentId?: string; triggeringDeploymentId?: string; message?: string };
  createdAt?: Date;
  completedAt?: Date;
  /** True once the original task set's termination wait has begun (traffic has fully moved). */
  terminationWaitStarted?: boolean;
}

/** Starts, follows, continues and stops blue/green deployments. */
export interface BlueGreenPort {
  readonly controller: 'codedeploy' | 'ecs';
  /** Starts a deployment; returns the controller's id. Throws DEPLOY_IN_FLIGHT when one is already active. */
  start(input: StartBlueGreenInput): Promise<string>;
  status(id: string): Promise<BlueGreenStatus>;
  /** `ready`: let production traffic move now; `termination`: end the original task set's wait now. */
  continue(id: string, wait: 'ready' | 'termination'): Promise<void>;
  stop(id: string, options: { rollback: boolean }): Promise<void>;
  /** The active deployment of the group, if any. */
  inFlight(group: DeploymentGroupRef): Promise<string | undefined>;
  /** How a deployment configuration moves traffic, as the controller defines it. Throws CONFIG_INVALID when it has none by that name. */
  trafficRouting(deploymentConfig: string): Promise<TrafficRouting>;
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
  blueGreen: BlueGreenPort;
  service: ServicePort;
  diagnostics: DiagnosticsPort;
  smoke: SmokePort;
}
