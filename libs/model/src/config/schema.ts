import { z } from 'zod';
import { durationPattern, parseDuration } from '../duration';
import { promotionPolicySchema } from './promotion-policy';
import { identifierText, pinnedImageText } from './text-schemas';
import { trustSchema } from './trust-policy';

/** Names used in AWS resource names and as YAML keys: lower-case, digits, dashes. */
const name = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, 'expected lower-case letters, digits and dashes, starting with a letter');

const durationText = z.string().regex(durationPattern, 'expected a duration such as 90s, 5m, 1h');

const port = z.number().int().min(1).max(65535);

/** A service: one ECS service the pipeline deploys. */
export const serviceSchema = z
  .strictObject({
    containerName: identifierText.describe('Container in the task definition that receives traffic.'),
    containerPort: port.describe('Port the container listens on.'),
    taskDefinition: z
      .string()
      .min(1)
      .describe(
        'Path (relative to shipgate.yaml) of the task-definition template (JSON). `{{image}}`, `{{release}}`, `{{service}}` and `{{environment}}` are filled in at deploy time.',
      ),
    healthCheckPath: z
      .string()
      .startsWith('/')
      .default('/health')
      .describe('HTTP path the target groups health-check.'),
    releasePath: z
      .string()
      .startsWith('/')
      .default('/release')
      .describe(
        'HTTP path that reports which release answers; smoke checks require it to name the release being deployed.',
      ),
    desiredCount: z.number().int().min(1).max(100).default(2).describe('Tasks per task set.'),
    sidecarImages: z
      .array(pinnedImageText)
      .default([])
      .describe(
        "Images the task definition's other containers (sidecars: log routers, agents) may use, each pinned by digest. The service's container always runs the release's image; any other image in the rendered task definition is refused.",
      ),
    loadTests: z
      .strictObject({
        stress: z.string().optional().describe('k6 stress script (TypeScript), run in staging.'),
      })
      .default({})
      .describe(
        'k6 scripts of the service: `stress`, run by `shipgate stress`. Deploy verification needs no k6 script: it sends its own requests through the test listener.',
      ),
    seed: z
      .strictObject({
        dataset: z.string().min(1).describe('TypeScript module (relative to shipgate.yaml) that declares the dataset.'),
        export: z.string().default('dataset').describe('Name of the dataset export in that module.'),
      })
      .optional()
      .describe('Synthetic dataset seeded into test and staging.'),
  })
  .describe('One ECS service that shipgate deploys.');

/** Where an environment's services run in AWS. */
export const awsTargetSchema = z
  .strictObject({
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'expected an AWS region such as eu-west-1')
      .default('us-east-1'),
    cluster: z.string().min(1).optional().describe('ECS cluster; default `<project>-<environment>`.'),
    codeDeployApplication: z
      .string()
      .min(1)
      .optional()
      .describe('CodeDeploy application; default `<project>-<environment>`.'),
    codeDeployServiceRoleArn: z
      .string()
      .startsWith('arn:')
      .optional()
      .describe('Service role CodeDeploy uses (bootstrap).'),
    ecsInfrastructureRoleArn: z
      .string()
      .startsWith('arn:')
      .optional()
      .describe(
        'Role ECS assumes to shift listener rules in ECS-native blue/green (AmazonECSInfrastructureRolePolicyForLoadBalancers); bootstrap references it.',
      ),
    network: z
      .strictObject({
        vpcId: z
          .string()
          .regex(/^vpc-[0-9a-f]+$/, 'expected a VPC id such as vpc-0abc123')
          .optional(),
        subnets: z
          .array(z.string().regex(/^subnet-[0-9a-f]+$/, 'expected a subnet id such as subnet-0abc123'))
          .min(1)
          .optional(),
        securityGroups: z
          .array(z.string().regex(/^sg-[0-9a-f]+$/, 'expected a security group id such as sg-0abc123'))
          .min(1)
          .optional(),
      })
      .optional()
      .describe(
        'Where bootstrap puts target groups (VPC), the load balancer and the service (subnets, security groups) on AWS; local-cloud needs none.',
      ),
  })
  .describe('The AWS target of the environment.');

/** Per-environment settings for one service. */
export const environmentServiceSchema = z.strictObject({
  productionListenerPort: port.describe('Port of the production listener.'),
  testListenerPort: port.describe('Port of the test listener (verification before production traffic moves).'),
  desiredCount: z.number().int().min(1).max(100).optional(),
  environmentVariables: z.record(z.string(), z.string()).default({}).describe('Extra container environment.'),
});

/** The controllers that run blue/green deployments: CodeDeploy, or ECS's own (deploymentController ECS). */
export const deployControllers = ['codedeploy', 'ecs'] as const;
/** The controller of an environment's deployments. */
export type DeployController = (typeof deployControllers)[number];

/** ECS-native blue/green strategies (deploymentConfiguration.strategy), as ECS names them. */
export const ecsStrategies = ['BLUE_GREEN', 'LINEAR', 'CANARY'] as const;

