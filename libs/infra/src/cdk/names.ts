/** Names the stacks give to what they create, so that workflows, templates and docs can name them too. */

/** The CloudFormation stack of one environment. */
export const environmentStackName = (project: string, environment: string) => `${project}-${environment}`;

/** The account-wide stack with GitHub's OIDC provider and the build role. */
export const githubStackName = (project: string) => `${project}-github`;

/** A service's task execution role (the task definition template names it as its executionRoleArn). */
export const executionRoleName = (project: string, environment: string, service: string) =>
  `${project}-${environment}-${service}-execution`.slice(0, 64);

/** A service's log group. */
export const logGroupName = (project: string, environment: string, service: string) =>
  `/shipgate/${project}/${environment}/${service}`;

/** The build role (pushes images, writes releases to the ledger). */
export const buildRoleName = (project: string) => `${project}-build`;

/** GitHub's OIDC issuer, as IAM names its provider. */
export const githubOidcHost = 'token.actions.githubusercontent.com';
