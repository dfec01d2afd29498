import type { EnvironmentDescription } from './describe-environment';

/**
 * What the deploy role of an environment may do, derived from the AWS SDK commands shipgate's code
 * sends (deploy-permissions.test.ts scans the adapters and fails on a command this table does not
 * know). Each command maps to the IAM actions it needs and to the resources it acts on; commands only
 * bootstrap sends (it creates what the CDK stack now owns) are not granted, and the test checks that
 * no other code sends them.
 */

/** The kinds of resource an action is scoped to. `any` only where IAM supports no resource for the action. */
export type ResourceKind =
  | 'ecs-service'
  | 'ecs-cluster'
  | 'ecs-task'
  | 'in-cluster'
  | 'codedeploy-application'
  | 'codedeploy-deployment-group'
  | 'codedeploy-deployment-config'
  | 'alarm'
  | 'state-bucket'
  | 'state-objects'
  | 'task-execution-role'
  | 'ecs-infrastructure-role'
  | 'ecs-native-service'
  | 'ecs-service-deployment'
  | 'ecs-service-revision'
  | 'ci-signing-key'
  | 'any';

/** How one SDK command is treated by the deploy role. */
export type CommandPermission =
  { actions: string[]; resource: ResourceKind; why?: string } | { notGranted: string; onlyIn: string[] };

const bootstrapOnly = (what: string): CommandPermission => ({
  notGranted: `only bootstrap ${what}; on AWS the environment's CDK stack owns that resource`,
  onlyIn: ['libs/ecs-deploy/src/adapters/aws-infra.ts', 'libs/ecs-deploy/src/adapters/ecs-native-infra.ts'],
});

