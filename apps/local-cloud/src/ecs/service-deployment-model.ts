import type { Service, ServiceLoadBalancer } from './model';

/** AWS's service deployment statuses. */
export type ServiceDeploymentStatus =
  | 'PENDING'
  | 'IN_PROGRESS'
  | 'SUCCESSFUL'
  | 'STOP_REQUESTED'
  | 'STOPPED'
  | 'ROLLBACK_REQUESTED'
  | 'ROLLBACK_IN_PROGRESS'
  | 'ROLLBACK_SUCCESSFUL'
  | 'ROLLBACK_FAILED';

/** Every status, for validating ListServiceDeployments' filter. */
export const SERVICE_DEPLOYMENT_STATUSES: readonly ServiceDeploymentStatus[] = [
  'PENDING',
  'IN_PROGRESS',
  'SUCCESSFUL',
  'STOP_REQUESTED',
  'STOPPED',
  'ROLLBACK_REQUESTED',
  'ROLLBACK_IN_PROGRESS',
  'ROLLBACK_SUCCESSFUL',
  'ROLLBACK_FAILED',
];

/** Statuses after which nothing more happens to a deployment. */
export function isFinished(status: ServiceDeploymentStatus): boolean {
  return (
    status === 'SUCCESSFUL' || status === 'STOPPED' || status === 'ROLLBACK_SUCCESSFUL' || status === 'ROLLBACK_FAILED'
  );
}

/** AWS's lifecycle stages of an ECS-native deployment, in the order a blue/green deployment goes through them. */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
  'BAKE_TIME',
  'CLEAN_UP',
] as const;

/** A lifecycle stage. */
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** The stages a lifecycle hook may name (SCALE_UP, BAKE_TIME and CLEAN_UP take none). */
export const HOOK_STAGES: readonly LifecycleStage[] = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
];

/** A lifecycle hook as the service's deployment configuration declares it. */
export interface LifecycleHook {
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  hookTargetArn: string | undefined;
  roleArn: string | undefined;
  lifecycleStages: LifecycleStage[];
  timeoutMinutes: number;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
}

/** One run of a hook during a deployment (DescribeServiceDeployments' `lifecycleHookDetails`). */
export interface HookRun {
  hookId: string;
  stage: LifecycleStage;
  targetType: 'AWS_LAMBDA' | 'PAUSE';
  targetArn: string | undefined;
  status: 'AWAITING_ACTION' | 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  expiresAt: Date | undefined;
  timeoutAction: 'CONTINUE' | 'ROLLBACK';
  /** Set while a PAUSE hook awaits ContinueServiceDeployment. */
  resume: ((action: 'CONTINUE' | 'ROLLBACK') => void) | undefined;
}

/** A service revision: what one deployment runs (task definition, load balancers, network). */
export interface ServiceRevision {
  arn: string;
  service: Service;
  taskDefinitionArn: string;
  loadBalancers: ServiceLoadBalancer[];
  networkConfiguration: unknown;
  platformVersion: string | undefined;
  containerImages: { containerName: string; image: string; imageDigest: string | undefined }[];
  createdAt: Date;
  /** The target group its tasks register in (blue/green: the primary or the alternate one). */
  targetGroupArn: string | undefined;
  /** The task set running it, while it runs. */
  taskSetArn: string | undefined;
  /** The traffic weights last requested for it, in percent. */
  productionWeight: number;
  testWeight: number;
}

/** How a deployment moves production traffic. */
export type Strategy = 'ROLLING' | 'BLUE_GREEN' | 'LINEAR' | 'CANARY';

/** A service deployment: from the source revisions to the target one. */
export interface ServiceDeployment {
  arn: string;
  service: Service;
  strategy: Strategy;
  createdAt: Date;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  stoppedAt: Date | undefined;
  updatedAt: Date;
  source: ServiceRevision[];
  target: ServiceRevision;
  status: ServiceDeploymentStatus;
  statusReason: string | undefined;
  lifecycleStage: LifecycleStage | undefined;
  hooks: HookRun[];
  /** The service's deploymentConfiguration when the deployment started. */
  configuration: Record<string, unknown>;
  rollback: { reason: string; startedAt: Date; serviceRevisionArn: string } | undefined;
  circuitBreaker: { status: MonitorStatus; failureCount: number; threshold: number };
  alarms: { status: MonitorStatus; alarmNames: string[]; triggeredAlarmNames: string[] };
  /** Aborted when the lifecycle must stop (stop, rollback, close). */
  controller: AbortController;
}

/** AWS's status of a deployment's rollback monitors (alarms, circuit breaker). */
export type MonitorStatus = 'DISABLED' | 'MONITORING' | 'MONITORING_COMPLETE' | 'TRIGGERED';
