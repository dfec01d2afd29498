import type { ShipgateConfig } from '@shipgate/model';

/** Where AWS calls go and with which credentials, decided once per command. */
export interface AwsSettings {
  region: string;
  /** Set for local-cloud (or any AWS-compatible endpoint); undefined for real AWS. */
  endpoint?: string;
  /** Static credentials for local-cloud when none are configured; undefined → the SDK's provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  local: boolean;
}

/**
 * `AWS_ENDPOINT_URL` wins (the SDK's standard setting); else a config with a `localCloud` section
 * targets the embedded local cloud on its port; else real AWS through the standard provider chain
 * (in GitHub Actions: the OIDC role assumed by the workflow).
 */
export function resolveAwsSettings(config: ShipgateConfig, region: string, env: NodeJS.ProcessEnv): AwsSettings {
  const endpoint =
    env.AWS_ENDPOINT_URL || (config.localCloud ? `http://127.0.0.1:${config.localCloud.port}` : undefined);
  const local = endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/.test(endpoint);
  const hasCredentials = Boolean(
    env.AWS_ACCESS_KEY_ID ||
    env.AWS_PROFILE ||
    env.AWS_WEB_IDENTITY_TOKEN_FILE ||
    env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
  return {
    region,
    ...(endpoint ? { endpoint } : {}),
    ...(local && !hasCredentials
      ? { credentials: { accessKeyId: 'local-cloud', secretAccessKey: 'local-cloud' } }
      : {}),
    local,
  };
}

/** SDK client options for these settings, with the SDK's own adaptive retry strategy. */
export function clientOptions(settings: AwsSettings) {
  return {
    region: settings.region,
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    retryMode: 'adaptive' as const,
    maxAttempts: 5,
  };
}

/** The four AWS clients shipgate uses, loaded only when a command needs AWS (the SDK is heavy to import). */
export async function createAwsClients(settings: AwsSettings) {
  const [{ ECSClient }, { CodeDeployClient }, { ElasticLoadBalancingV2Client }, { CloudWatchClient }] =
    await Promise.all([
      import('@aws-sdk/client-ecs'),
      import('@aws-sdk/client-codedeploy'),
      import('@aws-sdk/client-elastic-load-balancing-v2'),
      import('@aws-sdk/client-cloudwatch'),
    ]);
  const options = clientOptions(settings);
  return {
    ecs: new ECSClient(options),
    codedeploy: new CodeDeployClient(options),
    elbv2: new ElasticLoadBalancingV2Client(options),
    cloudwatch: new CloudWatchClient(options),
    settings,
  };
}

/** The clients returned by createAwsClients. */
export type AwsClients = Awaited<ReturnType<typeof createAwsClients>>;