/** Every AWS SDK command shipgate's code sends, by client package (`@aws-sdk/client-<package>`). */
export const commandPermissions: Readonly<Record<string, Readonly<Record<string, CommandPermission>>>> = {
  ecs: {
    DescribeClustersCommand: { actions: ['ecs:DescribeClusters'], resource: 'ecs-cluster' },
    DescribeServicesCommand: { actions: ['ecs:DescribeServices'], resource: 'ecs-service' },
    // Task definitions are not resource-scoped for these two in IAM (no resource type, `*` only).
    DescribeTaskDefinitionCommand: { actions: ['ecs:DescribeTaskDefinition'], resource: 'any' },
    RegisterTaskDefinitionCommand: {
      actions: ['ecs:RegisterTaskDefinition'],
      resource: 'any',
      why: 'IAM has no resource type for RegisterTaskDefinition; the role may pass only the task execution role (iam:PassRole below)',
    },
    // IAM scopes ListTasks by the ecs:cluster condition key, not by a resource.
    ListTasksCommand: { actions: ['ecs:ListTasks'], resource: 'in-cluster' },
    DescribeTasksCommand: { actions: ['ecs:DescribeTasks'], resource: 'ecs-task' },
    // ECS-native deploys start with UpdateService (new task definition, full deployment configuration).
    UpdateServiceCommand: { actions: ['ecs:UpdateService'], resource: 'ecs-native-service' },
    ListServiceDeploymentsCommand: { actions: ['ecs:ListServiceDeployments'], resource: 'ecs-native-service' },
    DescribeServiceDeploymentsCommand: {
      actions: ['ecs:DescribeServiceDeployments'],
      resource: 'ecs-service-deployment',
    },
    ContinueServiceDeploymentCommand: {
      actions: ['ecs:ContinueServiceDeployment'],
      resource: 'ecs-service-deployment',
    },
    StopServiceDeploymentCommand: { actions: ['ecs:StopServiceDeployment'], resource: 'ecs-service-deployment' },
    DescribeServiceRevisionsCommand: { actions: ['ecs:DescribeServiceRevisions'], resource: 'ecs-service-revision' },
    CreateClusterCommand: bootstrapOnly('creates the cluster'),
    CreateServiceCommand: bootstrapOnly('creates the ECS service'),
  },
  codedeploy: {
    CreateDeploymentCommand: {
      actions: ['codedeploy:CreateDeployment'],
      resource: 'codedeploy-deployment-group',
    },
    GetDeploymentCommand: { actions: ['codedeploy:GetDeployment'], resource: 'codedeploy-deployment-group' },
    StopDeploymentCommand: { actions: ['codedeploy:StopDeployment'], resource: 'codedeploy-deployment-group' },
    ContinueDeploymentCommand: {
      actions: ['codedeploy:ContinueDeployment'],
      resource: 'codedeploy-deployment-group',
    },
    ListDeploymentsCommand: { actions: ['codedeploy:ListDeployments'], resource: 'codedeploy-deployment-group' },
    ListDeploymentTargetsCommand: {
      actions: ['codedeploy:ListDeploymentTargets'],
      resource: 'codedeploy-deployment-group',
    },
    GetDeploymentTargetCommand: {
      actions: ['codedeploy:GetDeploymentTarget'],
      resource: 'codedeploy-deployment-group',
    },
    GetDeploymentGroupCommand: {
      actions: ['codedeploy:GetDeploymentGroup'],
      resource: 'codedeploy-deployment-group',
    },
    GetDeploymentConfigCommand: {
      actions: ['codedeploy:GetDeploymentConfig'],
      resource: 'codedeploy-deployment-config',
    },
    GetApplicationCommand: { actions: ['codedeploy:GetApplication'], resource: 'codedeploy-application' },
    CreateApplicationCommand: bootstrapOnly('creates the CodeDeploy application'),
    CreateDeploymentGroupCommand: bootstrapOnly('creates the deployment group'),
    UpdateDeploymentGroupCommand: bootstrapOnly('converges the deployment group'),
  },
  'elastic-load-balancing-v2': {
    // ELBv2's Describe* actions support no resource-level permissions in IAM: `*` only.
    DescribeLoadBalancersCommand: { actions: ['elasticloadbalancing:DescribeLoadBalancers'], resource: 'any' },
    DescribeListenersCommand: { actions: ['elasticloadbalancing:DescribeListeners'], resource: 'any' },
    DescribeTargetGroupsCommand: { actions: ['elasticloadbalancing:DescribeTargetGroups'], resource: 'any' },
    DescribeTargetGroupAttributesCommand: {
      actions: ['elasticloadbalancing:DescribeTargetGroupAttributes'],
      resource: 'any',
    },
    DescribeTargetHealthCommand: { actions: ['elasticloadbalancing:DescribeTargetHealth'], resource: 'any' },
    DescribeRulesCommand: { actions: ['elasticloadbalancing:DescribeRules'], resource: 'any' },
    CreateRuleCommand: bootstrapOnly('creates the listener rules ECS-native deploys shift'),
    CreateLoadBalancerCommand: bootstrapOnly('creates the load balancer'),
    CreateListenerCommand: bootstrapOnly('creates the listeners'),
    CreateTargetGroupCommand: bootstrapOnly('creates the target groups'),
    ModifyTargetGroupCommand: bootstrapOnly('converges the health check'),
    ModifyTargetGroupAttributesCommand: bootstrapOnly('converges the deregistration delay'),
  },
  cloudwatch: {
    DescribeAlarmsCommand: { actions: ['cloudwatch:DescribeAlarms'], resource: 'alarm' },
    PutMetricAlarmCommand: bootstrapOnly('creates alarms (on local-cloud)'),
  },
  kms: {
    // Every command that changes the ledger ends with a checkpoint signed by the environment's CI key (#12.7).
    SignCommand: { actions: ['kms:Sign'], resource: 'ci-signing-key' },
    GetPublicKeyCommand: { actions: ['kms:GetPublicKey'], resource: 'ci-signing-key' },
  },
  s3: {
    GetObjectCommand: { actions: ['s3:GetObject'], resource: 'state-objects' },
    GetObjectLockConfigurationCommand: { actions: ['s3:GetBucketObjectLockConfiguration'], resource: 'state-bucket' },
    PutObjectCommand: { actions: ['s3:PutObject'], resource: 'state-objects' },
    ListObjectsV2Command: { actions: ['s3:ListBucket'], resource: 'state-bucket' },
  },
};

/** Actions a granted command needs beyond its own name (IAM checks them during the call). */
export const impliedPermissions: readonly { actions: string[]; resource: ResourceKind; why: string }[] = [
  {
    actions: ['iam:PassRole'],
    resource: 'task-execution-role',
    why: 'RegisterTaskDefinition with an executionRoleArn passes that role to ECS',
  },
  {
    actions: ['iam:PassRole'],
    resource: 'ecs-infrastructure-role',
    why: "UpdateService names the infrastructure role ECS shifts the listener rules with (the load balancer's advancedConfiguration)",
  },
  {
    actions: ['s3:PutObjectRetention'],
    resource: 'state-objects',
    why: 'PutObject with ObjectLockMode and ObjectLockRetainUntilDate sets the retention of a write-once record',
  },
  {
    actions: ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'],
    resource: 'codedeploy-application',
    why: "CreateDeployment registers the deployment's AppSpec revision with the application",
  },
];

/** One IAM statement of the deploy policy: ARNs use `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`. */
export interface PolicyStatementSpec {
  sid: string;
  actions: string[];
  resources: string[];
  conditions?: Record<string, Record<string, string>>;
}

const arn = (service: string, rest: string, regional = true) =>
  `arn:\${AWS::Partition}:${service}:${regional ? '${AWS::Region}' : ''}:${regional ? '${AWS::AccountId}' : ''}:${rest}`;

