import type { ServiceTarget } from '@shipgate/model';
import type { TrafficRouting } from './deploy-budget';

/**
 * What bootstrap reads and creates: cluster, load balancer, listeners, target groups, the ECS service,
 * the CodeDeploy application and deployment group (CodeDeploy controller) or the listener rules
 * (ECS-native controller), alarms. Each `describe` returns undefined when
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

/** One weighted target group of a listener rule's forward action. */
export interface ForwardWeight {
  targetGroupArn: string;
  weight: number;
}

/** A listener rule as it exists. */
export interface ListenerRuleView {
  arn: string;
  /** `default` for the listener's default rule, else a number as text (ELBv2's own form). */
  priority: string;
  isDefault: boolean;
  forward: ForwardWeight[];
}

/** The ARNs an ECS-native service's load balancer entry names (advancedConfiguration). */
export interface EcsTrafficResources {
  /** The target group production traffic starts on (the config's blue). */
  targetGroupArn: string;
  /** The other one, where each replacement starts. */
  alternateTargetGroupArn: string;
  productionListenerRuleArn: string;
  testListenerRuleArn: string;
  /** The infrastructure role that lets ECS change the listener rules. */
  roleArn: string;
}

/** What an ECS-native service runs with, as far as bootstrap converges it. */
export interface EcsServiceSettings {
  /** BLUE_GREEN, LINEAR or CANARY. */
  strategy?: string;
  /** The lifecycle stages with a PAUSE hook. */
  pauseStages: string[];
  bakeTimeInMinutes?: number;
  alarms: string[];
  resources?: Partial<EcsTrafficResources>;
}

/** What makes an ECS-native service: the traffic resources and how it moves traffic. */
export interface EcsServiceSpec {
  target: ServiceTarget;
  resources: EcsTrafficResources;
  routing: TrafficRouting;
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
  ): Promise<
    { taskDefinitionArn?: string; desiredCount: number; controller?: string; ecs?: EcsServiceSettings } | undefined
  >;
  /** Creates the service with the CODE_DEPLOY controller, or with the ECS controller when `ecs` is given. */
  createService(spec: ServiceSpec & { ecs?: EcsServiceSpec }, network: NetworkSettings): Promise<void>;
  /** The rules of a listener, its default rule included. */
  describeListenerRules(listenerArn: string): Promise<ListenerRuleView[]>;
  createListenerRule(listenerArn: string, priority: number, forward: ForwardWeight[]): Promise<ListenerRuleView>;
  /**
   * Moves an existing CODE_DEPLOY service to the ECS controller in place (UpdateService with the ECS controller,
   * its deployment configuration and the load balancer's advanced configuration), as AWS documents the migration.
   */
  migrateServiceToEcs(spec: EcsServiceSpec): Promise<void>;
  /** Sets an ECS-native service's deployment configuration (no new deployment: ECS applies it to the next one). */
  updateEcsDeploymentConfiguration(spec: Omit<EcsServiceSpec, 'resources'>): Promise<void>;
  updateDesiredCount(cluster: string, service: string, desiredCount: number): Promise<void>;
  applicationExists(name: string): Promise<boolean>;
  createApplication(name: string): Promise<void>;
  describeDeploymentGroup(application: string, group: string): Promise<DeploymentGroupSpec | undefined>;
  /** The CodeDeploy deployment of the group in flight, if any (undefined also when the group does not exist). */
  activeCodeDeployDeployment(application: string, group: string): Promise<string | undefined>;
  createDeploymentGroup(spec: DeploymentGroupSpec): Promise<void>;
  updateDeploymentGroup(spec: DeploymentGroupSpec): Promise<void>;
  /** Of these alarm names, the ones that exist. */
  existingAlarms(names: string[]): Promise<string[]>;
  /** Creates a 5xx alarm on the load balancer (local-cloud only; on AWS alarms are the owner's). */
  createAlarm(name: string, loadBalancerArn: string): Promise<void>;
}
