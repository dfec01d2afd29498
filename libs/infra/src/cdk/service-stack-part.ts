import { CfnParameter, Duration, RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { EnvironmentDescription, ServiceDescription } from '../describe-environment';
import { codeDeployControlled, ecsNativeControlled } from './controllers';
import type { EnvironmentNetwork } from './network';
import { executionRoleName, logGroupName } from './names';

/** What the environment stack shares with each service. */
export interface ServicePartProps {
  env: EnvironmentDescription;
  service: ServiceDescription;
  network: EnvironmentNetwork;
  cluster: ecs.ICluster;
  /** Controller codedeploy: the role CodeDeploy shifts traffic with. */
  codeDeployServiceRole?: iam.IRole;
  /** Controller ecs: the role ECS shifts the listener rules with. */
  infrastructureRole?: iam.IRole;
  accessLogs: s3.IBucket;
  retention: logs.RetentionDays;
}

const camel = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());

/**
 * One service of an environment: its load balancer with the production and the test listener, the
 * blue and green target groups, log group, task execution role, first task definition, and the ECS service
 * under its deployment controller (controllers.ts). Every setting comes from the service's description,
 * which bootstrap converges to on local-cloud.
 */
export class ServicePart extends Construct {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly executionRole: iam.Role;
  readonly productionListener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  /** The resource that must wait for the alarms it names (the deployment group, or the ECS-native service). */
  readonly controlled: CfnResource;

