import type { EnvironmentConfig } from '@shipgate/model';

/** AWS network settings from the environment: SHIPGATE_VPC_ID, SHIPGATE_SUBNETS, SHIPGATE_SECURITY_GROUPS (comma-separated). */
export function networkFromEnv(env: NodeJS.ProcessEnv) {
  const list = (v: string | undefined) =>
    v
      ? v
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean)
      : undefined;
  const subnets = list(env.SHIPGATE_SUBNETS);
  const securityGroups = list(env.SHIPGATE_SECURITY_GROUPS);
  return {
    ...(env.SHIPGATE_VPC_ID ? { vpcId: env.SHIPGATE_VPC_ID } : {}),
    ...(subnets ? { subnets } : {}),
    ...(securityGroups ? { securityGroups } : {}),
  };
}

/** shipgate.yaml's aws.network, overridden by SHIPGATE_VPC_ID, SHIPGATE_SUBNETS and SHIPGATE_SECURITY_GROUPS. */
export function environmentNetwork(environment: Pick<EnvironmentConfig, 'aws'>, env: NodeJS.ProcessEnv) {
  return { ...(environment.aws.network ?? {}), ...networkFromEnv(env) };
}
