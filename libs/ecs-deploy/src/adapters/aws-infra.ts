import { DescribeAlarmsCommand, PutMetricAlarmCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  GetApplicationCommand,
  GetDeploymentGroupCommand,
  UpdateDeploymentGroupCommand,
  type CodeDeployClient,
  type CreateDeploymentGroupCommandInput,
} from '@aws-sdk/client-codedeploy';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  UpdateServiceCommand,
  type ECSClient,
} from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  ModifyTargetGroupAttributesCommand,
  ModifyTargetGroupCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type {
  DeploymentGroupSpec,
  EcsServiceSpec,
  InfraPort,
  ListenerView,
  NetworkSettings,
  ServiceSpec,
  TargetGroupSpec,
  TargetGroupView,
} from '../infra-port';
import { desiredAlarm } from '../alarm-spec';
import type { AwsCallContext } from './aws-errors';
import { EcsNativeInfra, ecsServiceSettings } from './ecs-native-infra';
import { ecsDeploymentConfiguration, ecsLoadBalancers } from './ecs-native-settings';

/** The clients bootstrap uses. */
export interface InfraClients {
  ecs: ECSClient;
  codedeploy: CodeDeployClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
}

/** Bootstrap's calls, through the AWS SDK v3 (the same calls against local-cloud and AWS). */
export class AwsInfra extends EcsNativeInfra implements InfraPort {
  // The ECS-native calls (listener rules, migration, deployment configuration) come from EcsNativeInfra.
  constructor(
    protected override readonly c: InfraClients,
    context: AwsCallContext = {},
  ) {
    super(c, context);
  }

  async clusterExists(name: string): Promise<boolean> {
    const out = await this.call('ECS DescribeClusters', () =>
      this.c.ecs.send(new DescribeClustersCommand({ clusters: [name] })),
    );
    return (out.clusters ?? []).some((c) => c.status === 'ACTIVE');
  }

  async createCluster(name: string): Promise<void> {
    await this.call('ECS CreateCluster', () => this.c.ecs.send(new CreateClusterCommand({ clusterName: name })));
  }

  async describeLoadBalancer(name: string) {
    const out = await this.orMissing(
      'ELBv2 DescribeLoadBalancers',
      ['LoadBalancerNotFoundException', 'LoadBalancerNotFound'],
      () => this.c.elbv2.send(new DescribeLoadBalancersCommand({ Names: [name] })),
    );
    const lb = out?.LoadBalancers?.[0];
    return lb ? { arn: lb.LoadBalancerArn ?? '', dnsName: lb.DNSName ?? '' } : undefined;
  }

  async createLoadBalancer(name: string, network: NetworkSettings) {
    const out = await this.call('ELBv2 CreateLoadBalancer', () =>
      this.c.elbv2.send(
        new CreateLoadBalancerCommand({
          Name: name,
          Type: 'application',
          ...(network.subnets ? { Subnets: network.subnets } : {}),
          ...(network.securityGroups ? { SecurityGroups: network.securityGroups } : {}),
        }),
      ),
    );
    const lb = out.LoadBalancers?.[0];
    return { arn: lb?.LoadBalancerArn ?? '', dnsName: lb?.DNSName ?? '' };
  }