  constructor(scope: Construct, props: ServicePartProps) {
    const { env, service, network } = props;
    const t = service.target;
    super(scope, camel(t.service));

    const lbSecurityGroup =
      network.declaredSecurityGroups?.[0] ??
      new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
        vpc: network.vpc,
        description: `${t.loadBalancer}: production listener public, test listener from the VPC only`,
        allowAllOutbound: false,
      });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      loadBalancerName: t.loadBalancer,
      vpc: network.vpc,
      vpcSubnets: network.loadBalancerSubnets,
      internetFacing: network.owned,
      securityGroup: lbSecurityGroup,
      deletionProtection: env.dataPolicy === 'real',
      dropInvalidHeaderFields: true,
    });
    this.loadBalancer.logAccessLogs(props.accessLogs, `${env.environment}/${t.service}`);

    const [blueSpec, greenSpec] = service.targetGroups;
    const targetGroup = (id: string, spec: typeof blueSpec) =>
      new elbv2.ApplicationTargetGroup(this, id, {
        targetGroupName: spec.name,
        vpc: network.vpc,
        port: spec.port,
        protocol: elbv2.ApplicationProtocol.HTTP,
        targetType: elbv2.TargetType.IP,
        deregistrationDelay: Duration.seconds(spec.deregistrationDelaySeconds),
        healthCheck: {
          path: spec.healthCheckPath,
          interval: Duration.seconds(spec.healthCheckIntervalSeconds),
          timeout: Duration.seconds(spec.healthCheckTimeoutSeconds),
          healthyThresholdCount: spec.healthyThreshold,
          unhealthyThresholdCount: spec.unhealthyThreshold,
        },
      });
    const blue = targetGroup('Blue', blueSpec);
    const green = targetGroup('Green', greenSpec);
    // As bootstrap does: production starts on blue, the test listener on green (so both are health-checked).
    this.productionListener = this.loadBalancer.addListener('ProductionListener', {
      port: t.productionListenerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [blue],
    });
    this.testListener = this.loadBalancer.addListener('TestListener', {
      port: t.testListenerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      open: false,
      defaultTargetGroups: [green],
    });

    const taskSecurityGroup =
      network.declaredSecurityGroups?.[0] ??
      new ec2.SecurityGroup(this, 'TaskSecurityGroup', {
        vpc: network.vpc,
        description: `${t.service} tasks: the container port from the load balancer only`,
        allowAllOutbound: true,
      });
    if (network.owned) {
      lbSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(t.productionListenerPort), 'production traffic');
      lbSecurityGroup.addIngressRule(
        ec2.Peer.ipv4(network.vpc.vpcCidrBlock),
        ec2.Port.tcp(t.testListenerPort),
        'test listener: verification from inside the VPC',
      );
      lbSecurityGroup.addEgressRule(taskSecurityGroup, ec2.Port.tcp(t.containerPort), 'to the tasks');
      taskSecurityGroup.addIngressRule(lbSecurityGroup, ec2.Port.tcp(t.containerPort), 'from the load balancer');
    }

    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: logGroupName(env.project, env.environment, t.service),
      retention: props.retention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      roleName: executionRoleName(env.project, env.environment, t.service),
      description: `ECS pulls ${t.service}'s image and writes its logs (${env.environment})`,
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    });
    logGroup.grantWrite(this.executionRole);
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'PullServiceImage',
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ecr',
            resource: 'repository',
            resourceName: `${env.ecrRepositoryPrefix}${t.service}`,
          }),
        ],
      }),
    );
    this.executionRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'EcrLogin',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );

    const image = new CfnParameter(this, 'InitialImage', {
      type: 'String',
      description: `The image ${t.service} starts with (pinned by digest: <repository>@sha256:<64 hex>); shipgate's deploys replace it`,
      allowedPattern: '^[^@\\s]+@sha256:[0-9a-f]{64}$',
    });
    const definition = service.taskDefinition;
    const taskDefinition = new ecs.CfnTaskDefinition(this, 'TaskDefinition', {
      ...(definition as ecs.CfnTaskDefinitionProps),
      family: definition.family,
      executionRoleArn: this.executionRole.roleArn,
      containerDefinitions: definition.containerDefinitions.map((c) => ({
        ...(c as ecs.CfnTaskDefinition.ContainerDefinitionProperty),
        image: c.name === t.containerName ? image.valueAsString : c.image,
        logConfiguration: (c.logConfiguration as ecs.CfnTaskDefinition.LogConfigurationProperty | undefined) ?? {
          logDriver: 'awslogs',
          options: {
            'awslogs-group': logGroup.logGroupName,
            'awslogs-region': env.region,
            'awslogs-stream-prefix': c.name,
          },
        },
      })),
    });

    const controlled = {
      scope: this,
      service,
      cluster: props.cluster,
      taskDefinitionArn: taskDefinition.ref,
      subnets: network.vpc.selectSubnets(network.taskSubnets).subnetIds,
      securityGroups: [taskSecurityGroup.securityGroupId],
      blue,
      green,
      productionListener: this.productionListener,
      testListener: this.testListener,
    };
    // ECS refuses a target group that no listener of a load balancer uses yet (hence the dependencies inside).
    this.controlled = service.ecsDeployment
      ? ecsNativeControlled(controlled, props.infrastructureRole!)
      : codeDeployControlled(controlled, props.codeDeployServiceRole!);
  }
}

/** The alarms of `deploy.alarms`, each once per environment, on the first service's load balancer (as bootstrap does). */
export function createAlarms(
  scope: Construct,
  env: EnvironmentDescription,
  firstLoadBalancer: elbv2.ApplicationLoadBalancer,
) {
  const seen = new Set<string>();
  const alarms: cloudwatch.CfnAlarm[] = [];
  for (const spec of env.services.flatMap((s) => s.alarms)) {
    if (seen.has(spec.name)) continue;
    seen.add(spec.name);
    alarms.push(
      new cloudwatch.CfnAlarm(scope, `Alarm${camel(spec.name)}`, {
        alarmName: spec.name,
        alarmDescription: spec.description,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: [{ name: 'LoadBalancer', value: firstLoadBalancer.loadBalancerFullName }],
        statistic: spec.statistic,
        period: spec.periodSeconds,
        evaluationPeriods: spec.evaluationPeriods,
        threshold: spec.threshold,
        comparisonOperator: spec.comparisonOperator,
        treatMissingData: spec.treatMissingData,
      }),
    );
  }
  return alarms;
}
