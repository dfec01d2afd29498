/**
 * What bootstrap reads and creates: cluster, load balancer, listeners, target groups, the ECS service,
 * the CodeDeploy application and deployment group, alarms. Each `describe` returns undefined when
 * the resource is missing; each `create` is only called for missing resources.
 */

/** A target group's settings that bootstrap converges. */
export interface TargetGroupSpec {
  name: string;
  port: number;
  healthCheckPath: string;
  healthCheckIntervalSeconds: number;
  healthCheckTimeoutSeconds: number;
  healthyThreshold: number;
  unhealthyThreshold: number;
  deregistrationDelaySeconds: number;
}

/** A target group as it exists. */
export interface TargetGroupView extends TargetGroupSpec {
  arn: string;
}

/** A listener as it exists. */
export interface ListenerView {
  arn: string;
  port: number;
  targetGroupArns: string[];
}

/** The ECS service bootstrap creates. */
export interface ServiceSpec {
  cluster: string;
  service: string;
  taskDefinitionArn: string;
  desiredCount: number;
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

/** What shipgate sets on a CodeDeploy deployment group (compared field by field to converge). */
export interface DeploymentGroupSpec {
  application: string;
  deploymentGroup: string;
  serviceRoleArn: string;
  deploymentConfig: string;
  cluster: string;
  service: string;
  targetGroups: [string, string];
  productionListenerArn: string;
  testListenerArn: string;
  readyAction: 'STOP_DEPLOYMENT' | 'CONTINUE_DEPLOYMENT';
  readyWaitMinutes: number;
  terminationWaitMinutes: number;
  autoRollbackEvents: string[];
  alarms: string[];
}

/** Network settings an AWS load balancer, target group and awsvpc service need (none on local-cloud). */
export interface NetworkSettings {
  vpcId?: string;
  subnets?: string[];
  securityGroups?: string[];
}

/** The infrastructure calls of bootstrap. */
export interface InfraPort {
  clusterExists(name: string): Promise<boolean>;
  createCluster(name: string): Promise<void>;
  describeLoadBalancer(name: string): Promise<{ arn: string; dnsName: string } | undefined>;
  createLoadBalancer(name: string, network: NetworkSettings): Promise<{ arn: string; dnsName: string }>;
  describeTargetGroup(name: string): Promise<TargetGroupView | undefined>;
  createTargetGroup(spec: TargetGroupSpec, network: NetworkSettings): Promise<TargetGroupView>;
  updateTargetGroup(arn: string, spec: TargetGroupSpec): Promise<void>;
  describeListeners(loadBalancerArn: string): Promise<ListenerView[]>;
  createListener(loadBalancerArn: string, port: number, targetGroupArn: string): Promise<ListenerView>;
  describeService(
    cluster: string,
    service: string,
  ): Promise<{ taskDefinitionArn?: string; desiredCount: number; controller?: string } | undefined>;
  createService(spec: ServiceSpec, network: NetworkSettings): Promise<void>;
  updateDesiredCount(cluster: string, service: string, desiredCount: number): Promise<void>;
  applicationExists(name: string): Promise<boolean>;
  createApplication(name: string): Promise<void>;
  describeDeploymentGroup(application: string, group: string): Promise<DeploymentGroupSpec | undefined>;
  createDeploymentGroup(spec: DeploymentGroupSpec): Promise<void>;
  updateDeploymentGroup(spec: DeploymentGroupSpec): Promise<void>;
  /** Of these alarm names, the ones that exist. */
  existingAlarms(names: string[]): Promise<string[]>;
  /** Creates a 5xx alarm on the load balancer (local-cloud only; on AWS alarms are the owner's). */
  createAlarm(name: string, loadBalancerArn: string): Promise<void>;
}