  async describeTargetGroup(name: string): Promise<TargetGroupView | undefined> {
    const out = await this.orMissing(
      'ELBv2 DescribeTargetGroups',
      ['TargetGroupNotFoundException', 'TargetGroupNotFound'],
      () => this.c.elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] })),
    );
    const tg = out?.TargetGroups?.[0];
    if (!tg) return undefined;
    const attrs = await this.call('ELBv2 DescribeTargetGroupAttributes', () =>
      this.c.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: tg.TargetGroupArn })),
    );
    const delay = attrs.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value;
    return {
      arn: tg.TargetGroupArn ?? '',
      name: tg.TargetGroupName ?? name,
      port: tg.Port ?? 0,
      healthCheckPath: tg.HealthCheckPath ?? '/',
      healthCheckIntervalSeconds: tg.HealthCheckIntervalSeconds ?? 30,
      healthCheckTimeoutSeconds: tg.HealthCheckTimeoutSeconds ?? 5,
      healthyThreshold: tg.HealthyThresholdCount ?? 5,
      unhealthyThreshold: tg.UnhealthyThresholdCount ?? 2,
      deregistrationDelaySeconds: Number(delay ?? 300),
    };
  }

  private healthCheck(spec: TargetGroupSpec) {
    return {
      HealthCheckProtocol: 'HTTP' as const,
      HealthCheckPath: spec.healthCheckPath,
      HealthCheckIntervalSeconds: spec.healthCheckIntervalSeconds,
      HealthCheckTimeoutSeconds: spec.healthCheckTimeoutSeconds,
      HealthyThresholdCount: spec.healthyThreshold,
      UnhealthyThresholdCount: spec.unhealthyThreshold,
      Matcher: { HttpCode: '200' },
    };
  }

  async createTargetGroup(spec: TargetGroupSpec, network: NetworkSettings): Promise<TargetGroupView> {
    const out = await this.call('ELBv2 CreateTargetGroup', () =>
      this.c.elbv2.send(
        new CreateTargetGroupCommand({
          Name: spec.name,
          Protocol: 'HTTP',
          Port: spec.port,
          TargetType: 'ip',
          ...(network.vpcId ? { VpcId: network.vpcId } : {}),
          ...this.healthCheck(spec),
        }),
      ),
    );
    const arn = out.TargetGroups?.[0]?.TargetGroupArn ?? '';
    await this.setDeregistrationDelay(arn, spec.deregistrationDelaySeconds);
    return { ...spec, arn };
  }

  async updateTargetGroup(arn: string, spec: TargetGroupSpec): Promise<void> {
    await this.call('ELBv2 ModifyTargetGroup', () =>
      this.c.elbv2.send(new ModifyTargetGroupCommand({ TargetGroupArn: arn, ...this.healthCheck(spec) })),
    );
    await this.setDeregistrationDelay(arn, spec.deregistrationDelaySeconds);
  }

  private async setDeregistrationDelay(arn: string, seconds: number): Promise<void> {
    await this.call('ELBv2 ModifyTargetGroupAttributes', () =>
      this.c.elbv2.send(
        new ModifyTargetGroupAttributesCommand({
          TargetGroupArn: arn,
          Attributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: String(seconds) }],
        }),
      ),
    );
  }

  async describeListeners(loadBalancerArn: string): Promise<ListenerView[]> {
    const out = await this.call('ELBv2 DescribeListeners', () =>
      this.c.elbv2.send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })),
    );
    return (out.Listeners ?? []).map((l) => ({
      arn: l.ListenerArn ?? '',
      port: l.Port ?? 0,
      targetGroupArns: (l.DefaultActions ?? []).flatMap(
        (a) =>
          a.ForwardConfig?.TargetGroups?.map((t) => t.TargetGroupArn ?? '') ??
          (a.TargetGroupArn ? [a.TargetGroupArn] : []),
      ),
    }));
  }

  async createListener(loadBalancerArn: string, port: number, targetGroupArn: string): Promise<ListenerView> {
    const out = await this.call('ELBv2 CreateListener', () =>
      this.c.elbv2.send(
        new CreateListenerCommand({
          LoadBalancerArn: loadBalancerArn,
          Protocol: 'HTTP',
          Port: port,
          DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
        }),
      ),
    );
    return { arn: out.Listeners?.[0]?.ListenerArn ?? '', port, targetGroupArns: [targetGroupArn] };
  }

  async describeService(cluster: string, service: string) {
    const out = await this.orMissing('ECS DescribeServices', ['ClusterNotFoundException'], () =>
      this.c.ecs.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    const s = out?.services?.find((x) => x.status === 'ACTIVE');
    if (!s) return undefined;
    return {
      ...(s.taskDefinition ? { taskDefinitionArn: s.taskDefinition } : {}),
      desiredCount: s.desiredCount ?? 0,
      ...(s.deploymentController?.type ? { controller: s.deploymentController.type } : {}),
      ...(s.deploymentController?.type === 'ECS' ? { ecs: ecsServiceSettings(s) } : {}),
    };
  }

  async createService(spec: ServiceSpec & { ecs?: EcsServiceSpec }, network: NetworkSettings): Promise<void> {
    const ecs = spec.ecs;
    await this.call('ECS CreateService', () =>
      this.c.ecs.send(
        new CreateServiceCommand({
          cluster: spec.cluster,
          serviceName: spec.service,
          taskDefinition: spec.taskDefinitionArn,
          desiredCount: spec.desiredCount,
          launchType: 'FARGATE',
          ...(ecs
            ? {
                deploymentController: { type: 'ECS' as const },
                deploymentConfiguration: ecsDeploymentConfiguration(ecs.target, ecs.routing),
                loadBalancers: ecsLoadBalancers(ecs.target, ecs.resources),
              }
            : {
                deploymentController: { type: 'CODE_DEPLOY' as const },
                loadBalancers: [
                  {
                    targetGroupArn: spec.targetGroupArn,
                    containerName: spec.containerName,
                    containerPort: spec.containerPort,
                  },
                ],
              }),
          ...(network.subnets
            ? {
                networkConfiguration: {
                  awsvpcConfiguration: {
                    subnets: network.subnets,
                    ...(network.securityGroups ? { securityGroups: network.securityGroups } : {}),
                  },
                },
              }
            : {}),
        }),
      ),
    );
  }

  async updateDesiredCount(cluster: string, service: string, desiredCount: number): Promise<void> {
    await this.call('ECS UpdateService', () =>
      this.c.ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount })),
    );
  }

  async applicationExists(name: string): Promise<boolean> {
    const out = await this.orMissing('CodeDeploy GetApplication', ['ApplicationDoesNotExistException'], () =>
      this.c.codedeploy.send(new GetApplicationCommand({ applicationName: name })),
    );
    return Boolean(out?.application);
  }

  async createApplication(name: string): Promise<void> {
    await this.call('CodeDeploy CreateApplication', () =>
      this.c.codedeploy.send(new CreateApplicationCommand({ applicationName: name, computePlatform: 'ECS' })),
    );
  }

  async describeDeploymentGroup(application: string, group: string): Promise<DeploymentGroupSpec | undefined> {
    const out = await this.orMissing(
      'CodeDeploy GetDeploymentGroup',
      ['ApplicationDoesNotExistException', 'DeploymentGroupDoesNotExistException'],
      () =>
        this.c.codedeploy.send(
          new GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group }),
        ),
    );
    const g = out?.deploymentGroupInfo;
    if (!g) return undefined;
    const pair = g.loadBalancerInfo?.targetGroupPairInfoList?.[0];
    const bg = g.blueGreenDeploymentConfiguration;
    return {
      application,
      deploymentGroup: group,
      serviceRoleArn: g.serviceRoleArn ?? '',
      deploymentConfig: g.deploymentConfigName ?? '',
      cluster: g.ecsServices?.[0]?.clusterName ?? '',
      service: g.ecsServices?.[0]?.serviceName ?? '',
      targetGroups: [pair?.targetGroups?.[0]?.name ?? '', pair?.targetGroups?.[1]?.name ?? ''],
      productionListenerArn: pair?.prodTrafficRoute?.listenerArns?.[0] ?? '',
      testListenerArn: pair?.testTrafficRoute?.listenerArns?.[0] ?? '',
      readyAction: bg?.deploymentReadyOption?.actionOnTimeout ?? 'CONTINUE_DEPLOYMENT',
      readyWaitMinutes: bg?.deploymentReadyOption?.waitTimeInMinutes ?? 0,
      terminationWaitMinutes: bg?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes ?? 0,
      autoRollbackEvents: g.autoRollbackConfiguration?.enabled
        ? [...(g.autoRollbackConfiguration.events ?? [])].sort()
        : [],
      alarms: g.alarmConfiguration?.enabled ? (g.alarmConfiguration.alarms ?? []).map((a) => a.name ?? '') : [],
    };
  }

  private groupInput(
    spec: DeploymentGroupSpec,
  ): Omit<CreateDeploymentGroupCommandInput, 'applicationName' | 'deploymentGroupName'> {
    return {
      serviceRoleArn: spec.serviceRoleArn,
      deploymentConfigName: spec.deploymentConfig,
      deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
      blueGreenDeploymentConfiguration: {
        deploymentReadyOption: { actionOnTimeout: spec.readyAction, waitTimeInMinutes: spec.readyWaitMinutes },
        terminateBlueInstancesOnDeploymentSuccess: {
          action: 'TERMINATE',
          terminationWaitTimeInMinutes: spec.terminationWaitMinutes,
        },
      },
      ecsServices: [{ clusterName: spec.cluster, serviceName: spec.service }],
      loadBalancerInfo: {
        targetGroupPairInfoList: [
          {
            targetGroups: spec.targetGroups.map((name) => ({ name })),
            prodTrafficRoute: { listenerArns: [spec.productionListenerArn] },
            testTrafficRoute: { listenerArns: [spec.testListenerArn] },
          },
        ],
      },
      autoRollbackConfiguration: {
        enabled: spec.autoRollbackEvents.length > 0,
        events: spec.autoRollbackEvents as ('DEPLOYMENT_FAILURE' | 'DEPLOYMENT_STOP_ON_ALARM')[],
      },
      alarmConfiguration: { enabled: spec.alarms.length > 0, alarms: spec.alarms.map((name) => ({ name })) },
    };
  }

  async createDeploymentGroup(spec: DeploymentGroupSpec): Promise<void> {
    await this.call('CodeDeploy CreateDeploymentGroup', () =>
      this.c.codedeploy.send(
        new CreateDeploymentGroupCommand({
          applicationName: spec.application,
          deploymentGroupName: spec.deploymentGroup,
          ...this.groupInput(spec),
        }),
      ),
    );
  }

  async updateDeploymentGroup(spec: DeploymentGroupSpec): Promise<void> {
    await this.call('CodeDeploy UpdateDeploymentGroup', () =>
      this.c.codedeploy.send(
        new UpdateDeploymentGroupCommand({
          applicationName: spec.application,
          currentDeploymentGroupName: spec.deploymentGroup,
          ...this.groupInput(spec),
        }),
      ),
    );
  }

  async existingAlarms(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const out = await this.call('CloudWatch DescribeAlarms', () =>
      this.c.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names })),
    );
    return (out.MetricAlarms ?? []).map((a) => a.AlarmName ?? '');
  }

  async createAlarm(name: string, loadBalancerArn: string): Promise<void> {
    // The LoadBalancer dimension is the ARN's suffix after `loadbalancer/` (app/<name>/<id>).
    const dimension = loadBalancerArn.split(':loadbalancer/')[1] ?? loadBalancerArn;
    const spec = desiredAlarm(name);
    await this.call('CloudWatch PutMetricAlarm', () =>
      this.c.cloudwatch.send(
        new PutMetricAlarmCommand({
          AlarmName: spec.name,
          AlarmDescription: spec.description,
          Namespace: spec.namespace,
          MetricName: spec.metricName,
          Dimensions: [{ Name: 'LoadBalancer', Value: dimension }],
          Statistic: spec.statistic,
          Period: spec.periodSeconds,
          EvaluationPeriods: spec.evaluationPeriods,
          Threshold: spec.threshold,
          ComparisonOperator: spec.comparisonOperator,
          TreatMissingData: spec.treatMissingData,
        }),
      ),
    );
  }
}
