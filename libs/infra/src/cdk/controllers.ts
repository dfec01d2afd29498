import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ecsLoadBalancers } from '@shipgate/ecs-deploy/aws';
import type { ServiceDescription } from '../describe-environment';

/** What both controllers' halves get from the service part. */
export interface ControlledService {
  scope: Construct;
  service: ServiceDescription;
  cluster: ecs.ICluster;
  taskDefinitionArn: string;
  subnets: string[];
  securityGroups: string[];
  blue: elbv2.ApplicationTargetGroup;
  green: elbv2.ApplicationTargetGroup;
  productionListener: elbv2.ApplicationListener;
  testListener: elbv2.ApplicationListener;
}

function serviceProps(c: ControlledService) {
  const t = c.service.target;
  return {
    cluster: c.cluster.clusterName,
    serviceName: t.ecsService,
    taskDefinition: c.taskDefinitionArn,
    desiredCount: t.desiredCount,
    launchType: 'FARGATE',
    networkConfiguration: {
      awsvpcConfiguration: { subnets: c.subnets, securityGroups: c.securityGroups, assignPublicIp: 'DISABLED' },
    },
  };
}

/** Controller codedeploy: the service under CODE_DEPLOY and the deployment group bootstrap would create. */
export function codeDeployControlled(c: ControlledService, serviceRole: iam.IRole): codedeploy.CfnDeploymentGroup {
  const t = c.service.target;
  const ecsService = new ecs.CfnService(c.scope, 'Service', {
    ...serviceProps(c),
    deploymentController: { type: 'CODE_DEPLOY' },
    loadBalancers: [
      { containerName: t.containerName, containerPort: t.containerPort, targetGroupArn: c.blue.targetGroupArn },
    ],
  });
  ecsService.node.addDependency(c.productionListener, c.testListener);
  const g = c.service.deploymentGroup!;
  const group = new codedeploy.CfnDeploymentGroup(c.scope, 'DeploymentGroup', {
    applicationName: g.application,
    deploymentGroupName: g.deploymentGroup,
    serviceRoleArn: serviceRole.roleArn,
    deploymentConfigName: g.deploymentConfig,
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: g.readyAction, waitTimeInMinutes: g.readyWaitMinutes },
      terminateBlueInstancesOnDeploymentSuccess: {
        action: 'TERMINATE',
        terminationWaitTimeInMinutes: g.terminationWaitMinutes,
      },
    },
    ecsServices: [{ clusterName: g.cluster, serviceName: g.service }],
    loadBalancerInfo: {
      targetGroupPairInfoList: [
        {
          targetGroups: g.targetGroups.map((name) => ({ name })),
          prodTrafficRoute: { listenerArns: [c.productionListener.listenerArn] },
          testTrafficRoute: { listenerArns: [c.testListener.listenerArn] },
        },
      ],
    },
    autoRollbackConfiguration: { enabled: g.autoRollbackEvents.length > 0, events: g.autoRollbackEvents },
    alarmConfiguration: { enabled: g.alarms.length > 0, alarms: g.alarms.map((name) => ({ name })) },
  });
  group.node.addDependency(ecsService, c.blue, c.green);
  return group;
}

/**
 * Controller ecs: one listener rule per listener forwarding to both target groups (blue 100, green 0:
 * the rules ECS shifts), and the service under the ECS controller with the deployment configuration and
 * advanced load balancer configuration bootstrap sets (ecsDeploymentConfiguration, ecsLoadBalancers).
 */
export function ecsNativeControlled(c: ControlledService, infrastructureRole: iam.IRole): ecs.CfnService {
  const t = c.service.target;
  const rule = (id: string, listener: elbv2.ApplicationListener) =>
    new elbv2.ApplicationListenerRule(c.scope, id, {
      listener,
      priority: 1,
      // Every request: the rule, not the default action, is what ECS shifts (as bootstrap creates it).
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: c.blue, weight: 100 },
        { targetGroup: c.green, weight: 0 },
      ]),
    });
  const productionRule = rule('ProductionRule', c.productionListener);
  const testRule = rule('TestRule', c.testListener);
  const [lb] = ecsLoadBalancers(t, {
    targetGroupArn: c.blue.targetGroupArn,
    alternateTargetGroupArn: c.green.targetGroupArn,
    productionListenerRuleArn: productionRule.listenerRuleArn,
    testListenerRuleArn: testRule.listenerRuleArn,
    roleArn: infrastructureRole.roleArn,
  });
  const { lifecycleHooks, ...configuration } = c.service.ecsDeployment!;
  const service = new ecs.CfnService(c.scope, 'Service', {
    ...serviceProps(c),
    deploymentController: { type: 'ECS' },
    deploymentConfiguration: configuration as ecs.CfnService.DeploymentConfigurationProperty,
    loadBalancers: [lb as ecs.CfnService.LoadBalancerProperty],
  });
  // CloudFormation's DeploymentLifecycleHook names Lambda targets only; the PAUSE hooks go in as written.
  service.addPropertyOverride(
    'DeploymentConfiguration.LifecycleHooks',
    (lifecycleHooks ?? []).map((h) => ({
      TargetType: h.targetType,
      LifecycleStages: h.lifecycleStages,
      TimeoutConfiguration: {
        TimeoutInMinutes: h.timeoutConfiguration?.timeoutInMinutes,
        Action: h.timeoutConfiguration?.action,
      },
    })),
  );
  service.node.addDependency(productionRule, testRule, infrastructureRole);
  return service;
}
