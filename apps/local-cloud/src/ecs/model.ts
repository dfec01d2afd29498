import type { ContainerProcess } from '../runtime/container-process';

/** An ECS cluster. */
export interface Cluster {
  arn: string;
  name: string;
  createdAt: Date;
  tags: Tag[];
}

/** ECS tags (`key`/`value`, lowercase as ECS spells them). */
export interface Tag {
  key: string;
  value: string;
}

/** A container definition; `raw` keeps what was registered so that it is echoed back unchanged. */
export interface ContainerDef {
  name: string;
  image: string;
  essential: boolean;
  environment: { name: string; value: string }[];
  portMappings: { containerPort: number; hostPort?: number; protocol?: string }[];
  stopTimeout: number | undefined;
  command: string[] | undefined;
  raw: Record<string, unknown>;
}

/** A task definition revision. */
export interface TaskDefinition {
  arn: string;
  family: string;
  revision: number;
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  containers: ContainerDef[];
  /** The registered top-level fields (networkMode, cpu, memory, roles, compatibilities…). */
  fields: Record<string, unknown>;
  registeredAt: Date;
  deregisteredAt: Date | undefined;
  tags: Tag[];
}

/** ECS-native blue/green settings of a load balancer binding (AWS's `advancedConfiguration`). */
export interface AdvancedConfiguration {
  alternateTargetGroupArn: string;
  productionListenerRule: string;
  testListenerRule?: string;
  roleArn: string;
}

/** A load balancer binding of a service. */
export interface ServiceLoadBalancer {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
  advancedConfiguration?: AdvancedConfiguration;
}

/** Task lifecycle states, as ECS names them. */
export type TaskStatus =
  'PROVISIONING' | 'PENDING' | 'ACTIVATING' | 'RUNNING' | 'DEACTIVATING' | 'STOPPING' | 'DEPROVISIONING' | 'STOPPED';

/** A running (or stopped) container of a task. */
export interface ContainerState {
  arn: string;
  def: ContainerDef;
  lastStatus: string;
  exitCode: number | undefined;
  reason: string | undefined;
  hostPort: number | undefined;
  process: ContainerProcess | undefined;
}

/** A task: real child processes, one per container. */
export interface Task {
  arn: string;
  id: string;
  clusterName: string;
  clusterArn: string;
  taskDefinitionArn: string;
  group: string;
  startedBy: string | undefined;
  launchType: string;
  lastStatus: TaskStatus;
  desiredStatus: 'RUNNING' | 'STOPPED';
  createdAt: Date;
  startedAt: Date | undefined;
  stoppingAt: Date | undefined;
  stoppedAt: Date | undefined;
  stoppedReason: string | undefined;
  stopCode: string | undefined;
  containers: ContainerState[];
  imageDigest: string | undefined;
  /** Where the task is registered as a target (target group + the host port of the load-balanced container). */
  target: { targetGroupArn: string; port: number } | undefined;
  version: number;
  tags: Tag[];
}

/** A set of tasks of one task definition in a service: an ECS deployment or a task set. */
export interface TaskGroup {
  kind: 'deployment' | 'taskSet';
  id: string;
  arn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  taskDefinitionArn: string;
  /** Task sets: scale in percent; deployments: 100. */
  scale: number;
  /** Deployments: the count the scheduler currently aims at. */
  desiredOverride: number | undefined;
  loadBalancer: ServiceLoadBalancer | undefined;
  externalId: string | undefined;
  tasks: Task[];
  stoppedTasks: Task[];
  createdAt: Date;
  updatedAt: Date;
  /** Consecutive task failures, for the restart backoff. */
  failures: number;
  nextStartAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
}

/** An ECS service. */
export interface Service {
  arn: string;
  name: string;
  clusterName: string;
  clusterArn: string;
  status: 'ACTIVE' | 'DRAINING' | 'INACTIVE';
  desiredCount: number;
  taskDefinitionArn: string;
  deploymentController: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  loadBalancers: ServiceLoadBalancer[];
  launchType: string;
  fields: Record<string, unknown>;
  groups: TaskGroup[];
  events: { id: string; createdAt: Date; message: string }[];
  createdAt: Date;
  tags: Tag[];
}