/** Keys of `deploy` that only one controller reads; the other refuses them (see deploy-rules.ts). */
export const controllerOnlyDeployKeys = {
  codedeploy: ['deploymentConfig', 'terminationWait'],
  ecs: ['strategy', 'linear', 'canary', 'bakeTime'],
} as const satisfies Record<DeployController, readonly string[]>;

/** ECS allows at most 24 hours for each bake time (0–1440 minutes). */
const bakeDuration = durationText
  .refine(
    (text) => !durationPattern.test(text) || parseDuration(text) <= 24 * 3_600_000,
    'expected a duration of at most 24h (ECS allows 0–1440 minutes)',
  )
  .describe('A duration of at most 24h, rounded up to whole minutes on AWS.');

/** How deploys to an environment run. */
export const deploySettingsSchema = z
  .strictObject({
    controller: z
      .enum(deployControllers)
      .default('codedeploy')
      .describe(
        'What runs blue/green deployments: `codedeploy` (AWS CodeDeploy, the default) or `ecs` (ECS-native blue/green, deploymentController ECS).',
      ),
    deploymentConfig: z
      .string()
      .default('CodeDeployDefault.ECSAllAtOnce')
      .describe('controller codedeploy only: CodeDeploy deployment configuration: all at once, canary or linear.'),
    strategy: z
      .enum(ecsStrategies)
      .default('BLUE_GREEN')
      .describe(
        'controller ecs only: how production traffic shifts: `BLUE_GREEN` (all at once), `LINEAR` (see `linear`) or `CANARY` (see `canary`).',
      ),
    linear: z
      .strictObject({
        stepPercent: z
          .number()
          .min(3)
          .max(100)
          .multipleOf(0.1)
          .default(10)
          .describe('Percent of production traffic shifted per step (3.0–100.0, multiples of 0.1).'),
        stepBakeTime: bakeDuration.default('6m').describe('Wait between two steps (at most 24h).'),
      })
      .optional()
      .describe('controller ecs, strategy LINEAR only: the steps (ECS linearConfiguration).'),
    canary: z
      .strictObject({
        percent: z
          .number()
          .min(0.1)
          .max(100)
          .multipleOf(0.1)
          .default(5)
          .describe('Percent of production traffic on the canary (0.1–100.0, multiples of 0.1).'),
        bakeTime: bakeDuration.default('10m').describe('Wait before the rest of the traffic shifts (at most 24h).'),
      })
      .optional()
      .describe('controller ecs, strategy CANARY only: the canary (ECS canaryConfiguration).'),
    bakeTime: bakeDuration
      .default('5m')
      .describe(
        'controller ecs only: how long the original revision stays up after all traffic moved (fast rollback window; ECS bakeTimeInMinutes).',
      ),
    readinessWait: durationText
      .default('10m')
      .describe(
        'How long the controller holds production traffic while shipgate verifies through the test listener (CodeDeploy ready wait; ECS: the pause hook timeout).',
      ),
    verifyRequests: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .default(20)
      .describe('Smoke requests through the test listener that must all succeed.'),
    terminationWait: durationText
      .default('5m')
      .describe(
        'controller codedeploy only: how long the original task set stays up after traffic moved (fast rollback window).',
      ),
    alarms: z.array(identifierText).default([]).describe('CloudWatch alarms that stop and roll back a deployment.'),
    deregistrationDelay: durationText
      .default('5s')
      .describe('Target-group deregistration delay (in-flight requests finish).'),
    healthCheck: z
      .strictObject({
        interval: durationText.default('5s'),
        timeout: durationText.default('2s'),
        healthyThreshold: z.number().int().min(2).max(10).default(2),
        unhealthyThreshold: z.number().int().min(2).max(10).default(2),
      })
      .default({ interval: '5s', timeout: '2s', healthyThreshold: 2, unhealthyThreshold: 2 }),
  })
  .describe('Blue/green deploy settings.');

/** Where seeding writes for an environment. */
export const databaseSchema = z
  .strictObject({
    kind: z
      .enum(['pglite', 'postgres', 'mysql'])
      .default('pglite')
      .describe('`pglite` (embedded), `postgres` (a PostgreSQL server) or `mysql` (MySQL/MariaDB) by URL.'),
    dataDir: z
      .string()
      .optional()
      .describe('PGlite data directory (relative to the state dir); default `db/<environment>`.'),
    urlEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional()
      .describe('Name of the environment variable holding the database URL (never the URL itself).'),
  })
  .describe('The environment database that seeding writes to.');