/** The ARNs of one resource kind in an environment; empty when the environment has none (no alarms, no bucket). */
export function resourcesOf(kind: ResourceKind, env: EnvironmentDescription, roles: DeployRoleTargets): string[] {
  const services = env.services.map((s) => s.target);
  const codeDeploy = services.filter((t) => t.deploy.controller !== 'ecs');
  const ecsNative = services.filter((t) => t.deploy.controller === 'ecs');
  switch (kind) {
    case 'any':
      return ['*'];
    case 'ecs-cluster':
      return [arn('ecs', `cluster/${env.cluster}`)];
    case 'ecs-service':
      return services.map((t) => arn('ecs', `service/${t.cluster}/${t.ecsService}`));
    case 'in-cluster':
      return ['*'];
    case 'ecs-task':
      return [arn('ecs', `task/${env.cluster}/*`)];
    case 'ecs-native-service':
      return ecsNative.map((t) => arn('ecs', `service/${t.cluster}/${t.ecsService}`));
    case 'ecs-service-deployment':
      return ecsNative.map((t) => arn('ecs', `service-deployment/${t.cluster}/${t.ecsService}/*`));
    case 'ecs-service-revision':
      return ecsNative.map((t) => arn('ecs', `service-revision/${t.cluster}/${t.ecsService}/*`));
    case 'codedeploy-application':
      return codeDeploy.length ? [arn('codedeploy', `application:${env.codeDeployApplication}`)] : [];
    case 'codedeploy-deployment-group':
      return codeDeploy.map((t) =>
        arn('codedeploy', `deploymentgroup:${t.codeDeployApplication}/${t.deploymentGroup}`),
      );
    case 'codedeploy-deployment-config':
      return [...new Set(codeDeploy.map((t) => arn('codedeploy', `deploymentconfig:${t.deploy.deploymentConfig}`)))];
    case 'alarm':
      return [...new Set(services.flatMap((t) => t.deploy.alarms))].map((a) => arn('cloudwatch', `alarm:${a}`));
    case 'state-bucket':
      return env.stateBucket ? [`arn:\${AWS::Partition}:s3:::${env.stateBucket}`] : [];
    case 'state-objects':
      return env.stateBucket ? [`arn:\${AWS::Partition}:s3:::${env.stateBucket}/*`] : [];
    case 'ci-signing-key':
      return ciKeyResources(env);
    case 'task-execution-role':
      return roles.executionRoles;
    case 'ecs-infrastructure-role':
      return ecsNative.length && roles.infrastructureRole ? [roles.infrastructureRole] : [];
  }
}

/**
 * The environment's CI signing key as IAM resources. A key id or ARN names the key; an alias cannot be
 * a resource of kms:Sign (IAM authorizes on the key), so it is every key of the account and region,
 * narrowed to requests made through that alias by the kms:RequestAlias condition.
 */
function ciKeyResources(env: EnvironmentDescription): string[] {
  const key = env.ciSigningKey;
  if (!key) return [];
  if (key.startsWith('arn:')) return [key];
  return [arn('kms', key.startsWith('alias/') ? 'key/*' : `key/${key}`)];
}

/** The roles the deploy role may pass (ARNs, or tokens of the stack that creates them). */
export interface DeployRoleTargets {
  executionRoles: string[];
  infrastructureRole?: string;
}

/** The deploy role's statements: one per resource kind, actions sorted, kinds without resources left out. */
export function deployPolicyStatements(env: EnvironmentDescription, roles: DeployRoleTargets): PolicyStatementSpec[] {
  const byKind = new Map<ResourceKind, Set<string>>();
  const add = (kind: ResourceKind, actions: string[]) => {
    const set = byKind.get(kind) ?? new Set<string>();
    actions.forEach((a) => set.add(a));
    byKind.set(kind, set);
  };
  for (const commands of Object.values(commandPermissions))
    for (const p of Object.values(commands)) if ('actions' in p) add(p.resource, p.actions);
  for (const p of impliedPermissions) add(p.resource, p.actions);
  const statements: PolicyStatementSpec[] = [];
  for (const [kind, actions] of byKind) {
    const resources = resourcesOf(kind, env, roles);
    if (!resources.length) continue;
    const sid = kind.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());
    statements.push({
      sid,
      actions: [...actions].sort(),
      resources,
      ...(kind === 'in-cluster'
        ? { conditions: { ArnEquals: { 'ecs:cluster': arn('ecs', `cluster/${env.cluster}`) } } }
        : {}),
      ...(kind === 'ci-signing-key' && env.ciSigningKey?.startsWith('alias/')
        ? { conditions: { StringEquals: { 'kms:RequestAlias': env.ciSigningKey } } }
        : {}),
      ...(kind === 'task-execution-role'
        ? { conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } }
        : {}),
      ...(kind === 'ecs-infrastructure-role'
        ? { conditions: { StringEquals: { 'iam:PassedToService': 'ecs.amazonaws.com' } } }
        : {}),
    });
  }
  return statements;
}
