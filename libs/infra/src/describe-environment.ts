import {
  ShipgateError,
  ownValue,
  resolveServiceTarget,
  type ServiceTarget,
  type ShipgateConfig,
} from '@shipgate/model';
import {
  desiredAlarm,
  desiredDeploymentGroup,
  desiredTargetGroups,
  ecsTrafficRouting,
  renderTaskDefinition,
  type AlarmSpec,
  type DeploymentGroupSpec,
  type NetworkSettings,
  type TargetGroupSpec,
  type TaskDefinitionInput,
} from '@shipgate/ecs-deploy';
import { ecsDeploymentConfiguration } from '@shipgate/ecs-deploy/aws';
import type { DeploymentConfiguration } from '@aws-sdk/client-ecs';

/** The deployment group settings that do not depend on ARNs only AWS knows (listeners, the service role). */
export type DeploymentGroupSettings = Omit<
  DeploymentGroupSpec,
  'serviceRoleArn' | 'productionListenerArn' | 'testListenerArn'
>;

/** Everything declared about one service in one environment. */
export interface ServiceDescription {
  target: ServiceTarget;
  targetGroups: [TargetGroupSpec, TargetGroupSpec];
  /** Controller codedeploy: the CodeDeploy deployment group. */
  deploymentGroup?: DeploymentGroupSettings;
  /** Controller ecs: the service's deployment configuration, as every ECS-native deploy sends it. */
  ecsDeployment?: DeploymentConfiguration;
  alarms: AlarmSpec[];
  /** The service's task definition as shipgate renders it, for the release image `initialImage` stands for. */
  taskDefinition: TaskDefinitionInput;
}

/** Everything declared about one environment: what bootstrap converges and what the CDK stack creates. */
export interface EnvironmentDescription {
  project: string;
  environment: string;
  /** `real` environments keep their logs longer and protect the load balancer from deletion. */
  dataPolicy: 'synthetic' | 'real';
  region: string;
  cluster: string;
  codeDeployApplication: string;
  /** `OWNER/REPO`: the deploy role trusts only `repo:OWNER/REPO:environment:<environment>`. */
  githubRepository?: string;
  deployRoleName: string;
  stateBucket?: string;
  /** The KMS key (id, ARN or `alias/…`) the environment's CI identity signs records and checkpoints with (trust.environments.<env>.ci). */
  ciSigningKey?: string;
  /** ECR repositories are `<prefix><service>`: the build role pushes there, the execution roles pull. */
  ecrRepositoryPrefix: string;
  network?: NetworkSettings;
  services: ServiceDescription[];
}

/**
 * The image a description's task definition names: it stands for the first release's image, which the
 * stack takes as a parameter (as `bootstrap --release` takes a release); shipgate's deploys replace it.
 */
export const initialImage = `shipgate-initial-image@sha256:${'0'.repeat(64)}`;

/** The IAM role name of an environment's deploy role (also the name the README tells to look for). */
export function deployRoleName(project: string, environment: string): string {
  return `${project}-${environment}-deploy`;
}

const unknownListener = (what: string) => `<${what} listener>`;

/**
 * Describes an environment from the config, through the same functions bootstrap uses
 * (resolveServiceTarget, desiredTargetGroups, desiredDeploymentGroup or ecsDeploymentConfiguration,
 * desiredAlarm), so that what the
 * rehearsal proves on local-cloud is what the stacks create. `templates` holds each service's
 * task-definition template text (read by the caller).
 */
export function describeEnvironment(
  config: ShipgateConfig,
  environment: string,
  templates: Readonly<Record<string, string>>,
): EnvironmentDescription {
  const env = ownValue(config.environments, environment);
  if (!env) resolveServiceTarget(config, environment, ''); // throws UNKNOWN_ENVIRONMENT with the names
  const services = Object.keys(env!.services).map((service) => {
    const target = resolveServiceTarget(config, environment, service);
    const template = ownValue(templates, service);
    if (template === undefined) {
      throw new ShipgateError('INTERNAL', `no task-definition template text was passed for ${service}`);
    }
    const {
      serviceRoleArn: _role,
      productionListenerArn: _p,
      testListenerArn: _t,
      ...deploymentGroup
    } = desiredDeploymentGroup(target, '', {
      production: unknownListener('production'),
      test: unknownListener('test'),
    });
    const ecs = target.deploy.controller === 'ecs';
    return {
      target,
      targetGroups: desiredTargetGroups(target),
      // ECS-native: the configuration every deploy sends (ecs-native-settings.ts), so that the stack starts there.
      ...(ecs
        ? { ecsDeployment: ecsDeploymentConfiguration(target, ecsTrafficRouting(target.deploy)) }
        : { deploymentGroup }),
      alarms: target.deploy.alarms.map(desiredAlarm),
      taskDefinition: renderTaskDefinition(
        template,
        {
          family: target.taskFamily,
          image: initialImage,
          digest: initialImage.split('@')[1]!,
          release: 'initial',
          service,
          environment,
          environmentVariables: target.environmentVariables,
        },
        {
          containerName: target.containerName,
          containerPort: target.containerPort,
          sidecarImages: target.sidecarImages,
          file: config.services[service]!.taskDefinition,
        },
      ),
    };
  });
  const first = services[0]?.target;
  return {
    project: config.project,
    environment,
    dataPolicy: env!.dataPolicy,
    region: env!.aws.region,
    cluster: first?.cluster ?? env!.aws.cluster ?? `${config.project}-${environment}`,
    codeDeployApplication:
      first?.codeDeployApplication ?? env!.aws.codeDeployApplication ?? `${config.project}-${environment}`,
    ...(config.infra?.githubRepository ? { githubRepository: config.infra.githubRepository } : {}),
    deployRoleName: deployRoleName(config.project, environment),
    ...(config.infra?.stateBucket ? { stateBucket: config.infra.stateBucket } : {}),
    ...(config.trust?.environments[environment]?.ci
      ? { ciSigningKey: config.trust.environments[environment].ci.kmsKeyId }
      : {}),
    ecrRepositoryPrefix: config.infra?.ecrRepositoryPrefix ?? `${config.project}/`,
    ...(env!.aws.network ? { network: env!.aws.network } : {}),
    services,
  };
}
