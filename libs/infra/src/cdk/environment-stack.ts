import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentDescription } from '../describe-environment';
import { deployRole } from './deploy-role';
import { environmentNetwork } from './network';
import { createAlarms, ServicePart } from './service-stack-part';

/** Props of an environment's stack. */
export interface EnvironmentStackProps extends StackProps {
  environment: EnvironmentDescription;
}

/**
 * One stack per environment, holding every service deployed there. Why not one per environment ×
 * service: the ECS cluster, the CodeDeploy application and the deploy role that GitHub's environment
 * assumes belong to the environment, and are shared by its services; a stack per service would need
 * a third kind of stack for them and cross-stack references for every service.
 */
export class EnvironmentStack extends Stack {
  readonly services: ServicePart[];
  readonly deployRole: iam.Role;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    const { environment: env, ...rest } = props;
    super(scope, id, {
      ...rest,
      description: `shipgate ${env.project}: the ${env.environment} environment (ECS blue/green, deploy role)`,
      env: { region: env.region, ...(props.env?.account ? { account: props.env.account } : {}) },
    });
    const retention = env.dataPolicy === 'real' ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_MONTH;
    const network = environmentNetwork(this, env, retention);

    const cluster = new ecs.Cluster(this, 'Cluster', {
      clusterName: env.cluster,
      vpc: network.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    const controllers = new Set(env.services.map((s) => s.target.deploy.controller));
    let codeDeployServiceRole: iam.Role | undefined;
    let application: codedeploy.CfnApplication | undefined;
    if (controllers.has('codedeploy')) {
      application = new codedeploy.CfnApplication(this, 'CodeDeployApplication', {
        applicationName: env.codeDeployApplication,
        computePlatform: 'ECS',
      });
      codeDeployServiceRole = new iam.Role(this, 'CodeDeployServiceRole', {
        roleName: `${env.project}-${env.environment}-codedeploy`,
        description: `CodeDeploy shifts ECS traffic in ${env.environment}`,
        assumedBy: new iam.ServicePrincipal('codedeploy.amazonaws.com'),
        managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AWSCodeDeployRoleForECS')],
      });
    }
    const infrastructureRole = controllers.has('ecs')
      ? new iam.Role(this, 'EcsInfrastructureRole', {
          roleName: `${env.project}-${env.environment}-ecs-infrastructure`,
          description: `ECS shifts the listener rules of ECS-native blue/green deployments in ${env.environment}`,
          assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
          managedPolicies: [
            iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForLoadBalancers'),
          ],
        })
      : undefined;
    const accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(env.dataPolicy === 'real' ? 365 : 30) }],
    });

    this.services = env.services.map(
      (service) =>
        new ServicePart(this, {
          env,
          service,
          network,
          cluster,
          ...(codeDeployServiceRole ? { codeDeployServiceRole } : {}),
          ...(infrastructureRole ? { infrastructureRole } : {}),
          accessLogs,
          retention,
        }),
    );
    const alarms = this.services[0] ? createAlarms(this, env, this.services[0].loadBalancer) : [];
    for (const part of this.services) {
      part.controlled.node.addDependency(...alarms);
      if (application && part.controlled instanceof codedeploy.CfnDeploymentGroup)
        part.controlled.node.addDependency(application);
    }

    this.deployRole = deployRole(this, env, {
      executionRoles: this.services.map((s) => s.executionRole.roleArn),
      ...(infrastructureRole ? { infrastructureRole: infrastructureRole.roleArn } : {}),
    });
    new CfnOutput(this, 'DeployRoleArn', {
      value: this.deployRole.roleArn,
      description: `Set as the variable AWS_DEPLOY_ROLE_ARN of the GitHub environment ${env.environment}`,
    });
    for (const [i, part] of this.services.entries()) {
      const name = env.services[i]!.target.service;
      new CfnOutput(this, `${part.node.id}LoadBalancerDns`, {
        value: part.loadBalancer.loadBalancerDnsName,
        description: `${name}: the load balancer (production and test listeners)`,
      });
      new CfnOutput(this, `${part.node.id}ExecutionRoleArn`, {
        value: part.executionRole.roleArn,
        description: `${name}: the executionRoleArn its task-definition template names`,
      });
    }
  }
}
