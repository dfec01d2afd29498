/**
 * The seam between the two halves of local-cloud:
 *  - the runtime half (HTTP server and protocols, ECS, Elastic Load Balancing v2, tasks as processes, image store)
 *  - the orchestration half (CodeDeploy's ECS blue/green engine, CloudWatch alarms)
 * CodeDeploy in AWS drives ECS task sets and listener rules; here it does so through these in-process
 * interfaces, which the runtime half implements. Nothing in here is reachable over the wire.
 */

/** An error that goes back to the SDK with AWS's error name, HTTP status and message. */
export class AwsError extends Error {
  constructor(
    /** AWS error name, e.g. `ServiceNotFoundException`, `ValidationError`. */
    readonly code: string,
    message: string,
    /** HTTP status; AWS uses 400 for client errors, 500/503 for server errors. */
    readonly status = 400,
    /** Extra fields some errors carry on the wire. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = code;
  }
}

/** Handler for one JSON-protocol operation: the parsed request body in, the response body out. */
export type JsonOperationHandler = (
  input: Record<string, unknown>,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

/** A JSON-protocol service: operation name (e.g. `CreateDeployment`) → handler. */
export type JsonServiceApi = Record<string, JsonOperationHandler>;

/** How CodeDeploy sees an ECS service. */
export interface EcsServiceView {
  serviceArn: string;
  serviceName: string;
  clusterArn: string;
  clusterName: string;
  deploymentController: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
  desiredCount: number;
  taskDefinition: string;
  /** The service's load balancer configuration (first target group is where the initial task set lives). */
  loadBalancers: { targetGroupArn: string; containerName: string; containerPort: number }[];
  taskSets: TaskSetView[];
}

/** One stopped task, as an on-call engineer needs to see it. */
export interface StoppedTaskView {
  taskArn: string;
  stoppedReason: string;
  exitCode?: number;
  /** The last lines the task's process wrote (stdout and stderr interleaved). */
  lastOutput: string[];
}

/** An ECS task set, with what CodeDeploy needs to judge it. */
export interface TaskSetView {
  id: string;
  taskSetArn: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  taskDefinition: string;
  externalId?: string;
  /** Scale in percent of the service's desired count. */
  scale: number;
  computedDesiredCount: number;
  pendingCount: number;
  runningCount: number;
  stabilityStatus: 'STEADY_STATE' | 'STABILIZING';
  targetGroupArn: string;
  /** Targets of this task set that the target group reports healthy. */
  healthyTargets: number;
  /** Target health reasons for targets that are not healthy (e.g. `Target.ResponseCodeMismatch`). */
  unhealthyReasons: string[];
  stoppedTasks: StoppedTaskView[];
  createdAt: Date;
}

/** What CodeDeploy may do to ECS. Implemented by the runtime half. */
export interface EcsControl {
  /** The service, or undefined when the cluster or service does not exist. */
  getService(clusterName: string, serviceName: string): EcsServiceView | undefined;
  /** Starts a task set (tasks start at once; each is registered in the target group when running). */
  createTaskSet(input: {
    clusterName: string;
    serviceName: string;
    taskDefinition: string;
    targetGroupArn: string;
    containerName: string;
    containerPort: number;
    scale: number;
    externalId?: string;
  }): TaskSetView;
  describeTaskSet(taskSetArn: string): TaskSetView | undefined;
  /** Makes the task set the service's primary: the service's taskDefinition becomes the task set's. */
  setPrimaryTaskSet(clusterName: string, serviceName: string, taskSetArn: string): void;
  /** Deregisters the task set's targets (with the target group's deregistration delay) and stops its tasks. */
  deleteTaskSet(taskSetArn: string): Promise<void>;
}

/** One weighted target group of a listener's forward action. */
export interface WeightedTargetGroup {
  targetGroupArn: string;
  weight: number;
}

/** What CodeDeploy may do to Elastic Load Balancing v2. Implemented by the runtime half. */
export interface ElbControl {
  /** Looks a target group up by name (CodeDeploy names target groups, not ARNs). */
  findTargetGroupByName(name: string): { targetGroupArn: string; name: string } | undefined;
  /** The listener's default forward action, or undefined when there is no such listener. */
  getListener(
    listenerArn: string,
  ): { listenerArn: string; port: number; targetGroups: WeightedTargetGroup[] } | undefined;
  /** Replaces the listener's default forward action with these weights (new connections follow at once). */
  setListenerWeights(listenerArn: string, targetGroups: WeightedTargetGroup[]): void;
}

/** What ECS-native blue/green may do to listener rules. Implemented by the runtime half. */
export interface ElbRuleControl {
  /** A listener rule's forward action (a default rule's is its listener's), or undefined when there is no such rule. */
  getRule(ruleArn: string): { ruleArn: string; listenerArn: string; targetGroups: WeightedTargetGroup[] } | undefined;
  /** Replaces a listener rule's forward action with these weights (requests after this follow them). */
  setRuleWeights(ruleArn: string, targetGroups: WeightedTargetGroup[]): void;
}

/** CloudWatch alarm states, as CodeDeploy reads them. Implemented by the orchestration half. */
export interface AlarmControl {
  /** Of these alarm names, the ones whose state is ALARM now. */
  alarmsInAlarm(names: string[]): string[];
}

/**
 * Compressed time for CodeDeploy. `timeScale` 60 makes one CodeDeploy minute last one real second.
 * Health checks and request handling are never scaled.
 */
export interface CloudTime {
  readonly timeScale: number;
  /** Real milliseconds for a duration in CodeDeploy time. */
  scaled(ms: number): number;
  /** Sleep for a duration given in CodeDeploy time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** The time to stamp on what local-cloud reports: wall-clock time, whatever the scale. */
  now(): Date;
}
