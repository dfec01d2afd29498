import type { TaskSetView, WeightedTargetGroup } from '../contract';
import type { EcsAppSpec } from './appspec';
import type { DeploymentConfig } from './deployment-configs';
import type { WireObject } from './wire';

/** A CodeDeploy application. */
export interface ApplicationRecord {
  applicationId: string;
  applicationName: string;
  computePlatform: 'ECS' | 'Server' | 'Lambda';
  createTime: Date;
}

export type AutoRollbackEvent = 'DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM' | 'DEPLOYMENT_STOP_ON_REQUEST';

/** What a deployment group tells the engine; deployments take a snapshot of it when created. */
export interface DeploymentGroupSettings {
  deploymentConfigName: string;
  serviceRoleArn: string;
  ecsService: { clusterName: string; serviceName: string };
  targetGroups: [string, string];
  prodListenerArns: string[];
  testListenerArns: string[];
  readyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' | 'STOP_DEPLOYMENT'; waitTimeInMinutes: number };
  termination: { action: 'TERMINATE' | 'KEEP_ALIVE'; terminationWaitTimeInMinutes: number };
  autoRollback: { enabled: boolean; events: AutoRollbackEvent[] };
  alarms: { enabled: boolean; names: string[]; ignorePollAlarmFailure: boolean };
}

/** A deployment's summary as `lastSuccessfulDeployment` / `lastAttemptedDeployment` show it. */
export interface LastDeployment {
  deploymentId: string;
  status: DeploymentStatus;
  createTime: Date;
  endTime?: Date;
}

/** A deployment group for ECS blue/green. */
export interface DeploymentGroupRecord extends DeploymentGroupSettings {
  applicationName: string;
  deploymentGroupId: string;
  deploymentGroupName: string;
  lastSuccessful?: LastDeployment;
  lastAttempted?: LastDeployment;
  targetRevision?: WireObject;
}

export type DeploymentStatus =
  'Created' | 'Queued' | 'InProgress' | 'Baking' | 'Ready' | 'Succeeded' | 'Failed' | 'Stopped';
export type LifecycleStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Unknown';
export type TargetStatus = 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' | 'Skipped' | 'Ready' | 'Unknown';

/** The ECS lifecycle events, in the order CodeDeploy runs them. */
export const ECS_LIFECYCLE_EVENTS = [
  'BeforeInstall',
  'Install',
  'AfterInstall',
  'AllowTestTraffic',
  'AfterAllowTestTraffic',
  'BeforeAllowTraffic',
  'AllowTraffic',
  'AfterAllowTraffic',
] as const;
export type EcsLifecycleEventName = (typeof ECS_LIFECYCLE_EVENTS)[number];

export interface LifecycleEventRecord {
  name: EcsLifecycleEventName;
  status: LifecycleStatus;
  startTime?: Date;
  endTime?: Date;
  diagnostics?: { errorCode: string; message: string };
}

/** A task set the deployment created or found; `last` is its latest view (kept after it is deleted). */
export interface TaskSetRef {
  taskSetArn: string;
  targetGroupArn: string;
  targetGroupName: string;
  label: 'Blue' | 'Green';
  last: TaskSetView;
  deleted: boolean;
}

/** Where the engine is; decides which calls (Stop, Continue) are valid now. */
export type DeploymentPhase =
  'starting' | 'installing' | 'ready-wait' | 'shifting' | 'termination-wait' | 'terminating' | 'rolling-back' | 'done';

export type DeploymentCreator = 'user' | 'codeDeployRollback';

/** One deployment and its ECS target. */
export interface DeploymentRecord {
  deploymentId: string;
  applicationName: string;
  deploymentGroupName: string;
  config: DeploymentConfig;
  settings: DeploymentGroupSettings;
  revision: WireObject;
  previousRevision?: WireObject;
  appSpec: EcsAppSpec;
  description?: string;
  creator: DeploymentCreator;
  status: DeploymentStatus;
  createTime: Date;
  startTime?: Date;
  completeTime?: Date;
  errorInformation?: { code: string; message: string };
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  statusMessages: string[];
  instanceTerminationWaitTimeStarted: boolean;
  phase: DeploymentPhase;
  target: {
    targetId: string;
    targetArn: string;
    status: TargetStatus;
    lastUpdatedAt: Date;
    events: LifecycleEventRecord[];
    blue?: TaskSetRef;
    green?: TaskSetRef;
    /** Percent of production traffic on the green (replacement) task set. */
    greenWeight: number;
  };
  /** Listener forward actions as they were before this deployment touched them, for rollback. */
  listenersBefore: { listenerArn: string; targetGroups: WeightedTargetGroup[] }[];
  /** Whether the service's primary task set was switched to green. */
  primarySwitched: boolean;
  waiter?: { type: 'READY_WAIT' | 'TERMINATION_WAIT'; resolve: () => void };
  controller: AbortController;
}

/** True once a deployment can no longer change. */
export function isComplete(status: DeploymentStatus): boolean {
  return status === 'Succeeded' || status === 'Failed' || status === 'Stopped';
}
