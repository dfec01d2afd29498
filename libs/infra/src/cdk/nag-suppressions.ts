import { Validations, type Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag AwsSolutions findings accepted on purpose, each with its reason. Everything else must be
 * clean: build-app.test.ts fails on any finding not acknowledged here.
 */
const accepted: { path: RegExp; id: string; reason: string }[] = [
  {
    path: /\/(DeployPolicy|ExecutionRole\/DefaultPolicy|BuildRole\/DefaultPolicy)\/Resource$/,
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Only for actions IAM cannot scope to a resource: ecr:GetAuthorizationToken, ecs:RegisterTaskDefinition, ecs:DescribeTaskDefinition and the elasticloadbalancing:Describe* actions (deploy-permissions.ts lists them; a test checks that nothing else gets "*")',
  },
  {
    path: /\/(DeployPolicy|BuildRole\/DefaultPolicy)\/Resource$/,
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::{bucket}/*]',
    reason:
      "The ledger writes records and audit entries under keys it derives at run time, all inside shipgate's own state bucket",
  },
  {
    path: /\/DeployPolicy\/Resource$/,
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/{cluster}/*]',
    reason:
      "Task ids are chosen by ECS when a deployment starts tasks; the wildcard stays inside this environment's cluster (ecs:DescribeTasks only)",
  },
  {
    path: /\/(DeployPolicy|BuildRole\/DefaultPolicy)\/Resource$/,
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]',
    reason:
      "The CI signing key is named by its alias (trust.environments.<env>.ci.kmsKeyId, or trust.build.ci.kmsKeyId for the build role that signs releases), and IAM authorizes kms:Sign on the key, not the alias: the statement's kms:RequestAlias condition limits it to that one alias, and the key's own policy admits only the role it belongs to",
  },
  {
    path: /\/CodeDeployServiceRole\/Resource$/,
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS]',
    reason:
      'The policy AWS maintains for CodeDeploy ECS blue/green (it changes with the API); only codedeploy.amazonaws.com may assume this role',
  },
  {
    path: /\/DeployPolicy\/Resource$/,
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service-deployment/{cluster}/{service}/*]',
    reason:
      'ECS names each service deployment when it starts; the wildcard stays inside this one ECS-native service (describe, continue, stop)',
  },
  {
    path: /\/DeployPolicy\/Resource$/,
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:service-revision/{cluster}/{service}/*]',
    reason:
      'ECS names each service revision when a deployment creates it; the wildcard stays inside this one ECS-native service',
  },
  {
    path: /\/EcsInfrastructureRole\/Resource$/,
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
    reason:
      'The policy AWS maintains for ECS-native blue/green to change listener rules and target groups; only ecs.amazonaws.com may assume this role',
  },
  {
    path: /\/AccessLogs\/Resource$/,
    id: 'AwsSolutions-S1',
    reason:
      "This bucket is where the load balancers' access logs go; logging access to it would need another bucket, and so on",
  },
  {
    path: /\/LoadBalancerSecurityGroup\/Resource$/,
    id: 'AwsSolutions-EC23',
    reason:
      "The production listener serves the public: only its port is open to 0.0.0.0/0; the test listener's port is open to the VPC only",
  },
  {
    path: /\/TaskDefinition$/,
    id: 'AwsSolutions-ECS2',
    reason:
      "The variables are the release's identity (service, release id, digest, environment) and environments.<env>.services.<S>.environmentVariables, which hold no secrets: secrets go in the template's `secrets`",
  },
];

/** The accepted findings of this stack, so that the acknowledgments name the stack's own bucket, cluster and services. */
function acceptedIn(names: { bucket?: string; cluster?: string; services?: string[] }) {
  return accepted.flatMap((a) => {
    if (a.id.includes('{bucket}') && !names.bucket) return [];
    if (a.id.includes('{cluster}') && !names.cluster) return [];
    const id = a.id.replace('{bucket}', names.bucket ?? '').replace('{cluster}', names.cluster ?? '');
    if (!id.includes('{service}')) return [{ ...a, id }];
    return (names.services ?? []).map((s) => ({ ...a, id: id.replace('{service}', s) }));
  });
}

/** Acknowledges the accepted findings on the constructs they concern. */
export function suppressAcceptedFindings(
  stack: Stack,
  names: { bucket?: string; cluster?: string; services?: string[] },
): void {
  const rules = acceptedIn(names);
  const visit = (node: IConstruct) => {
    for (const rule of rules)
      if (rule.path.test(node.node.path)) Validations.of(node).acknowledge({ id: rule.id, reason: rule.reason });
    node.node.children.forEach(visit);
  };
  visit(stack);
}

/** Every accepted finding's rule and reason (for the README and the test). */
export const acceptedFindings = accepted.map(({ id, reason }) => ({ id, reason }));