/** One environment: AWS target, data policy, promotion policy, deploy settings. */
export const environmentSchema = z
  .strictObject({
    dataPolicy: z.enum(['synthetic', 'real']).describe('`synthetic` environments may be seeded; `real` ones never.'),
    seedProfile: z
      .string()
      .optional()
      .describe('Dataset profile seeded here (default: `small` in the first environment, `production-like` after).'),
    aws: awsTargetSchema.default({ region: 'us-east-1' }),
    services: z.record(name, environmentServiceSchema).describe('Per-service settings in this environment.'),
    deploy: deploySettingsSchema.default(deploySettingsSchema.parse({})),
    database: databaseSchema.optional(),
    promotion: promotionPolicySchema.optional().describe('What a release needs before it may enter this environment.'),
  })
  .describe('An environment, in promotion order.');

/**
 * A profile: an explicit, visible change to the policies that applies only when selected. The local
 * rehearsal uses one to accept autocannon load (k6 is not installed everywhere); the real pipeline never
 * selects it.
 */
export const profileSchema = z
  .strictObject({
    description: z.string().optional(),
    acceptStressTools: z
      .array(z.enum(['k6', 'autocannon']))
      .default([])
      .describe('Load tools accepted as stress evidence in every environment while the profile is active.'),
    acceptRehearsalKey: z
      .boolean()
      .default(false)
      .describe(
        "The local rehearsal key (under the state directory) signs and counts as every environment's CI identity. Only against local-cloud targets: under any other target the profile is refused.",
      ),
    allowedSigners: z
      .string()
      .min(1)
      .optional()
      .describe(
        'An allowed-signers file (relative to shipgate.yaml, or absolute) used instead of trust.allowedSigners, e.g. the keys the rehearsal generates. Only against local-cloud targets.',
      ),
  })
  .describe(
    'A named policy profile. Profiles weaken policy, so they apply only against local-cloud targets and are named in every decision taken under them.',
  );

/** What `shipgate infra synth` needs beyond the environments: who may assume the deploy roles, where the ledger lives. */
export const infraSchema = z
  .strictObject({
    githubRepository: z
      .string()
      .regex(/^[A-Za-z0-9-]+\/[A-Za-z0-9_.-]+$/, 'expected OWNER/REPO, e.g. acme/shipgate-demo')
      .describe(
        'The GitHub repository whose workflows deploy: each deploy role trusts only `repo:OWNER/REPO:environment:<env>`, the build role only its `main` branch.',
      ),
    stateBucket: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'expected an S3 bucket name')
      .optional()
      .describe(
        'S3 bucket of the ledger (`--state s3://<bucket>/shipgate`); the roles may read and write only there. Without it the roles get no S3 access.',
      ),
    ecrRepositoryPrefix: z
      .string()
      .regex(/^[a-z0-9._/-]*$/, 'expected an ECR repository name prefix, e.g. shipgate-demo/')
      .optional()
      .describe('ECR repositories the build role may push to: `<prefix><service>`; default `<project>/`.'),
  })
  .describe('Infrastructure as code: the CDK stacks of `shipgate infra synth`.');

/** Settings expected to differ between environments (`shipgate diff`, the gate's parity requirement). */
export const paritySchema = z
  .strictObject({
    expect: z
      .record(z.string().min(1), z.string().min(1))
      .default({})
      .describe(
        'Setting (as `shipgate diff` names it, e.g. `deploy.deploymentConfig`, `desiredCount`) → why it may differ between environments. Names, ports and ARNs always differ and need no entry.',
      ),
  })
  .describe('Staging/production parity: the differences that are expected.');

/** The whole shipgate.yaml. */
export const configSchema = z
  .strictObject({
    version: z.literal(1).describe('Config format version.'),
    project: name.describe('Project name; prefixes AWS resource names.'),
    localCloud: z
      .strictObject({
        timeScale: z
          .number()
          .min(1)
          .max(3600)
          .default(60)
          .describe('CodeDeploy minutes per real minute on local-cloud.'),
        port: port.default(4566),
      })
      .optional()
      .describe('Settings of the embedded local cloud (rehearsal).'),
    profiles: z
      .record(name, profileSchema)
      .default({})
      .describe(
        'Named settings that change policy only when selected with --policy-profile (or SHIPGATE_POLICY_PROFILE).',
      ),
    trust: trustSchema
      .optional()
      .describe(
        'Who may sign what (docs/security.md). Environments with a promotion policy need it: their gate counts only signed records.',
      ),
    infra: infraSchema.optional(),
    parity: paritySchema.default({ expect: {} }),
    services: z.record(name, serviceSchema).describe('Services by name.'),
    environments: z
      .record(name, environmentSchema)
      .describe('Environments in promotion order (test, staging, production).'),
  })
  .describe('shipgate pipeline configuration');

/** The validated configuration (defaults applied). */
export type ShipgateConfig = z.infer<typeof configSchema>;
/** One policy profile. */
export type ProfileConfig = z.infer<typeof profileSchema>;
/** One configured service. */
export type ServiceConfig = z.infer<typeof serviceSchema>;
/** One configured environment. */
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
/** Deploy settings of an environment. */
export type DeploySettings = z.infer<typeof deploySettingsSchema>;
/** Per-environment settings of a service. */
export type EnvironmentServiceConfig = z.infer<typeof environmentServiceSchema>;
