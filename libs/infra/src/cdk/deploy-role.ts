import { Duration, Fn } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { deployPolicyStatements, type DeployRoleTargets } from '../deploy-permissions';
import type { EnvironmentDescription } from '../describe-environment';
import { githubOidcHost } from './names';

/** The trust condition of a role that GitHub Actions jobs of one environment (or ref) may assume. */
export function githubTrust(repository: string, subject: string) {
  return {
    StringEquals: {
      [`${githubOidcHost}:aud`]: 'sts.amazonaws.com',
      [`${githubOidcHost}:sub`]: `repo:${repository}:${subject}`,
    },
  };
}

/** The ARN of the account's GitHub OIDC provider (created once per account by the GitHub stack). */
export function githubProviderArn(): string {
  return Fn.sub(`arn:\${AWS::Partition}:iam::\${AWS::AccountId}:oidc-provider/${githubOidcHost}`);
}

/** Resolves `${AWS::…}` in an ARN template; other strings (tokens of this stack) pass as they are. */
export function arnOf(text: string): string {
  return text.includes('${AWS::') ? Fn.sub(text) : text;
}

/**
 * The environment's deploy role: assumable only by jobs of this repository that run in this GitHub
 * environment, allowed only the actions shipgate's code sends, on this environment's resources.
 */
export function deployRole(scope: Construct, env: EnvironmentDescription, roles: DeployRoleTargets): iam.Role {
  const repository = env.githubRepository!;
  const role = new iam.Role(scope, 'DeployRole', {
    roleName: env.deployRoleName,
    description: `shipgate deploys to ${env.environment}: GitHub Actions jobs of ${repository} in environment ${env.environment}`,
    maxSessionDuration: Duration.hours(1),
    assumedBy: new iam.WebIdentityPrincipal(
      githubProviderArn(),
      githubTrust(repository, `environment:${env.environment}`),
    ),
  });
  const statements = deployPolicyStatements(env, roles);
  const policy = new iam.Policy(scope, 'DeployPolicy', {
    policyName: `${env.deployRoleName}-policy`,
    statements: statements.map(
      (s) =>
        new iam.PolicyStatement({
          sid: s.sid,
          actions: s.actions,
          resources: s.resources.map(arnOf),
          ...(s.conditions
            ? {
                conditions: Object.fromEntries(
                  Object.entries(s.conditions).map(([op, kv]) => [
                    op,
                    Object.fromEntries(Object.entries(kv).map(([k, v]) => [k, arnOf(v)])),
                  ]),
                ),
              }
            : {}),
        }),
    ),
  });
  role.attachInlinePolicy(policy);
  return role;
}
