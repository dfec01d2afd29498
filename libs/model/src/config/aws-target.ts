import { ShipgateError } from '../errors';
import { ownValue } from '../own-key';
import { listNames } from './did-you-mean';
import type { DeploySettings, ShipgateConfig } from './schema';

/** The AWS resource names of one service in one environment, derived from the config. */
export interface ServiceTarget {
  project: string;
  environment: string;
  service: string;
  region: string;
  cluster: string;
  ecsService: string;
  taskFamily: string;
  codeDeployApplication: string;
  deploymentGroup: string;
  loadBalancer: string;
  /** [blue, green]: the pair CodeDeploy alternates between. */
  targetGroups: [string, string];
  productionListenerPort: number;
  testListenerPort: number;
  containerName: string;
  containerPort: number;
  /** Pinned images the task definition's other containers may use (services.<service>.sidecarImages). */
  sidecarImages: string[];
  desiredCount: number;
  healthCheckPath: string;
  releasePath: string;
  deploy: DeploySettings;
  codeDeployServiceRoleArn?: string;
  /** The role ECS-native blue/green shifts listener rules with (aws.ecsInfrastructureRoleArn). */
  ecsInfrastructureRoleArn?: string;
  environmentVariables: Record<string, string>;
}

/** AWS names are short: load balancers and target groups take at most 32 characters. */
function shortName(parts: string[], max = 32): string {
  const full = parts.join('-');
  if (full.length <= max) return full;
  let hash = 0;
  for (const ch of full) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const suffix = hash.toString(36).slice(0, 6);
  return `${full.slice(0, max - suffix.length - 1).replace(/-+$/, '')}-${suffix}`;
}

/** Resolves where a service runs in an environment. Throws UNKNOWN_* when either is not configured there. */
export function resolveServiceTarget(config: ShipgateConfig, environment: string, service: string): ServiceTarget {
  const env = ownValue(config.environments, environment);
  if (!env) {
    throw new ShipgateError(
      'UNKNOWN_ENVIRONMENT',
      `expected one of ${listNames(Object.keys(config.environments))}, found "${environment}"`,
      { hint: 'Check the environment name in shipgate.yaml.' },
    );
  }
  const svc = ownValue(config.services, service);
  const perEnv = ownValue(env.services, service);
  if (!svc || !perEnv) {
    const where = !svc ? 'services' : `environments.${environment}.services`;
    throw new ShipgateError(
      'UNKNOWN_SERVICE',
      `expected a service configured under ${where}, found "${service}"${svc ? ` (it is not deployed to ${environment})` : ''}`,
      {
        location: { path: where },
        hint: `Configured here: ${listNames(Object.keys(env.services)) || 'none'}.`,
      },
    );
  }
  const base = `${config.project}-${environment}`;
  return {
    project: config.project,
    environment,
    service,
    region: env.aws.region,
    cluster: env.aws.cluster ?? base,
    ecsService: service,
    taskFamily: `${base}-${service}`,
    codeDeployApplication: env.aws.codeDeployApplication ?? base,
    deploymentGroup: service,
    loadBalancer: shortName([base, service]),
    targetGroups: [shortName([environment, service, 'blue']), shortName([environment, service, 'green'])],
    productionListenerPort: perEnv.productionListenerPort,
    testListenerPort: perEnv.testListenerPort,
    containerName: svc.containerName,
    containerPort: svc.containerPort,
    sidecarImages: svc.sidecarImages,
    desiredCount: perEnv.desiredCount ?? svc.desiredCount,
    healthCheckPath: svc.healthCheckPath,
    releasePath: svc.releasePath,
    deploy: env.deploy,
    ...(env.aws.codeDeployServiceRoleArn ? { codeDeployServiceRoleArn: env.aws.codeDeployServiceRoleArn } : {}),
    ...(env.aws.ecsInfrastructureRoleArn ? { ecsInfrastructureRoleArn: env.aws.ecsInfrastructureRoleArn } : {}),
    environmentVariables: perEnv.environmentVariables,
  };
}

/**
 * The config as seen under a profile: stress tools the profile accepts are added to every environment's
 * stress policy. Returns the config unchanged when no profile is selected.
 */
export function applyProfile(config: ShipgateConfig, profile: string | undefined): ShipgateConfig {
  if (!profile) return config;
  const selected = ownValue(config.profiles, profile);
  if (!selected) {
    const names = Object.keys(config.profiles);
    throw new ShipgateError(
      'CONFIG_INVALID',
      `expected a profile declared under profiles (${names.join(', ') || 'none declared'}), found "${profile}"`,
      {
        location: { path: 'profiles' },
        hint: 'Check --policy-profile / SHIPGATE_POLICY_PROFILE, or declare the profile in shipgate.yaml.',
      },
    );
  }
  const environments = Object.fromEntries(
    Object.entries(config.environments).map(([name, env]) => {
      const stress = env.promotion?.stress;
      if (!env.promotion || !stress) return [name, env];
      const tools = [...new Set([...stress.tools, ...selected.acceptStressTools])];
      return [name, { ...env, promotion: { ...env.promotion, stress: { ...stress, tools } } }];
    }),
  );
  return { ...config, environments };
}
