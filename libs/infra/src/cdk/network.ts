import { Fn, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentDescription } from '../describe-environment';

/** Where an environment's load balancers and tasks live. */
export interface EnvironmentNetwork {
  vpc: ec2.IVpc;
  /** Subnets of the tasks (and of the load balancers when the config declares its own). */
  taskSubnets: ec2.SubnetSelection;
  loadBalancerSubnets: ec2.SubnetSelection;
  /** Security groups the config declares; undefined → the stack creates them. */
  declaredSecurityGroups?: ec2.ISecurityGroup[];
  /** False when the VPC is imported: the stack then adds no rules to security groups it does not own. */
  owned: boolean;
}

/**
 * The config's `aws.network` (VPC, subnets, security groups) imported as it is; without one, a VPC of
 * two availability zones with public subnets for the load balancers, private ones for the tasks and
 * flow logs kept as long as the environment's logs.
 */
export function environmentNetwork(scope: Construct, env: EnvironmentDescription, retention: logs.RetentionDays) {
  const declared = env.network;
  if (declared?.vpcId && declared.subnets?.length) {
    const subnets = declared.subnets;
    const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
      vpcId: declared.vpcId,
      // The declared subnets carry their own zones; CDK only needs as many zone names as subnets.
      availabilityZones: subnets.map((_, i) => Fn.select(i, Fn.getAzs())),
      privateSubnetIds: subnets,
    });
    const selection = { subnets: subnets.map((id, i) => ec2.Subnet.fromSubnetId(scope, `Subnet${i}`, id)) };
    return {
      vpc,
      taskSubnets: selection,
      loadBalancerSubnets: selection,
      ...(declared.securityGroups?.length
        ? {
            declaredSecurityGroups: declared.securityGroups.map((id, i) =>
              ec2.SecurityGroup.fromSecurityGroupId(scope, `SecurityGroup${i}`, id, { mutable: false }),
            ),
          }
        : {}),
      owned: false,
    } satisfies EnvironmentNetwork;
  }
  const vpc = new ec2.Vpc(scope, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      { name: 'tasks', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
    ],
  });
  const flowLogs = new logs.LogGroup(scope, 'FlowLogs', {
    logGroupName: `/shipgate/${env.project}/${env.environment}/vpc-flow-logs`,
    retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  vpc.addFlowLog('FlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  return {
    vpc,
    taskSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    loadBalancerSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    owned: true,
  } satisfies EnvironmentNetwork;
}
